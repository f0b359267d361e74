"""What every page shows is cached (menus and languages, the home page's
listings, the own-media accounts and share buttons, view restrictions, the
popular block): a change shows on the next request, signed in or not. The
anonymous page cache is off here, to see the rendering itself."""

import pytest
from wagtail.models import PageViewRestriction

from community.posts.models import Post
from sharing.models import OwnMediaAccount, SharingSettings
from socialsite.website.models import ArticlePage, HomePage, ProductPage, StandardPage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_site", "no_page_cache"),
]


@pytest.fixture
def no_page_cache(settings):
    settings.SHARING_PAGE_CACHE = False


@pytest.fixture
def member_client(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="visitor"))
    return client


@pytest.fixture
def home():
    return HomePage.objects.get(locale__language_code="en")


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_published_menu_page_shows_in_the_header(member_client, home):
    html_of(member_client, "/en/")
    page = StandardPage(title="Tea school", slug="tea-school", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    assert ">Tea school</a>" in html_of(member_client, "/en/")
    page.unpublish()
    assert ">Tea school</a>" not in html_of(member_client, "/en/")


def test_an_unpublished_product_leaves_the_home_page(client, home):
    newest = (
        ProductPage.objects.live()
        .descendant_of(home)
        .order_by("-first_published_at")
        .first()
    )
    assert f'href="{newest.url}"' in html_of(client, "/en/")
    newest.unpublish()
    assert f'href="{newest.url}"' not in html_of(client, "/en/")


def test_own_media_accounts_show_as_soon_as_saved(member_client, home):
    settings = SharingSettings.for_site(home.get_site())
    html_of(member_client, "/en/")
    account = OwnMediaAccount.objects.create(
        settings=settings,
        platform="bilibili",
        handle="12345",
        label="Cloudmist on Bilibili",
        show_in_footer=True,
        sort_order=99,
    )
    assert "Cloudmist on Bilibili" in html_of(member_client, "/en/")
    account.delete()
    assert "Cloudmist on Bilibili" not in html_of(member_client, "/en/")


def test_a_view_restriction_hides_the_share_buttons_at_once(member_client):
    article = ArticlePage.objects.live().filter(locale__language_code="en").first()
    assert "data-sharing" in html_of(member_client, article.url)
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    assert "data-sharing" not in html_of(member_client, article.url)


def test_a_removed_post_leaves_the_popular_block(client):
    html = html_of(client, "/en/")
    shown = [post for post in Post.objects.live() if f'href="{post.get_url()}"' in html]
    assert shown, "the demo home page shows popular posts"
    post = shown[0]
    post.state = Post.State.REMOVED
    post.save()
    assert f'href="{post.get_url()}"' not in html_of(client, "/en/")
