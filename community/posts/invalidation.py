"""Posts take the pages that show them out of the page cache
(`sharing.pagecache`): the post's own page, its board's lists, the lists of
every board (the community feed, "Popular now" blocks) and the product page
its review or question is about; and they tell the share endpoint
(`sharing.signals.shareable_changed`) to forget what it cached of them.
Connected in the app's ready()."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from community.comments import invalidation as comment_invalidation
from community.comments.models import Comment
from sharing import pagecache
from sharing.signals import shareable_changed

from .models import CommunityBoardPage, Post

#: The lists of posts of all boards (the community feed, "Popular now").
ALL_POSTS = "community_posts.posts"

#: The links to the boards (the community page's cards, the boards' own
#: navigation, a product's "Write a review" and "Ask a question").
BOARDS = "community_posts.boards"


def board_posts_tag(board_id):
    """The lists of one board's posts (its page, its feed)."""
    return f"community_posts.board-posts:{board_id}"


def post_tags(post_id, board_id, product_id=None):
    tags = {pagecache.object_tag(Post, post_id), board_posts_tag(board_id), ALL_POSTS}
    if product_id is not None:
        tags.add(pagecache.object_tag(Page, product_id))
    return tags


def invalidate_posts(posts):
    """Take out the pages of `posts` (a queryset), before or after an update
    that sends no signal."""
    tags, pks = set(), []
    for pk, board_id, product_id in posts.order_by().values_list(
        "pk", "board_id", "product_id"
    ):
        tags |= post_tags(pk, board_id, product_id)
        pks.append(pk)
    pagecache.invalidate(*tags)
    for pk in pks:
        shareable_changed.send(sender=Post, kind="post", pk=pk)


def _pk(value):
    value = str(value)
    return int(value) if value.isascii() and value.isdigit() else None


def _published(post):
    # From the instance's fields only: never a query for a deferred field.
    return post.__dict__.get("state") == Post.State.PUBLISHED


def remember_state(sender, instance, **kwargs):
    """post_init: whether visitors saw the post as it was loaded."""
    instance._pagecache_shown = _published(instance)


def on_post_saved(sender, instance, raw=False, **kwargs):
    # A post nobody sees, before or after (a draft, one held for moderation),
    # changes no page.
    if raw or not (getattr(instance, "_pagecache_shown", True) or _published(instance)):
        return
    pagecache.invalidate(
        *post_tags(instance.pk, instance.board_id, instance.product_id)
    )
    shareable_changed.send(sender=Post, kind="post", pk=instance.pk)


def on_post_deleted(sender, instance, **kwargs):
    pagecache.invalidate(
        *post_tags(instance.pk, instance.board_id, instance.product_id)
    )
    shareable_changed.send(sender=Post, kind="post", pk=instance.pk)


def on_board_published(sender, instance, **kwargs):
    """A board's name and address show in the lists of every board's posts,
    and in the links to the boards."""
    pagecache.invalidate(ALL_POSTS, BOARDS)


def connect():
    uid = "community_posts.pagecache"
    for signal in (page_published, page_unpublished):
        signal.connect(on_board_published, sender=CommunityBoardPage, dispatch_uid=uid)
    signals = models.signals
    signals.post_init.connect(remember_state, sender=Post, dispatch_uid=uid)
    signals.post_save.connect(on_post_saved, sender=Post, dispatch_uid=uid)
    signals.post_delete.connect(on_post_deleted, sender=Post, dispatch_uid=uid)
    for signal in (signals.post_save, signals.post_delete):
        signal.connect(on_comment_changed, sender=Comment, dispatch_uid=uid)


def on_comment_changed(sender, instance, raw=False, **kwargs):
    """A comment on a post changes the post's comment count in lists (the
    comments app takes out the post's own page)."""
    if raw or not comment_invalidation.shows(instance):
        return
    if instance.content_type_id == ContentType.objects.get_for_model(Post).pk:
        invalidate_posts(Post.objects.filter(pk=_pk(instance.object_pk)))
