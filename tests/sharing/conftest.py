"""Fixtures of the sharing tests: a site of their own (host sharing.test) whose
pages are the test app's SharedPage, independent of the demo site."""

import io
import itertools

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from sharing.models import SharingSettings
from tests.testapp.models import SharedPage

HOST = "sharing.test"
_counter = itertools.count()


def make_image(title="Picture", size=(1600, 1000), colour=(31, 77, 58)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.jpg")
    image.save()
    return image


@pytest.fixture
def image_factory(db):
    return make_image


@pytest.fixture
def share_site(db):
    """A site at http://sharing.test/ whose root is a SharedPage. Counting
    starts from zero: the session's demo site has share counts of its own."""
    from sharing.models import ShareCount

    ShareCount.objects.all().delete()
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=SharedPage(title="Share home", slug=f"share-home-{next(_counter)}")
    )
    site = Site.objects.create(hostname=HOST, port=80, root_page=home, site_name="Tea")
    settings = SharingSettings.for_site(site)
    settings.save()
    return site


@pytest.fixture
def page_factory(share_site):
    def create(parent=None, **fields):
        parent = parent or share_site.root_page
        fields.setdefault("title", "Spring tea")
        fields.setdefault("slug", f"page-{next(_counter)}")
        page = parent.add_child(instance=SharedPage(**fields))
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return create


@pytest.fixture
def shared_page(page_factory, image_factory):
    return page_factory(
        title="Spring tea",
        intro="The first flush.",
        image=image_factory("Garden"),
    )


@pytest.fixture
def browser_client(client):
    """A client that looks like a browser on the test site (bots are not
    counted, and requests without a User-Agent are treated as bots)."""
    client.defaults.update(
        HTTP_HOST=HOST,
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36",
    )
    return client
