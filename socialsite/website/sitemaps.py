from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap walks the site's root page only; with one page tree per
    language that misses every translation. List the live, public pages under
    every translation of the site's root page instead."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_any_root = Q()
        for root in roots:
            under_any_root |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(under_any_root)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
