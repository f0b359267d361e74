"""How posts are moderated: approve, reject with a reason, remove."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from community import moderation
from community.moderation import Moderator
from community.posts.forms import RejectForm
from community.posts.models import Post
from community.posts.notifications import notify_post_moderation


class PostModerator(Moderator):
    actions = {
        "approve": (Post.State.PUBLISHED, pgettext_lazy("moderation", "Approve")),
        "reject": (Post.State.REJECTED, pgettext_lazy("moderation", "Reject")),
        "remove": (Post.State.REMOVED, pgettext_lazy("moderation", "Remove")),
    }
    questions = {
        "approve": _("Publish these posts and dismiss their reports?"),
        "reject": _(
            "Reject these posts? Their authors get an e-mail with your reason."
        ),
        "remove": _("Hide these posts? Their authors get an e-mail."),
    }
    success_messages = {
        "approve": ngettext_lazy(
            "%(count)d post approved.", "%(count)d posts approved.", "count"
        ),
        "reject": ngettext_lazy(
            "%(count)d post rejected.", "%(count)d posts rejected.", "count"
        ),
        "remove": ngettext_lazy(
            "%(count)d post removed.", "%(count)d posts removed.", "count"
        ),
    }
    forms = {"reject": RejectForm}
    viewset_class = "community.posts.viewsets.PostViewSet"
    counter = "report_count"
    reports = "reports"
    author_field = "author"
    date_field = "created_at"

    def queue(self, queryset=None):
        if queryset is None:
            queryset = Post.objects.all()
        return queryset.needs_review()

    def prepare(self, item, action, reason="", **options):
        item.rejection_reason = reason if action == "reject" else ""

    def notify(self, pk, action, previous_state):
        notify_post_moderation(pk, action, previous_state)


def moderate_posts(posts, action, moderator=None, reason=""):
    """Approve, reject (with `reason`) or remove posts (through the registered
    post moderator); resolves their open reports. Authors hear of it by
    e-mail, in their language. Returns how many posts were moderated."""
    return moderation.registry.get(Post).moderate(
        posts, action, moderator, reason=reason
    )
