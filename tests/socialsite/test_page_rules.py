import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from socialsite.website.models import (
    ArticlePage,
    ContactPage,
    HomePage,
    NewsIndexPage,
    ProductIndexPage,
    ProductPage,
    StandardPage,
)


@pytest.mark.usefixtures("demo_site")
class PageRulesTests(WagtailPageTestCase):
    def setUp(self):
        from django.contrib.auth import get_user_model

        self.client.force_login(get_user_model().objects.get(username="editor"))
        self.home = HomePage.objects.get(locale__language_code="en")
        self.news = NewsIndexPage.objects.get(locale__language_code="en")
        self.products = ProductIndexPage.objects.get(locale__language_code="en")

    def test_home_page_lives_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_articles_only_in_a_news_index(self):
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(HomePage, ArticlePage)

    def test_products_only_in_a_product_index(self):
        self.assertAllowedParentPageTypes(ProductPage, {ProductIndexPage})
        self.assertAllowedSubpageTypes(ProductIndexPage, {ProductPage})
        self.assertCanNotCreateAt(StandardPage, ProductPage)

    def test_one_index_of_each_kind_per_parent(self):
        self.assertFalse(NewsIndexPage.can_create_at(self.home))
        self.assertFalse(ProductIndexPage.can_create_at(self.home))
        self.assertTrue(StandardPage.can_create_at(self.home))

    def test_editor_can_create_an_article(self):
        self.assertCanCreate(
            self.news,
            ArticlePage,
            nested_form_data(
                {
                    "title": "A new article",
                    "slug": "a-new-article",
                    "date": "2026-11-01",
                    "author": "Zhou Min",
                    "intro": "Short intro.",
                    "body": streamfield(
                        [("paragraph", rich_text("<p>Some text</p>"))],
                    ),
                    "tags": "news",
                    # The "Publish to own media" panel (sharing), left empty.
                    "own_media_posts": inline_formset([]),
                }
            ),
        )

    def test_editor_can_create_a_standard_page_and_a_contact_page(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Careers",
                    "slug": "careers",
                    "intro": "Join us.",
                    "body": streamfield([]),
                }
            ),
        )
        self.assertCanCreate(
            self.home,
            ContactPage,
            nested_form_data(
                {
                    "title": "Survey",
                    "slug": "survey",
                    "form_fields": inline_formset(
                        [{"label": "Favourite tea", "field_type": "singleline"}]
                    ),
                }
            ),
        )
