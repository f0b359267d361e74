"""Telling a visitor's repeats apart from new visitors, without cookies.

`first_in_window(request, *what)` is True the first time in a window that this
visitor does `what` (views one post, say), as privacy-first analytics count:
the cache holds, for the window only, a keyed hash of the member's id or, for
anonymous visitors, of their addresses and user agent, under a key derived from
SECRET_KEY and today's date. Nothing is stored in the visitor's browser; the
hash cannot be turned back into an address, and tomorrow's cannot be linked to
today's. It keeps reloads from counting twice; someone who varies their user
agent on purpose still counts again (rate limits and the bot filter are for
them)."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

#: Besides REMOTE_ADDR, the headers that tell visitors apart. Behind a proxy
#: every visitor has the proxy's REMOTE_ADDR and the proxy's X-Forwarded-For
#: names them; a forged header only makes a visitor look new, as a new user
#: agent would.
VISITOR_HEADERS = ("X-Forwarded-For", "X-Real-IP", "User-Agent")


def visitor_key(request, *what):
    """A hash naming this visitor doing `what` today, and nothing more."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = [f"user:{user.pk}"]
    else:
        who = [request.META.get("REMOTE_ADDR", "")]
        who += [request.headers.get(name, "")[:500] for name in VISITOR_HEADERS]
    day = timezone.now().date().isoformat()
    return salted_hmac(
        f"community.visitors:{day}",
        "\n".join([*who, *map(str, what)]),
        algorithm="sha256",
    ).hexdigest()


def first_in_window(request, *what, seconds):
    """True the first time in `seconds` that this visitor does `what` (an
    atomic cache add, so parallel requests count once)."""
    return cache.add(f"community:seen:{visitor_key(request, *what)}", 1, seconds)
