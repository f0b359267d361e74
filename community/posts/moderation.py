"""How posts are moderated: approve, reject with a reason, remove."""

from django.utils.translation import pgettext_lazy

from community.moderation import Moderator
from community.posts.models import Post
from community.posts.notifications import notify_post_moderation


class PostModerator(Moderator):
    actions = {
        "approve": (Post.State.PUBLISHED, pgettext_lazy("moderation", "Approve")),
        "reject": (Post.State.REJECTED, pgettext_lazy("moderation", "Reject")),
        "remove": (Post.State.REMOVED, pgettext_lazy("moderation", "Remove")),
    }
    viewset_class = "community.posts.viewsets.PostViewSet"
    counter = "report_count"
    reports = "reports"

    def queue(self):
        return Post.objects.needs_review()

    def prepare(self, item, action, reason="", **options):
        item.rejection_reason = reason if action == "reject" else ""

    def notify(self, pk, action, previous_state):
        notify_post_moderation(pk, action, previous_state)


def moderate_posts(posts, action, moderator=None, reason=""):
    """Approve, reject (with `reason`) or remove posts; resolves their open
    reports. Authors hear of it by e-mail, in their language. Returns how many
    posts were moderated."""
    return PostModerator(Post).moderate(posts, action, moderator, reason=reason)
