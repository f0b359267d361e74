from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from community.cjk import cjk_query, has_cjk

from .models import paginate

MAX_QUERY_LENGTH = 200


def search(request):
    """Full-text search over the live public pages in the active language."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .exclude(depth__lte=1)
            .specific()
        )
        if has_cjk(query):
            pages = pages.search(cjk_query(query), operator="and")
        else:
            pages = pages.search(query)
        results = paginate(request, pages, per_page=10)
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
