"""schema.org JSON-LD of the demo's articles and products, as Google reads
them for article and product rich results.

What the demo can fill honestly: an article has its headline, pictures,
date, author (a person's name; authors have no pages of their own), the
company as publisher, its tags and comment count. A product has its name,
pictures, description, the company as brand, an offer with its price and
currency, and the members' reviews with their average rating. The demo has
no stock, shipping or return data and sells nothing online, so the offer
states no availability, and there is no GTIN or SKU to give.
"""

from django.utils import timezone
from django.utils.text import Truncator

from community.comments.models import Comment
from community.posts import services as posts_services
from sharing.links import absolute_image_url
from sharing.meta import hreflang, plain_text

SCHEMA = "https://schema.org"
#: Pictures for search results: large enough (Google asks for at least
#: 50,000 pixels), in their own proportions.
IMAGE_FILTER = "max-1200x1200"
HEADLINE_LENGTH = 110


def image_urls(request, images):
    """Absolute URLs of renditions of `images` (each picture once)."""
    unique = {image.pk: image for image in images if image is not None}
    return [
        absolute_image_url(request, image.get_rendition(IMAGE_FILTER))
        for image in unique.values()
    ]


def organization(page, request=None):
    site = page.get_site()
    item = {"@type": "Organization", "name": site.site_name if site else ""}
    if site is not None:
        item["url"] = site.root_url
    return item


def published_comment_count(page):
    return (
        Comment.objects.for_object(page)
        .filter(
            is_public=True,
            state=Comment.State.PUBLISHED,
            deleted_at__isnull=True,
        )
        .count()
    )


def article_json_ld(page, request=None):
    """An `Article` (Google: no required properties; every recommended one
    the article has is given)."""
    url = page.get_full_url(request)
    item = {
        "@context": SCHEMA,
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": Truncator(page.title).chars(HEADLINE_LENGTH),
        "description": page.intro,
        "inLanguage": hreflang(page.locale.language_code),
        # The editors' date has no time of day: an ISO 8601 date.
        "datePublished": page.date.isoformat(),
        "author": [{"@type": "Person", "name": page.author}],
        "publisher": organization(page, request),
        "commentCount": published_comment_count(page),
    }
    modified = page.last_published_at
    if modified is not None and timezone.localdate(modified) >= page.date:
        item["dateModified"] = timezone.localtime(modified).isoformat(
            timespec="seconds"
        )
    images = image_urls(request, [page.image])
    if images:
        item["image"] = images
    tags = [tag.name for tag in page.tags.all()]
    if tags:
        item["keywords"] = tags
    return item


def product_json_ld(page, request=None):
    """A `Product` with an `Offer` and, when members reviewed it, their
    `AggregateRating` and latest `Review`s (Google's product snippets need
    a name and one of offers, review or aggregateRating)."""
    url = page.get_full_url(request)
    item = {
        "@context": SCHEMA,
        "@type": "Product",
        "@id": f"{url}#product",
        "url": url,
        "name": page.title,
        "description": plain_text(str(page.description)) or page.intro,
        "brand": {"@type": "Brand", "name": organization(page, request)["name"]},
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": str(page.price),
            "priceCurrency": page.currency,
        },
    }
    images = image_urls(request, [page.image, *page.gallery()])
    if images:
        item["image"] = images
    summary = posts_services.product_reviews(page)
    reviews = posts_services.reviews_json_ld(page, summary, request)
    if reviews:
        item["aggregateRating"] = reviews["aggregateRating"]
        item["review"] = reviews["review"]
    return item
