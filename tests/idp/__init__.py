"""A tiny OpenID Connect identity provider (django-oauth-toolkit) that the
social-login tests run in a process of its own on loopback."""
