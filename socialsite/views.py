from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    # Malformed input (a NUL byte in a search, say): a page of the site that
    # says so, in the visitor's language, instead of Django's bare text.
    return render(request, "400.html", {"page_not_found": True}, status=400)


@requires_csrf_token
def page_not_found(request, exception=None):
    # The path names nothing: the language switcher links to the languages'
    # home pages, never to this path (which may be "//another.host/").
    return render(request, "404.html", {"page_not_found": True}, status=404)


def server_error(request):
    # Rendered without context processors that touch the database: the error
    # may be the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
