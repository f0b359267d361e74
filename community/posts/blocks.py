"""StreamField blocks of the posts app."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from community.posts import invalidation
from community.posts.popular import popular_posts
from sharing import pagecache


class PopularPostsBlock(blocks.StructBlock):
    """ "Popular now": the community posts with the most likes and comments
    lately, in the page's language."""

    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, required=False, default=_("Popular now")
    )
    board = blocks.PageChooserBlock(
        label=_("Only from this board"),
        page_type="community_posts.CommunityBoardPage",
        required=False,
    )
    count = blocks.IntegerBlock(
        label=_("Number of posts"), default=4, min_value=1, max_value=12
    )
    days = blocks.IntegerBlock(
        label=_("Published in the last … days"), default=30, min_value=1, max_value=365
    )

    class Meta:
        icon = "group"
        label = _("Popular community posts")
        template = "community_posts/blocks/popular_posts_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        board = value["board"]
        pagecache.depend(
            (parent_context or {}).get("request"),
            invalidation.board_posts_tag(board.pk) if board else invalidation.ALL_POSTS,
        )
        context["posts"] = popular_posts(
            limit=value["count"],
            days=value["days"],
            board=value["board"],
            language=None if value["board"] else get_language(),
        )
        return context
