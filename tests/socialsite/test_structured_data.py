"""The demo's JSON-LD carries what Google requires (and recommends, where the
demo has it) for article, product and discussion rich results: articles are
`Article`s, products complete `Product`s with an offer and the members'
ratings, posts `DiscussionForumPosting`s or `QAPage`s."""

import pytest

from community.comments.models import Comment
from community.posts.models import Post
from socialsite.website.models import ArticlePage, ProductPage
from tests.rich_results import json_ld, problems

LANGUAGES = ["en", "zh-hans"]


def page_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return json_ld(response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_articles(client, demo_site, language):
    articles = ArticlePage.objects.live().filter(locale__language_code=language)
    assert articles.count() >= 5
    for article in articles:
        [data] = page_data(client, article.url)
        assert problems(data) == [], article.url
        assert data["@type"] == "Article"
        assert data["headline"] == article.title
        assert data["url"] == demo_site.root_url + article.url
        assert data["datePublished"] == article.date.isoformat()
        assert data["dateModified"] >= data["datePublished"]
        assert data["author"] == [{"@type": "Person", "name": article.author}]
        assert data["publisher"]["name"] == demo_site.site_name
        assert data["inLanguage"] == {"en": "en", "zh-hans": "zh-Hans"}[language]
        assert all(url.startswith(demo_site.root_url) for url in data["image"])
        published = Comment.objects.for_object(article).filter(
            state="published", deleted_at__isnull=True
        )
        assert data["commentCount"] == published.count()


@pytest.mark.parametrize("language", LANGUAGES)
def test_products(client, demo_site, language):
    products = ProductPage.objects.live().filter(locale__language_code=language)
    assert products.count() >= 6
    rated = 0
    for product in products:
        blocks = page_data(client, product.url)
        # One Product per page: the reviews are part of it, not a second one.
        [data] = [block for block in blocks if block["@type"] == "Product"]
        assert problems(data) == [], product.url
        assert data["name"] == product.title
        assert data["description"] and "<" not in data["description"]
        assert data["brand"] == {"@type": "Brand", "name": demo_site.site_name}
        assert len(data["image"]) == len(set(data["image"])) >= 1
        assert data["offers"] == {
            "@type": "Offer",
            "url": demo_site.root_url + product.url,
            "price": str(product.price),
            "priceCurrency": product.currency,
        }
        reviews = Post.objects.live().filter(
            product=product, kind="review", rating__isnull=False
        )
        if reviews.exists():
            rated += 1
            assert data["aggregateRating"]["reviewCount"] == reviews.count()
            assert {review["name"] for review in data["review"]} <= {
                review.title for review in reviews
            }
        else:
            assert "aggregateRating" not in data
    assert rated >= 1


def test_every_published_post(client, demo_site):
    posts = Post.objects.live().select_related("board")
    kinds = set()
    for post in posts:
        [data] = page_data(client, post.get_url())
        assert problems(data) == [], post.get_url()
        kinds.add(data["@type"])
        if data["@type"] == "DiscussionForumPosting":
            assert data["commentCount"] == post.comment_count
    assert kinds == {"DiscussionForumPosting", "QAPage"}
