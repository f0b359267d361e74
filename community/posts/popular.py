"""The "Popular now" block's posts, cached: the query sorts recent posts by
likes and comments and loads their cards (pictures, tags, authors), which
every page showing the block would otherwise repeat.

Cached for a minute per block setting (count, days, board, language) in
SHARING_CACHE_ALIAS (`sharing.generations`). Posts saved or deleted (published,
edited, held, removed), their pictures processed and boards published,
unpublished, moved or deleted retire the entries at once; likes and comment
counts, which change with atomic updates and no signal, show within the
minute."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from community.posts.models import CommunityBoardPage, Post, PostImage
from community.posts.services import popular_now
from sharing.generations import Generation

GENERATION = Generation("community_posts:popular")

#: Seconds an entry lives at most.
TIMEOUT = 60


def popular_posts(*, limit=6, days=7, board=None, language=None):
    """`popular_now()`, cached."""
    key = f"{limit}:{days}:{board.pk if board is not None else ''}:{language or ''}"
    return GENERATION.get(
        key,
        lambda: popular_now(limit=limit, days=days, board=board, language=language),
        TIMEOUT,
    )


def connect_signals():
    """Called by the app's ready()."""
    uid = "community_posts.popular"
    bump = GENERATION.bump
    for model in (Post, PostImage, CommunityBoardPage):
        post_save.connect(bump, sender=model, dispatch_uid=uid)
        post_delete.connect(bump, sender=model, dispatch_uid=uid)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, sender=CommunityBoardPage, dispatch_uid=uid)
