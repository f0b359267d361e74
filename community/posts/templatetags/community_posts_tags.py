from django import template
from django.utils.translation import get_language

from community.posts import services

register = template.Library()


@register.inclusion_tag(
    "community_posts/includes/product_reviews.html", takes_context=True
)
def product_reviews(context, product, latest=3):
    """Average rating, count and latest reviews of `product` from community
    boards, with schema.org AggregateRating/Review JSON-LD."""
    request = context.get("request")
    summary = services.product_reviews(product, latest=latest)
    return {
        "request": request,
        "product": product,
        "summary": summary,
        "json_ld": services.reviews_json_ld(product, summary, request),
        "stars": range(1, 6),
    }


@register.inclusion_tag(
    "community_posts/includes/member_posts.html", takes_context=True
)
def member_posts(context, member, limit=6):
    """A member's posts on their profile (the member also sees their own
    drafts, held and rejected posts)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    posts = list(services.member_posts(member, viewer)[:limit])
    return {"request": request, "posts": posts, "member": member}


@register.filter
def stars(rating):
    """ "★★★★☆" for 4."""
    try:
        rating = int(round(float(rating)))
    except (TypeError, ValueError):
        return ""
    rating = max(0, min(5, rating))
    return "★" * rating + "☆" * (5 - rating)


@register.inclusion_tag("community_posts/includes/post_search_results.html")
def post_search_results(query, limit=10):
    """Community posts matching a site search `query`, in the active language."""
    return {"posts": services.search_posts(query, language=get_language(), limit=limit)}
