"""Security headers on every response (Permissions-Policy, the admin's CSP
without 'unsafe-eval'), the QR image varying by Host, and absolute share URLs
built on the Wagtail Site's root URL whatever Host header the client sends."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Site

from socialsite.middleware import PermissionsPolicyMiddleware
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FORGED = "evil.example"


def features(response):
    header = response["Permissions-Policy"]
    return dict(item.split("=", 1) for item in header.split(", "))


@pytest.mark.parametrize("path", ["/en/", "/en/no-such-page/", "/admin/login/"])
def test_every_response_has_a_permissions_policy(client, path):
    response = client.get(path)
    policy = features(response)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"


def test_a_view_can_allow_a_feature_on_its_own_response(settings):
    settings.PERMISSIONS_POLICY = {"camera": [], "microphone": []}

    def check_in(request):
        response = HttpResponse("scan")
        response._permissions_policy_update = {
            "camera": ["self", "https://scanner.example"]
        }
        return response

    response = PermissionsPolicyMiddleware(check_in)(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == (
        'camera=(self "https://scanner.example"), microphone=()'
    )
    plain = PermissionsPolicyMiddleware(lambda r: HttpResponse())(
        RequestFactory().get("/")
    )
    assert plain["Permissions-Policy"] == "camera=(), microphone=()"


@pytest.fixture
def admin_client(client):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    return client


def script_src(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"script-src ([^;]*)", policy).group(1).split()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/{page}/edit/",
        "/admin/community/posts/",
        "/admin/images/chooser/",
        "/django-admin/",
    ],
)
def test_the_admin_works_without_unsafe_eval(admin_client, shared_page, path):
    response = admin_client.get(path.format(page=shared_page.pk))
    assert response.status_code == 200
    assert "'unsafe-eval'" not in script_src(response)
    assert "'self'" in script_src(response)
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_public_site_allows_no_inline_code(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_qr_image_varies_by_host_and_ignores_a_forged_one(
    browser_client, shared_page
):
    path = f"/en/share/qr/wechat/page/{shared_page.pk}.svg"
    legit = browser_client.get(path)
    assert legit.status_code == 200, legit.content[:200]
    assert "public" in legit["Cache-Control"]
    assert "Host" in legit["Vary"]
    forged = browser_client.get(path, HTTP_HOST=FORGED)
    assert forged.status_code == 200
    assert forged.content == legit.content


@pytest.fixture
def default_share_site(share_site):
    """The sharing site is the default one: a Host no site claims is served
    by it, as in development with ALLOWED_HOSTS = ["*"]."""
    for site in Site.objects.filter(is_default_site=True):
        site.is_default_site = False
        site.save()
    share_site.is_default_site = True
    share_site.save()
    return share_site


def test_a_forged_host_does_not_shape_share_targets(
    browser_client, default_share_site, shared_page
):
    response = browser_client.get(
        f"/en/share/weibo/page/{shared_page.pk}/", HTTP_HOST=FORGED
    )
    assert response.status_code == 302
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["url"][0].startswith(f"http://sharing.test/en/{shared_page.slug}/")
    assert params["pic"][0].startswith("http://sharing.test/")
    assert FORGED not in response["Location"]


def test_a_forged_host_does_not_shape_the_qr_page(
    browser_client, default_share_site, shared_page
):
    response = browser_client.get(
        f"/en/share/qr/wechat/page/{shared_page.pk}/", HTTP_HOST=FORGED
    )
    assert response.status_code == 200
    assert response.context["url"].startswith(
        f"http://sharing.test/en/{shared_page.slug}/?utm_source=wechat"
    )
    assert FORGED not in response.content.decode()


def test_a_forged_host_does_not_shape_buttons_or_link_previews(
    browser_client, default_share_site, shared_page
):
    response = browser_client.get(f"/en/{shared_page.slug}/", HTTP_HOST=FORGED)
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'data-url="([^"]+)"', html)
    assert urls and all(url.startswith("http://sharing.test/") for url in urls)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert og_url == f"http://sharing.test/en/{shared_page.slug}/"
    assert og_image.group(1).startswith("http://sharing.test/")
    assert FORGED not in html
