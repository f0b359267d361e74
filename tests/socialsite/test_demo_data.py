import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from socialsite.website.models import ArticlePage, FormField, ProductPage


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "form fields": FormField.objects.count(),
        "sites": Site.objects.count(),
    }


def test_demo_data_is_complete(demo_site):
    for language in ["en", "zh-hans"]:
        assert (
            ArticlePage.objects.live().filter(locale__language_code=language).count()
            >= 6
        )
        assert (
            ProductPage.objects.live().filter(locale__language_code=language).count()
            >= 6
        )
    assert demo_site.root_page.specific.title == "Cloudmist Tea"
    zh_titles = set(
        ArticlePage.objects.filter(locale__language_code="zh-hans").values_list(
            "title", flat=True
        )
    )
    en_titles = set(
        ArticlePage.objects.filter(locale__language_code="en").values_list(
            "title", flat=True
        )
    )
    assert not zh_titles & en_titles, "Chinese articles must be translated"


def test_every_image_is_a_real_picture(demo_site):
    for image in get_image_model().objects.all():
        assert image.width >= 1000 and image.height >= 1000 * 0.6
        with image.open_file() as f:
            assert f.read(3) == b"\xff\xd8\xff"  # JPEG


def test_load_demo_data_is_idempotent(demo_site):
    before = counts()
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert counts() == before
    assert "already there" in out.getvalue()


def test_demo_accounts_are_printed_and_work(demo_site, client, demo_site_data):
    assert "password 'cloudmist-editor'" in demo_site_data
    assert "password 'cloudmist-visitor'" in demo_site_data
    assert client.login(username="editor", password="cloudmist-editor")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="visitor", password="cloudmist-visitor")
    # A visitor is not an editor: the admin sends them to its login page.
    assert client.get("/admin/").status_code == 302
