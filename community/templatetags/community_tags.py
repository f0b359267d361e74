from django import template

from community.comments import comment_form_context, comment_thread

register = template.Library()


@register.inclusion_tag("community/includes/member_menu.html", takes_context=True)
def member_menu(context):
    """The header's account menu: "Sign in", or the member's avatar with links
    to their profile and settings and a sign-out button (a POST form)."""
    from ..accounts import member_menu_context

    return member_menu_context(context.get("request"))


@register.inclusion_tag("community/includes/avatar.html")
def member_avatar(user, size="small"):
    from ..models import Profile

    return {"profile": Profile.for_user(user), "size": size}


@register.inclusion_tag("community/includes/comments.html", takes_context=True)
def comments_for(context, target):
    """The comments of `target` (a page or object using CommentsMixin): the
    form, the threads and their actions. Renders nothing when hidden."""
    request = context["request"]
    if not getattr(target, "show_comments", True):
        return {"hidden": True}
    return {**comment_thread(request, target), **comment_form_context(request, target)}


@register.inclusion_tag("community/includes/product_reviews.html", takes_context=True)
def product_reviews(context, product, latest=3):
    """Average rating, count and latest reviews of `product` from community
    boards, with schema.org AggregateRating/Review JSON-LD."""
    from ..posts import product_reviews as reviews_of
    from ..posts import reviews_json_ld

    request = context.get("request")
    summary = reviews_of(product, latest=latest)
    return {
        "request": request,
        "product": product,
        "summary": summary,
        "json_ld": reviews_json_ld(product, summary, request),
        "stars": range(1, 6),
    }


@register.inclusion_tag("community/includes/member_posts.html", takes_context=True)
def member_posts(context, member, limit=6):
    """A member's posts on their profile (the member also sees their own
    drafts, held and rejected posts)."""
    from ..posts import member_posts as posts_of

    request = context.get("request")
    viewer = getattr(request, "user", None)
    posts = list(posts_of(member, viewer)[:limit])
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


@register.filter
def json_ld(value):
    """`value` as a `<script type="application/ld+json">`, escaped like
    Django's json_script so text from visitors cannot close the element."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    if not value:
        return ""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    safe_text = mark_safe(text)  # noqa: S308 (escaped above)
    return format_html('<script type="application/ld+json">{}</script>', safe_text)


@register.inclusion_tag("community/includes/post_search_results.html")
def post_search_results(query, limit=10):
    """Community posts matching a site search `query`, in the active language."""
    from django.utils.translation import get_language

    from ..posts import search_posts

    return {"posts": search_posts(query, language=get_language(), limit=limit)}
