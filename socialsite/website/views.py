from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from community import cjk
from sharing.links import site_root_url

from .models import paginate, query_text


def search(request):
    """Full-text search over the live public pages in the active language.
    Only the plain words of the query are searched (see `community.cjk.search`);
    a NUL byte in it is a bad request."""
    query = query_text(request, "q")[: cjk.MAX_QUERY_LENGTH]
    results = None
    if query:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .exclude(depth__lte=1)
            .specific()
        )
        results = paginate(request, cjk.search(pages, query), per_page=10)
    return TemplateResponse(
        request,
        "website/search.html",
        {
            "search_query": query,
            "search_results": results,
            "page_title": _("Search"),
            "pagination_query": urlencode({"q": query}) if query else "",
        },
    )


#: What crawlers skip (socialsite/urls.py mounts these): the admin, the
#: account pages, and under every language prefix the site search, members'
#: account settings and the share endpoints (each share is a redirect that
#: would count a visit).
ROBOTS_DISALLOWED = ("/admin/", "/django-admin/", "/accounts/", "/i18n/")
ROBOTS_DISALLOWED_PER_LANGUAGE = ("search/", "community/account/", "share/")


def robots_txt(request):
    """robots.txt, with the sitemap's absolute URL on the Wagtail Site's root
    URL (never the request's Host header)."""
    disallowed = list(ROBOTS_DISALLOWED) + [
        f"/{code}/{path}"
        for code, _name in settings.LANGUAGES
        for path in ROBOTS_DISALLOWED_PER_LANGUAGE
    ]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed]
    lines += ["", f"Sitemap: {site_root_url(request)}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
