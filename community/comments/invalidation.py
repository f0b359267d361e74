"""Comments take the pages that show them out of the page cache
(`sharing.pagecache`): the page or object they are on and, for a page, its
parent (index pages show their children's comment counts). Connected in the
app's ready()."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from sharing import pagecache

from .models import Comment


def target_tags(content_type_id, object_pk):
    """The tags of the object comments are on (and of its parent page)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    object_pk = str(object_pk)
    if model is None or not (object_pk.isascii() and object_pk.isdigit()):
        return set()
    tags = {pagecache.object_tag(model, int(object_pk))}
    if issubclass(model, Page):
        page = Page.objects.filter(pk=object_pk).only("path", "depth").first()
        if page is not None and page.depth > 2:
            parent = Page.objects.filter(path=page.path[: -page.steplen]).first()
            if parent is not None:
                tags.add(pagecache.object_tag(parent))
    return tags


def _published(comment):
    # From the instance's fields only: never a query for a deferred field.
    return comment.__dict__.get("state") == Comment.State.PUBLISHED


def remember_state(sender, instance, **kwargs):
    """post_init: whether visitors saw the comment as it was loaded."""
    instance._pagecache_shown = _published(instance)


def shows(comment):
    """Whether saving `comment` can change what visitors see: it is published,
    or was when loaded (approving, removing, editing, deleting it); a new
    comment held for moderation, and changes to one, change nothing."""
    return getattr(comment, "_pagecache_shown", True) or _published(comment)


def on_comment_saved(sender, instance, raw=False, **kwargs):
    if not raw and shows(instance):
        pagecache.invalidate(*target_tags(instance.content_type_id, instance.object_pk))


def on_comment_deleted(sender, instance, **kwargs):
    pagecache.invalidate(*target_tags(instance.content_type_id, instance.object_pk))


def invalidate_targets(comments):
    """Take out the pages of `comments` (a queryset), before an update that
    sends no signal (a deleted member's comments are anonymised)."""
    targets = comments.order_by().values_list("content_type_id", "object_pk").distinct()
    tags = set()
    for content_type_id, object_pk in targets:
        tags |= target_tags(content_type_id, object_pk)
    pagecache.invalidate(*tags)
