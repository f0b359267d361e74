"""The admin: the Sharing settings screen (share buttons, own-media accounts,
WeChat), the page promote-tab fields, the Shares report with its exports and
the dashboard panel, shown only to editors with the permission."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sharing.models import OwnMediaAccount, ShareCount, SharingSettings
from tests.factories import UserFactory


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    user.save()
    return user


def editor_with(permission=False):
    user = UserFactory(is_staff=True)
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    if permission:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="sharing", codename="view_share_reports"
            )
        )
    return user


def settings_url(site):
    return reverse("wagtailsettings:edit", args=["sharing", "sharingsettings", site.pk])


def test_settings_screen_saves_buttons_accounts_and_wechat(
    client, admin_user, share_site
):
    client.force_login(admin_user)
    url = settings_url(share_site)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["Share buttons", "Own media", "WeChat", "Xiaohongshu", "Bilibili"]:
        assert text in html
    data = nested_form_data(
        {
            "share_platforms": streamfield(
                [("platform", "weibo"), ("platform", "wechat"), ("platform", "x")]
            ),
            "button_sets": inline_formset(
                [
                    {
                        "language": "zh-hans",
                        "platforms": streamfield(
                            [("platform", "douban"), ("platform", "wechat")]
                        ),
                    }
                ]
            ),
            "show_share_count": "on",
            "default_share_image": "",
            "wechat_app_id": "wxAPP",
            "wechat_app_secret": "secret",
            "accounts": inline_formset(
                [
                    {
                        "platform": "xiaohongshu",
                        "handle": "cloudmist",
                        "url": "",
                        "label": "云雾茶",
                        "qr_image": "",
                        "show_in_footer": "on",
                        "show_in_follow_block": "on",
                    },
                    {
                        "platform": "weibo",
                        "handle": "",
                        "url": "https://weibo.com/u/123",
                        "label": "",
                        "qr_image": "",
                        "show_in_header": "on",
                    },
                ]
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = SharingSettings.for_site(share_site)
    assert [p.id for p in saved.share_platform_list()] == ["weibo", "wechat", "x"]
    assert [p.id for p in saved.share_platform_list("zh-hans")] == ["douban", "wechat"]
    assert saved.show_share_count and saved.wechat_configured
    accounts = list(saved.accounts.order_by("sort_order"))
    assert [(a.platform, a.get_url()) for a in accounts] == [
        ("xiaohongshu", "https://www.xiaohongshu.com/user/profile/cloudmist"),
        ("weibo", "https://weibo.com/u/123"),
    ]
    assert accounts[1].show_in_header and not accounts[1].show_in_footer


@pytest.mark.parametrize(
    "account, error",
    [
        ({"platform": "myspace", "handle": "x"}, "Choose a platform from the list"),
        ({"platform": "weibo"}, "Give a handle, a URL or a QR code"),
        ({"platform": "weibo", "url": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_settings_screen_rejects_bad_accounts(
    client, admin_user, share_site, account, error
):
    client.force_login(admin_user)
    row = {"handle": "", "url": "", "label": "", "qr_image": "", **account}
    data = nested_form_data(
        {
            "share_platforms": streamfield([("platform", "nope")]),
            "default_share_image": "",
            "wechat_app_id": "",
            "wechat_app_secret": "",
            "accounts": inline_formset([row]),
        }
    )
    stored = OwnMediaAccount.objects.count()
    response = client.post(settings_url(share_site), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert OwnMediaAccount.objects.count() == stored


def test_promote_tab_has_the_share_fields(client, admin_user, shared_page):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[shared_page.pk]))
    html = response.content.decode()
    for name in ["share_title", "share_description", "share_image"]:
        assert f'name="{name}"' in html
    assert 'name="show_share_buttons"' in html


@pytest.fixture
def counts(share_site, shared_page):
    today = timezone.localdate()
    rows = [
        (0, "share", "weibo", 5),
        (0, "visit", "weibo", 9),
        (1, "share", "wechat", 3),
        (10, "share", "x", 2),
        (40, "share", "weibo", 100),  # outside the dashboard's 30 days
    ]
    for days_ago, event, platform, count in rows:
        ShareCount.objects.create(
            day=today - datetime.timedelta(days=days_ago),
            site=share_site,
            event=event,
            platform=platform,
            object_kind="page",
            object_id=shared_page.pk,
            count=count,
        )
    return today


def cells(html):
    table = html[html.index('<table class="listing') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    ]


def report_url(**params):
    from urllib.parse import urlencode

    return reverse("sharing_reports:shares") + "?" + urlencode(params)


def test_report_by_platform_page_and_day_with_date_range(client, counts, shared_page):
    client.force_login(editor_with(permission=True))
    since = (counts - datetime.timedelta(days=30)).isoformat()
    html = client.get(report_url(group="platform", day_from=since)).content.decode()
    assert "Shares" in html and "Weibo" in html and "WeChat" in html
    assert cells(html) == ["Weibo", "5", "9", "WeChat", "3", "0", "X", "2", "0"]
    html = client.get(report_url(group="object")).content.decode()
    assert cells(html) == ["Spring tea", "110", "9"]
    html = client.get(
        report_url(group="day", day_from=counts.isoformat(), day_to=counts.isoformat())
    ).content.decode()
    assert counts.isoformat() in html
    assert (counts - datetime.timedelta(days=1)).isoformat() not in html


def test_report_exports_csv_and_xlsx(client, counts):
    client.force_login(editor_with(permission=True))
    since = (counts - datetime.timedelta(days=30)).isoformat()
    response = client.get(report_url(group="platform", day_from=since, export="csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == [
        '"Platform, page or day",Shares,Share-driven visits',
        "Weibo,5,9",
        "WeChat,3,0",
        "X,2,0",
    ]
    assert "shares-by-platform" in response["Content-Disposition"]
    response = client.get(report_url(group="platform", export="xlsx"))
    assert response.status_code == 200
    from openpyxl import load_workbook

    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == [
        "Platform, page or day",
        "Shares",
        "Share-driven visits",
    ]
    assert [cell.value for cell in sheet[2]] == ["Weibo", 105, 9]


def test_dashboard_panel_for_the_last_7_and_30_days(client, counts):
    client.force_login(editor_with(permission=True))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('id="sharing-dashboard-heading"') :]
    assert "Last 7 days" in panel and "Last 30 days" in panel
    assert "8 shares · 9 share-driven visits" in panel  # 7 days: 5 + 3
    assert "10 shares · 9 share-driven visits" in panel  # 30 days: + 2


def test_editors_without_the_permission_see_nothing(client, counts):
    client.force_login(editor_with(permission=False))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "sharing-dashboard-heading" not in home
    assert reverse("sharing_reports:shares") not in home
    response = client.get(report_url())
    assert response.status_code in {302, 403}
    response = client.get(report_url(export="csv"))
    assert response.status_code in {302, 403}
    # Nor can they edit the site's sharing settings.
    response = client.get(settings_url(counts and SharingSettings.objects.first().site))
    assert response.status_code in {302, 403}


def test_permitted_editors_find_the_report_in_the_menu(client, counts):
    client.force_login(editor_with(permission=True))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("sharing_reports:shares") in home
