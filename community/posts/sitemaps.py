"""Community posts in the sitemap. Boards are Wagtail pages and appear with
the page tree; their posts are models, listed by this sitemap next to it::

    from community.posts.sitemaps import PostSitemap

    path("sitemap.xml", sitemap, {"sitemaps": {"pages": ..., "posts": PostSitemap}})

with `sitemap` from `wagtail.contrib.sitemaps.views`, which gives the
sitemap the request (absolute URLs start with the Wagtail Site's root URL).
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from community.posts.models import CommunityBoardPage, Post


class PostSitemap(Sitemap):
    """Published posts on the live, public boards of the request's site (in
    every language of its page tree), newest first."""

    def boards(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_any_root = Q()
        for root in roots:
            under_any_root |= Q(path__startswith=root.path)
        return CommunityBoardPage.objects.live().public().filter(under_any_root)

    def items(self):
        return (
            Post.objects.live()
            .filter(board__in=self.boards())
            .select_related("board")
            .order_by("-published_at", "-pk")
        )
