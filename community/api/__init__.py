"""The REST API of the community apps for the company's own apps and
mini-programs, OAuth 2 for them (django-oauth-toolkit), read-only API keys
and signed outbound webhooks. It reads the other apps; none of them reads it
(docs/api.md)."""
