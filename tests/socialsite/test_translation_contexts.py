"""One English word, two meanings: message contexts keep them apart. The share
box says 分享 ("to share") on Chinese pages, the listening report's column
says 占比 ("a share of"), and the apps' catalogues never translate one
context-free msgid two ways (Django merges them into one catalogue, where
the first app's translation wins everywhere), nor take over one of Django's
or Wagtail's words with another meaning ("Pages" of a pagination is not the
admin's "Pages" menu)."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from socialsite.website.models import ProductPage

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    path
    for folder in ("community", "sharing", "socialsite")
    for path in (ROOT / folder).rglob("locale/zh_Hans/LC_MESSAGES/django.po")
]


def share_heading(html):
    return re.search(r'<h2 class="sharing__heading"[^>]*>([^<]*)</h2>', html).group(1)


@pytest.mark.parametrize("language, heading", [("en", "Share"), ("zh-hans", "分享")])
def test_the_share_box_says_share(client, demo_site, language, heading):
    product = (
        ProductPage.objects.live()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )
    html = client.get(product.url).content.decode()
    assert share_heading(html) == heading
    assert "占比" not in html


def test_each_meaning_has_its_translation():
    with translation.override("zh-hans"):
        assert pgettext("verb", "Share") == "分享"
        assert pgettext("proportion", "Share") == "占比"
        assert pgettext("pagination", "Pages") == "分页"
        assert pgettext("share platform", "E-mail") == "邮件"
        assert pgettext("date range", "From") == "起始日期"
        assert pgettext("difference", "Change") == "变化"
        # Django's and Wagtail's own words keep their own translations.
        assert gettext("Pages") == "页面"
        assert gettext("Change") in {"修改", "更改"}  # Django's or Wagtail's
        assert gettext("Origin") == "原始"


def entries(path):
    """(msgctxt, msgid, msgstr) of a .po file's translated entries."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            continue
        fields = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'(msgctxt|msgid|msgstr) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid") and fields.get("msgstr"):
            yield fields.get("msgctxt"), fields["msgid"], fields["msgstr"]


def test_no_msgid_is_translated_two_ways():
    seen = {}
    for path in CATALOGUES:
        for context, msgid, msgstr in entries(path):
            seen.setdefault((context, msgid), {})[msgstr] = path.relative_to(ROOT)
    twice = {key: found for key, found in seen.items() if len(found) > 1}
    assert not twice, "\n".join(f"{key}: {found}" for key, found in twice.items())
