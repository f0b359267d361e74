"""E-mail: a mailto: link with the title as subject, summary and link as body.
It opens the visitor's mail program in place: a new tab would stay blank."""

from django.utils.translation import pgettext_lazy

from .base import Platform, query


class EmailPlatform(Platform):
    id = "email"
    name = pgettext_lazy("share platform", "E-mail")
    color = "#4F5B55"
    can_follow = False
    new_tab = False

    def share_url(self, url, title="", summary="", image=""):
        body = f"{summary}\n\n{url}" if summary else url
        return f"mailto:?{query(subject=title, body=body)}"
