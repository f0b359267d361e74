"""The social-login sandbox of the demo: imitation WeChat, QQ, Weibo and
OpenID Connect authorization servers served by the site itself under
/sandbox-oauth/, so that `make run` signs in with social accounts offline.

Each imitation answers like the real service (parameters, codes, tokens,
profiles, errors, what "Deny" sends back), shows a consent page where the
visitor picks or types a made-up identity, and keeps no state: codes and tokens
are signed. The site's providers reach them through the social-account
adapter (`adapter.py`), which lists a Social application per imitation and
sends the server-to-server calls to them inside the process (`transport.py`).

Development only: dev.py installs it unless real keys are configured, and the
system check `socialsite.E001` refuses it in production (`checks.py`)."""
