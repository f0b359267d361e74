"""Views of the page cache's tests: what a page may carry besides a Wagtail
page's content (messages, cookies, a form)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import include, path

from sharing import pagecache
from socialsite.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    "{% load community_tags %}<p>Tea of the day: {{ tea }}</p>"
    "{% for message in messages %}<p class=message>{{ message }}</p>{% endfor %}"
    "{% if user.is_authenticated %}<p>Hello {{ user.username }}</p>{% endif %}"
    '<form method="post" action="/form/">{% cacheable_csrf_token %}'
    "<button>Send</button></form>"
)

#: What the page shows (a test changes it, then invalidates "test:tea").
TEA = {"name": "Longjing"}


def page(request):
    pagecache.cacheable(request, "test:tea")
    return HttpResponse(PAGE.render({"tea": TEA["name"]}, request))


def add_message(request):
    messages.success(request, "Saved, for your eyes only")
    return redirect("/page/")


def set_cookie(request):
    pagecache.cacheable(request, "test:tea")
    response = HttpResponse("A cookie for you")
    response.set_cookie("flavour", "jasmine")
    return response


def form(request):
    if request.method == "POST":
        return HttpResponse("Received")
    return page(request)


urlpatterns = [
    path("page/", page),
    path("message/", add_message),
    path("cookie/", set_cookie),
    path("form/", form),
    path("share/", include("sharing.urls")),
    # The rest of the site: the pages the views render link to it.
    *site_urlpatterns,
]
