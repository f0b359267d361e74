"""WeChat on a phone: a QR code on the phone's own screen cannot be scanned
by it. The WeChat dialog and the QR page carry, for the script to show on
phones, the link to copy and how to share it inside WeChat (the code stays a
tap away); inside WeChat itself neither is needed. No third-party script."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _wechat_button(settings):
    settings.SHARING_LANGUAGE_SHARE_PLATFORMS = {"en": ["wechat", "weibo", "x"]}


IN_WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003130)"
)


def tagged(page):
    return (
        f"http://sharing.test/en/{page.slug}/"
        "?utm_source=wechat&amp;utm_medium=social&amp;utm_campaign=share"
    )


def phone_block(html):
    match = re.search(
        r'<div class="sharing-phone" data-sharing-phone(.*?)\n</div>', html, re.S
    )
    return match.group(0) if match else None


def test_the_wechat_dialog_carries_the_link_to_copy(browser_client, shared_page):
    html = browser_client.get(shared_page.url).content.decode()
    dialog = re.search(
        r'<dialog class="sharing-dialog" id="sharing-dialog-wechat-.*?</dialog>',
        html,
        re.S,
    )
    assert dialog, "no WeChat dialog"
    block = phone_block(dialog.group(0))
    assert block and " hidden>" in block  # shown by the script, on phones only
    assert f'value="{tagged(shared_page)}"' in block
    assert "data-sharing-copy" in block and "File Transfer" in block
    # The QR code sits apart, so the script can fold it away on a phone.
    assert re.search(
        r'data-sharing-scan>\s*<img class="sharing-dialog__qr"', dialog.group(0)
    )
    assert '<script src="http' not in html


def test_the_qr_page_carries_it_too(browser_client, shared_page):
    html = browser_client.get(
        f"/en/share/qr/wechat/page/{shared_page.pk}/"
    ).content.decode()
    block = phone_block(html)
    assert block and f'value="{tagged(shared_page)}"' in block


def test_inside_wechat_neither_page_offers_it(browser_client, shared_page):
    browser_client.defaults["HTTP_USER_AGENT"] = IN_WECHAT
    for url in (shared_page.url, f"/en/share/qr/wechat/page/{shared_page.pk}/"):
        html = browser_client.get(url).content.decode()
        assert phone_block(html) is None, url
