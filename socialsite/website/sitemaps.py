from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from sharing.meta import with_x_default


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap walks the site's root page only; with one page tree per
    language that misses every translation. List the live, public pages under
    every translation of the site's root page instead, each with its
    translations as hreflang alternates (`<xhtml:link>`, with x-default): the
    same alternates as the page's head (`{% alternate_links %}`)."""

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

    def _urls(self, page, protocol, domain):
        # A sitemap holds up to 50,000 URLs: every translation of a page is
        # on the same sitemap page as the page itself.
        pages = list(self.paginator.page(page).object_list)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        translations = defaultdict(list)
        for item in pages:
            url = item.get_full_url(self.request)
            if url:
                translations[item.translation_key].append(
                    (languages[item.locale_id], url)
                )
        urls, last_mods = [], set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                alternates = with_x_default(translations[item.translation_key])
                urls.append({**url_info, "alternates": alternates})
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
