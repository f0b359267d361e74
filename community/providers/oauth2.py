"""What the China-market providers share with each other."""

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView


class CallbackView(OAuth2CallbackView):
    """allauth's callback, where a return without a code and without an error
    is the visitor's "Deny": WeChat then sends only the `state` back (and QQ a
    `usercancel` flag), which allauth would show as a login failure instead of
    the cancelled page."""

    def dispatch(self, request, *args, **kwargs):
        if "code" not in request.GET and "error" not in request.GET:
            request.GET = request.GET.copy()
            request.GET["error"] = self.adapter.login_cancelled_error
        return super().dispatch(request, *args, **kwargs)
