"""Sign-ups counted for the company's own-media posts (`sharing.publishing`):
connected in `CommunityConfig.ready()` only when `sharing` is installed."""

from sharing import publishing


def count_signup(sender, request, user, **kwargs):
    """allauth's `user_signed_up`: the own-media post the visitor came from
    (remembered by the sign-up page, or named by the request) counts one."""
    if request is not None:
        publishing.record_signup(request)
