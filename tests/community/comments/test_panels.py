"""The comment switches reach the page editor by the mixin alone, and the
system check names a page type whose own settings_panels leave them out."""

import pytest
from django.test.utils import isolate_apps
from wagtail.models import Page
from wagtail.models.pages import PAGE_MODEL_CLASSES

from community.comments.checks import check_page_panels
from community.comments.models import CommentsMixin
from tests.testapp.models import CommentablePage


def test_the_mixin_adds_the_switches_to_the_settings_tab():
    # CommentablePage's class body declares no settings_panels.
    fields = CommentablePage.get_edit_handler().get_form_options()["fields"]
    assert {"allow_comments", "show_comments", "go_live_at"} <= set(fields)


def test_the_demo_and_test_pages_pass_the_check():
    assert check_page_panels(None) == []


@pytest.fixture
def page_hiding_the_switches():
    with isolate_apps("tests.testapp"):

        class HiddenCommentsPage(CommentsMixin, Page):
            settings_panels = Page.settings_panels

            class Meta:
                app_label = "testapp"

        try:
            yield HiddenCommentsPage
        finally:
            PAGE_MODEL_CLASSES.remove(HiddenCommentsPage)


def test_the_check_names_a_page_type_that_hides_the_switches(
    page_hiding_the_switches,
):
    (warning,) = check_page_panels(None)
    assert warning.id == "community_comments.W010"
    assert warning.obj is page_hiding_the_switches
    assert "allow_comments, show_comments" in warning.msg
    assert "CommentsMixin.comments_panels" in warning.hint
