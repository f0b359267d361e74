"""E-mail: a mailto: link with the title as subject, summary and link as body."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, query


class EmailPlatform(Platform):
    id = "email"
    name = _("E-mail")
    color = "#4F5B55"
    can_follow = False

    def share_url(self, url, title="", summary="", image=""):
        body = f"{summary}\n\n{url}" if summary else url
        return f"mailto:?{query(subject=title, body=body)}"
