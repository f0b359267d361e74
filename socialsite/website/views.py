from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from community import cjk

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
