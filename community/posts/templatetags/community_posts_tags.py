from django import template
from django.utils.translation import get_language

from community.posts import invalidation, services, structured_data
from community.posts.models import CommunityBoardPage
from sharing import pagecache

register = template.Library()


@register.inclusion_tag(
    "community_posts/includes/product_reviews.html", takes_context=True
)
def product_reviews(context, product, latest=3, json_ld=True):
    """Average rating, count and latest reviews of `product` from community
    boards, with schema.org AggregateRating/Review JSON-LD (`json_ld=False`
    leaves it out, for a product page whose own JSON-LD includes them)."""
    request = context.get("request")
    summary = services.product_reviews(product, latest=latest)
    return {
        "request": request,
        "product": product,
        "summary": summary,
        "json_ld": (
            services.reviews_json_ld(product, summary, request) if json_ld else None
        ),
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


def _boards_of(request):
    """The site's boards, for a page that links them: the page cache takes
    it out when a board is published, renamed or unpublished."""
    pagecache.depend(request, invalidation.BOARDS)
    return services.site_boards(request)


@register.simple_tag(takes_context=True)
def community_boards(context):
    """The live boards of this site in the active language, in tree order:
    ``{% community_boards as boards %}``."""
    return _boards_of(context.get("request"))


@register.simple_tag(takes_context=True)
def in_community(context):
    """True on the community's pages: the feed of posts, a board, a post."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "community_posts":
        return True
    return isinstance(context.get("page"), CommunityBoardPage)


@register.inclusion_tag("community_posts/includes/board_nav.html", takes_context=True)
def board_nav(context):
    """Links to the community feed and to every board, the current one
    marked: the community's own navigation, on its pages."""
    request = context.get("request")
    page = context.get("page")
    return {
        "request": request,
        "boards": _boards_of(request),
        "current": page.pk if isinstance(page, CommunityBoardPage) else None,
    }


@register.inclusion_tag("community_posts/includes/board_cards.html", takes_context=True)
def board_cards(context):
    """A card per board with its introduction: the community page's way
    into the boards."""
    request = context.get("request")
    return {"request": request, "boards": _boards_of(request)}


@register.inclusion_tag(
    "community_posts/includes/product_post_buttons.html", takes_context=True
)
def product_post_buttons(context, product):
    """ "Write a review" and "Ask a question" for `product`: each opens the
    form of a board that takes that kind of post, with the product chosen."""
    request = context.get("request")
    pagecache.depend(request, invalidation.BOARDS)
    return {
        "request": request,
        "links": services.product_post_links(product, request),
    }


@register.simple_tag(takes_context=True)
def post_json_ld(context, post):
    """The schema.org JSON-LD of a published post (a DiscussionForumPosting,
    or a QAPage for an answered question), for `community_tags`' `json_ld`
    filter: ``{% post_json_ld post as data %}{{ data|json_ld }}``."""
    return structured_data.post_json_ld(post, context.get("request"))
