"""The platform registry: golden share and follow URLs for every registered
platform, icons, and extension through SHARING_PLATFORMS."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

import sharing
from sharing.platforms import BUILTIN_PLATFORMS
from sharing.platforms.base import Platform, handle_path, instance_host, query
from sharing.registry import registry

URL = "https://tea.example/p/?a=1&b=2"
TITLE = 'Tea & "cakes" #1 🍵 龙井'
SUMMARY = "It's spring"
IMAGE = "https://tea.example/m/i.jpg"
# The same values percent-encoded by hand (RFC 3986, UTF-8, space as %20).
U = "https%3A%2F%2Ftea.example%2Fp%2F%3Fa%3D1%26b%3D2"
T = "Tea%20%26%20%22cakes%22%20%231%20%F0%9F%8D%B5%20%E9%BE%99%E4%BA%95"
S = "It%27s%20spring"
Im = "https%3A%2F%2Ftea.example%2Fm%2Fi.jpg"

GOLDEN_SHARE = {
    "wechat": None,  # no web intent: a QR code dialog
    "weibo": f"https://service.weibo.com/share/share.php?url={U}&title={T}&pic={Im}",
    "qq": "https://connect.qq.com/widget/shareqq/index.html"
    f"?url={U}&title={T}&summary={S}&pics={Im}",
    "qzone": "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey"
    f"?url={U}&title={T}&summary={S}&pics={Im}",
    "douban": f"https://www.douban.com/share/service?href={U}&name={T}&text={S}"
    f"&image={Im}",
    "x": f"https://x.com/intent/post?text={T}&url={U}",
    "facebook": f"https://www.facebook.com/sharer/sharer.php?u={U}",
    "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={U}",
    "reddit": f"https://www.reddit.com/submit?url={U}&title={T}",
    "telegram": f"https://t.me/share/url?url={U}&text={T}",
    "whatsapp": f"https://wa.me/?text={T}%20{U}",
    "pinterest": f"https://www.pinterest.com/pin/create/button/?url={U}&media={Im}"
    f"&description={T}",
    "bluesky": f"https://bsky.app/intent/compose?text={T}%20{U}",
    "mastodon": None,  # no universal intent: our page asks for the server
    "threads": f"https://www.threads.com/intent/post?text={T}&url={U}",
    "line": f"https://social-plugins.line.me/lineit/share?url={U}",
    "tumblr": f"https://www.tumblr.com/widgets/share/tool?canonicalUrl={U}"
    f"&title={T}&caption={S}&posttype=link",
    "vk": f"https://vk.com/share.php?url={U}&title={T}",
    "xing": f"https://www.xing.com/spi/shares/new?url={U}",
    "hackernews": f"https://news.ycombinator.com/submitlink?u={U}&t={T}",
    "instapaper": f"https://www.instapaper.com/hello2?url={U}&title={T}"
    f"&description={S}",
    "email": f"mailto:?subject={T}&body={S}%0A%0A{U}",
    "copy": URL,
    "native": URL,
    # Follow-only platforms have no share intent.
    "douyin": None,
    "bilibili": None,
    "xiaohongshu": None,
    "zhihu": None,
    "kuaishou": None,
    "youtube": None,
    "instagram": None,
    "tiktok": None,
    "github": None,
    "webhook": None,  # publishing only
}

HANDLE = "@cloud mist/茶"
H = "cloud%20mist%2F%E8%8C%B6"
GOLDEN_FOLLOW = {
    "wechat": None,  # followed by scanning the official account's QR code
    "weibo": f"https://weibo.com/{H}",
    "qq": None,
    "qzone": f"https://user.qzone.qq.com/{H}",
    "douban": f"https://www.douban.com/people/{H}/",
    "x": f"https://x.com/{H}",
    "facebook": f"https://www.facebook.com/{H}",
    "linkedin": f"https://www.linkedin.com/company/{H}/",
    "reddit": f"https://www.reddit.com/user/{H}/",
    "telegram": f"https://t.me/{H}",
    "whatsapp": f"https://wa.me/{H}",
    "pinterest": f"https://www.pinterest.com/{H}/",
    "bluesky": f"https://bsky.app/profile/{H}",
    "mastodon": None,  # "@name@server": a handle without its server is no address
    "threads": f"https://www.threads.com/@{H}",
    "line": f"https://line.me/R/ti/p/@{H}",
    "tumblr": f"https://www.tumblr.com/{H}",
    "vk": f"https://vk.com/{H}",
    "xing": f"https://www.xing.com/pages/{H}",
    "hackernews": None,
    "instapaper": None,
    "email": None,
    "copy": None,
    "native": None,
    "douyin": f"https://www.douyin.com/user/{H}",
    "bilibili": f"https://space.bilibili.com/{H}",
    "xiaohongshu": f"https://www.xiaohongshu.com/user/profile/{H}",
    "zhihu": f"https://www.zhihu.com/org/{H}",
    "kuaishou": f"https://www.kuaishou.com/profile/{H}",
    "youtube": f"https://www.youtube.com/@{H}",
    "instagram": f"https://www.instagram.com/{H}/",
    "tiktok": f"https://www.tiktok.com/@{H}",
    "github": f"https://github.com/{H}",
    "webhook": None,
}

PLATFORM_IDS = [platform.id for platform in registry.all()]


def test_every_registered_platform_has_golden_urls():
    assert set(PLATFORM_IDS) == set(GOLDEN_SHARE) == set(GOLDEN_FOLLOW)


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_share_url_is_golden(platform_id):
    platform = registry.get(platform_id)
    url = platform.share_url(URL, title=TITLE, summary=SUMMARY, image=IMAGE)
    assert url == GOLDEN_SHARE[platform_id]
    if url is None:
        assert platform.share_action in {"dialog", "instance"} or not platform.can_share
    else:
        assert platform.can_share
        # The picture is looked up only for platforms whose intent takes it.
        assert (Im in url) == platform.shares_image
        # Nothing unescaped that would break out of the parameter.
        assert " " not in url and '"' not in url and "#" not in url


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_follow_url_is_golden(platform_id):
    platform = registry.get(platform_id)
    assert platform.follow_url(HANDLE) == GOLDEN_FOLLOW[platform_id]
    if GOLDEN_FOLLOW[platform_id] is not None:
        assert platform.can_follow


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_platform_has_brand_colour_and_svg_icon(platform_id):
    platform = registry.get(platform_id)
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", platform.id)
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", platform.color)
    assert platform.region in {"cn", "global"}
    icon = Path(sharing.__file__).parent / "static" / platform.icon_path
    assert icon.read_text().startswith("<svg ")
    assert str(platform.icon_svg).startswith("<svg ")
    assert str(platform.name)


def test_there_are_at_least_24_share_services():
    assert len(registry.share_platforms()) >= 24


# Federated platforms: the intent lives on the visitor's own server.
GOLDEN_INSTANCE_SHARE = {
    "mastodon": f"https://mastodon.social/share?text={T}%20{U}",
}


@pytest.mark.parametrize("platform_id", PLATFORM_IDS)
def test_instance_share_url_is_golden(platform_id):
    platform = registry.get(platform_id)
    url = platform.instance_share_url("mastodon.social", URL, TITLE, SUMMARY)
    assert url == GOLDEN_INSTANCE_SHARE.get(platform_id)
    assert (platform.share_action == "instance") == (url is not None)


@pytest.mark.parametrize(
    "handle, url",
    [
        ("@cloudmist@mastodon.social", "https://mastodon.social/@cloudmist"),
        ("cloudmist@Mastodon.Social", "https://mastodon.social/@cloudmist"),
        ("@茶@例子.social", "https://xn--fsqu00a.social/@%E8%8C%B6"),
        ("@cloudmist", None),
        ("@cloudmist@localhost", None),
        ("@cloudmist@10.0.0.1", None),
        ("@cloudmist@evil.example:8080", None),
    ],
)
def test_mastodon_follow_url_needs_the_server(handle, url):
    assert registry.get("mastodon").follow_url(handle) == url


@pytest.mark.parametrize(
    "typed, host",
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social.  ", "mastodon.social"),
        ("https://fosstodon.org/about", "fosstodon.org"),
        ("http://fosstodon.org", "fosstodon.org"),
        ("@me@mstdn.jp", "mstdn.jp"),
        ("me@mstdn.jp/", "mstdn.jp"),
        ("例子.social", "xn--fsqu00a.social"),
        ("", None),
        ("social", None),
        ("localhost", None),
        ("127.0.0.1", None),
        ("[::1]", None),
        ("evil.example:8080", None),
        ("https://me@evil.example/", None),
        ("javascript://evil.example", None),
        ("//evil.example", None),
        ("evil\x00.example", None),
        ("-bad.example", None),
        ("bad-.example", None),
        ("a_b.example", None),
        ("x" * 64 + ".example", None),
        (".".join(["abcdefghi"] * 30), None),
        ("m" * 10_000, None),
    ],
)
def test_instance_host_accepts_server_names_only(typed, host):
    assert instance_host(typed) == host


def test_share_without_summary_or_image_leaves_parameters_out():
    weibo = registry.get("weibo")
    assert weibo.share_url(URL, title="Tea") == (
        f"https://service.weibo.com/share/share.php?url={U}&title=Tea"
    )
    assert registry.get("email").share_url(URL, title="Tea") == (
        f"mailto:?subject=Tea&body={U}"
    )


def test_helpers_encode_everything():
    assert query(a="&=?#/ 中", b=None) == "a=%26%3D%3F%23%2F%20%E4%B8%AD"
    assert handle_path("@@name") == "name" and handle_path(" x ") == "x"


class TeaHousePlatform(Platform):
    id = "teahouse"
    name = "Tea House"
    color = "#8A6418"
    region = "cn"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://teahouse.example/share?{query(u=url, t=title)}"

    def follow_url(self, handle):
        return f"https://teahouse.example/@{handle_path(handle)}"


class LoudWeiboPlatform(TeaHousePlatform):
    id = "weibo"
    name = "Weibo (custom)"


THIS = "tests.sharing.test_platforms"


def test_a_project_adds_and_replaces_platforms_by_settings():
    with override_settings(
        SHARING_PLATFORMS=[
            *BUILTIN_PLATFORMS,
            f"{THIS}.TeaHousePlatform",
            f"{THIS}.LoudWeiboPlatform",
        ]
    ):
        ids = [platform.id for platform in registry.all()]
        assert ids[-1] == "teahouse"
        assert ids.count("weibo") == 1
        assert registry.get("weibo").name == "Weibo (custom)"
        assert ("teahouse", "Tea House") in registry.share_choices()
        assert registry.get("teahouse").follow_url("@tea") == (
            "https://teahouse.example/@tea"
        )
    # Back to the built-ins as soon as the setting changes back.
    assert registry.get("teahouse") is None
    assert registry.get("weibo").name == "Weibo"


def test_a_project_can_reduce_the_list():
    with override_settings(SHARING_PLATFORMS=["sharing.platforms.x.XPlatform"]):
        assert [platform.id for platform in registry.all()] == ["x"]


@pytest.mark.parametrize(
    "path", ["sharing.platforms.nope.NopePlatform", "sharing.registry.registry"]
)
def test_a_bad_platform_path_is_explained(path):
    with override_settings(SHARING_PLATFORMS=[path]):
        with pytest.raises(ImproperlyConfigured, match="SHARING_PLATFORMS"):
            registry.all()
        from sharing.checks import check_platforms

        errors = check_platforms(None)
        assert [error.id for error in errors] == ["sharing.E001"]


def test_system_checks_warn_about_unknown_default_buttons():
    from sharing.checks import check_platforms

    with override_settings(SHARING_DEFAULT_SHARE_PLATFORMS=["weibo", "myspace"]):
        assert [error.id for error in check_platforms(None)] == ["sharing.W001"]
    with override_settings(SHARING_BOT_USER_AGENTS="(unclosed"):
        assert [error.id for error in check_platforms(None)] == ["sharing.E004"]
    call_command("check", "--fail-level", "WARNING")
