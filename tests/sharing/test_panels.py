"""The sharing fields reach the page editor by the mixin alone, and the system
check names a page type whose own promote_panels leave them out."""

import pytest
from django.test.utils import isolate_apps
from wagtail.models import Page
from wagtail.models.pages import PAGE_MODEL_CLASSES

from sharing.checks import SHARING_FIELDS, check_page_panels
from sharing.models import ShareablePageMixin
from tests.testapp.models import CommentablePage


def form_fields(model):
    return model.get_edit_handler().get_form_options()["fields"]


def test_the_mixin_adds_the_sharing_fields_to_the_promote_tab():
    # CommentablePage declares no promote_panels of its own.
    assert "promote_panels" not in CommentablePage.__dict__
    fields = form_fields(CommentablePage)
    for name in (*SHARING_FIELDS, "slug", "seo_title", "search_description"):
        assert name in fields


def test_the_demo_and_test_pages_pass_the_check():
    assert check_page_panels(None) == []


@pytest.fixture
def page_hiding_the_sharing_fields():
    with isolate_apps("tests.testapp"):

        class HiddenSharingPage(ShareablePageMixin, Page):
            promote_panels = Page.promote_panels

            class Meta:
                app_label = "testapp"

        try:
            yield HiddenSharingPage
        finally:
            PAGE_MODEL_CLASSES.remove(HiddenSharingPage)


def test_the_check_names_a_page_type_that_hides_the_fields(
    page_hiding_the_sharing_fields,
):
    (warning,) = check_page_panels(None)
    assert warning.id == "sharing.W004"
    assert warning.obj is page_hiding_the_sharing_fields
    assert "testapp.HiddenSharingPage" in warning.msg
    assert "share_title" in warning.msg
    assert "ShareablePageMixin.sharing_panels" in warning.hint
