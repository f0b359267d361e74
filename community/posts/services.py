"""Community posts as plain functions: what the board views, template tags,
blocks, feeds and the admin use.

Lists are built from a constant number of queries whatever the number of
posts: one count and one page of posts (with author, profile and board
joined), one query for their pictures and one for their tags, and one for the
viewer's likes. Counters (likes, comments, views, reports) live on the post
row and change with atomic `F()` updates, so sorting by "most liked" or "most
discussed" is an index scan.
"""

import os

from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.db.models import Avg, Count, Prefetch
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.models import Locale, Page, Site

from community import app_settings as community_settings
from community import cjk, tallies
from community.adapter import CommunityAdapter, get_adapter
from community.comments import app_settings as comments_settings
from community.comments.models import Comment
from community.images import delete_files
from community.markdown import count_links
from community.moderation import Verdict, blocklist_matches
from community.posts import app_settings, invalidation
from community.posts.models import (
    CommunityBoardPage,
    Post,
    PostImage,
    PostReaction,
    PostReport,
)
from community.posts.pictures import store_renditions
from community.posts.tasks import process_post_pictures
from community.visitors import first_in_window
from sharing import pagecache

SORTS = {
    "latest": ("-published_at", "-pk"),
    "liked": ("-like_count", "-published_at", "-pk"),
    "discussed": ("-comment_count", "-published_at", "-pk"),
}
SORT_LABELS = {
    "latest": pgettext_lazy("sort order", "Latest"),
    "liked": _("Most liked"),
    "discussed": _("Most discussed"),
}
DEFAULT_SORT = "latest"


# Reading


def with_cards(queryset):
    """What a post card shows, in a fixed number of queries."""
    return queryset.select_related(
        "author__community_profile", "board"
    ).prefetch_related(
        Prefetch("images", queryset=PostImage.objects.order_by("sort_order", "pk")),
        "tags",
    )


def paginate(request, queryset, per_page=None, param="page"):
    paginator = Paginator(queryset, per_page or app_settings.PER_PAGE)
    try:
        return paginator.page(request.GET.get(param, 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(max(paginator.num_pages, 1))


def clean_sort(value):
    return value if value in SORTS else DEFAULT_SORT


def clean_tag(value):
    """A tag filter from the query string, whitespace collapsed, at most 100
    characters. A NUL byte is a bad request (400): no tag holds one, and
    PostgreSQL refuses it in a query."""
    value = value or ""
    if "\x00" in value:
        raise BadRequest("NUL byte in a tag")
    return " ".join(value.split())[:100]


def board_posts(board, *, sort=DEFAULT_SORT, tag=""):
    posts = Post.objects.published().filter(board=board)
    if tag:
        posts = posts.filter(tags__name=tag)
    return with_cards(posts.order_by(*SORTS[clean_sort(sort)]))


def feed_posts(*, sort=DEFAULT_SORT, tag="", language=None):
    """The site-wide community feed: published posts on live boards, in the
    active language's boards when `language` is given."""
    posts = Post.objects.live()
    if language:
        posts = posts.filter(board__locale__language_code=language)
    if tag:
        posts = posts.filter(tags__name=tag)
    return with_cards(posts.order_by(*SORTS[clean_sort(sort)]))


def member_posts(member, viewer):
    """A member's posts as `viewer` may see them: all of them for the member,
    published ones for everybody else."""
    posts = Post.objects.filter(author=member)
    if viewer is None or viewer.pk != member.pk:
        posts = posts.live()
    return with_cards(posts.order_by("-created_at", "-pk"))


def popular_now(*, limit=6, days=7, board=None, language=None):
    """Posts with the most likes and comments among those published lately."""
    since = timezone.now() - timezone.timedelta(days=days)
    posts = Post.objects.live().filter(published_at__gte=since)
    if board is not None:
        posts = posts.filter(board=board)
    if language:
        posts = posts.filter(board__locale__language_code=language)
    score = models.F("like_count") + 2 * models.F("comment_count")
    return list(
        with_cards(posts.annotate(score=score).order_by("-score", "-published_at"))[
            :limit
        ]
    )


def liked_ids(user, posts):
    if user is None or not user.is_authenticated:
        return set()
    ids = [post.pk for post in posts]
    if not ids:
        return set()
    return set(
        PostReaction.objects.filter(user=user, post_id__in=ids).values_list(
            "post_id", flat=True
        )
    )


def get_post_for(user, board, pk):
    """The post `pk` of `board` if `user` may see it, else None: published
    posts for everybody, unpublished ones only for their author and editors."""
    return (
        Post.objects.visible_to(user)
        .filter(board=board, pk=pk)
        .select_related(
            "author__community_profile",
            "product",
            "accepted_answer__user__community_profile",
        )
        .prefetch_related("images", "tags")
        .first()
    )


def may_edit(user, post):
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and post.state != Post.State.REMOVED
    )


# Who may post


POSTING_DENIED_HOOK = "community_posts_posting_denied"


def posting_denied(board, user, kind=None, *, request=None):
    """None when `user` may post on `board` (of `kind`, when given); else why
    not, in the active language. Who may take part at all is the
    COMMUNITY_ADAPTER's call (for `request`, when given)."""
    if board.is_closed:
        return _("This board is closed to new posts.")
    if not board.allowed_kinds():
        return _("This board does not take posts.")
    if kind is not None and kind not in dict(board.allowed_kinds()):
        return _("This board does not take this kind of post.")
    denied = get_adapter(request).participation_denied(
        user,
        require_verified_email=board.who_may_post
        == CommunityBoardPage.Posters.VERIFIED,
    )
    # Other apps narrow who may post on a board of theirs (the events app
    # keeps an event's photo board to its attendees): each function of the
    # "community_posts_posting_denied" hook takes (board, user) and returns
    # None or why not.
    for check in hooks.get_hooks(POSTING_DENIED_HOOK):
        denied = denied or check(board, user)
    return denied


def is_trusted(user):
    needed = app_settings.TRUSTED_AFTER
    if not needed:
        return False
    return (
        Post.objects.filter(author=user, state=Post.State.PUBLISHED)[:needed].count()
        >= needed
    )


def evaluate(board, user, text):
    """What the moderation policies say about a post's text: a Verdict.
    The comments' blocklist and link limit apply; pre-moderated boards hold
    posts of members who are not trusted yet."""
    verdict = Verdict()
    if user.has_perm("community_posts.change_post"):
        return verdict
    trusted = get_adapter().trust_level(user) >= CommunityAdapter.TRUSTED
    if board.premoderated and not (trusted or is_trusted(user)):
        verdict.hold(_("this board is pre-moderated"))
    words = blocklist_matches(text, comments_settings.BLOCKLIST)
    if words:
        verdict.hold(_("blocked words: %(words)s") % {"words": ", ".join(words)})
    if count_links(text) > comments_settings.MAX_LINKS:
        verdict.hold(_("too many links"))
    return verdict


# Writing


def save_post(post, *, user, board, tags, new_images, removed_images=(), submit=True):
    """Save a post with its tags and pictures in one transaction. Each of
    `new_images` is either an upload already checked by its header (kept as
    it came, then decoded and rendered by the background task
    `process_post_pictures`; until then the post is "processing pictures" and
    only its author and moderators see it) or a dict of renditions from
    `community.posts.pictures.render_post_image`, written at once. Files
    written are deleted again if anything fails. Returns the post."""
    written = []
    old_files = []
    verdict = evaluate(board, user, f"{post.title}\n{post.body}")
    if not submit:
        post.state = Post.State.DRAFT
    elif verdict.held:
        post.state = Post.State.PENDING
    else:
        post.state = Post.State.PUBLISHED
    post.hold_reasons = "; ".join(verdict.reasons)[:255]
    post.rejection_reason = ""
    post.dropped_pictures = ""
    post.board = board
    if post.author_id is None:
        post.author = user
    post.language = post.language or translation.get_language() or ""
    uploads = [image for image in new_images if not isinstance(image, dict)]
    if uploads:
        post.processing_pictures = True
    try:
        with transaction.atomic():
            post.save()
            post.tags.set(tags, clear=True)
            for image in removed_images:
                old_files += image.file_names()
                image.delete()
            start = PostImage.all_objects.filter(post=post).count()
            for offset, new in enumerate(new_images):
                written += _add_picture(post, new, start + offset)
            if (
                PostImage.all_objects.filter(post=post).count()
                > app_settings.MAX_IMAGES
            ):
                raise ValueError("too many pictures")
            if uploads:
                # Enqueued in the post's transaction: with the database
                # backend the task exists exactly when the post does; the
                # immediate backend (development, tests) runs it here.
                process_post_pictures.enqueue(post.pk)
    except Exception:
        delete_files(written)
        raise
    if uploads:
        post.refresh_from_db(fields=["processing_pictures", "dropped_pictures"])
    transaction.on_commit(lambda: delete_files(old_files))
    return post


def _add_picture(post, new, sort_order):
    """Store one new picture of `post`; returns the names of files written."""
    picture = PostImage(post=post, sort_order=sort_order)
    written = []
    if isinstance(new, dict):
        picture.alt_text = new.get("alt", "")
        written += store_renditions(picture, new)
    else:
        new.seek(0)
        name = os.path.basename(getattr(new, "name", "") or "picture")
        picture.upload.save(name, new, save=False)
        written.append(picture.upload.name)
    try:
        picture.save()
    except Exception:
        delete_files(written)
        raise
    return written


def delete_post(post):
    """Delete a post and its pictures' files (after the commit), those still
    being processed included."""
    files = []
    for image in PostImage.all_objects.filter(post=post):
        files += image.file_names()
    with transaction.atomic():
        post.delete()
        transaction.on_commit(lambda: delete_files(files))


def toggle_like(user, post):
    """Like or unlike; returns (liked, like_count). Atomic, once per member."""
    return tallies.toggle(PostReaction, post, "like_count", post=post, user=user)


def report_post(user, post, reason, note=""):
    """Report a post once; returns False when this member already did."""
    return tallies.add_once(
        PostReport, post, "report_count", post=post, user=user, reason=reason, note=note
    )


#: The page cache's name of `record_view` (registered in the app's ready()).
VIEW_COUNTER = "community_posts.view"


def count_view(request, post):
    """`record_view` of a post being shown. When the page cache may store the
    page, the view counts after the response and again each time the cache
    serves the page (`sharing.pagecache.on_view`; returns None then)."""
    return pagecache.on_view(request, VIEW_COUNTER, post.pk, post.author_id)


def record_view(request, post_id, author_id):
    """One more view, unless a bot, the author, not a GET, or the same visitor
    within COMMUNITY_VIEW_COUNT_WINDOW (community.visitors: no cookie). One
    UPDATE."""
    if request.method != "GET" or get_adapter(request).is_bot(request):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk == author_id:
        return False
    window = community_settings.VIEW_COUNT_WINDOW
    if not first_in_window(request, "post-view", post_id, seconds=window):
        return False
    Post.objects.filter(pk=post_id).update(view_count=models.F("view_count") + 1)
    return True


def accept_answer(post, comment):
    """Mark a question answered by `comment` (a published comment on it), or
    not answered when `comment` is None."""
    post.accepted_answer = comment
    post.answered_at = timezone.now() if comment is not None else None
    Post.objects.filter(pk=post.pk).update(
        accepted_answer=comment, answered_at=post.answered_at
    )
    invalidation.invalidate_posts(Post.objects.filter(pk=post.pk))


def answer_candidates(post):
    return (
        Comment.objects.for_object(post)
        .filter(state=Comment.State.PUBLISHED, deleted_at__isnull=True)
        .select_related("user__community_profile")
        .order_by("submit_date")
    )


def refresh_comment_count(post_id):
    """Store the number of published comments on the post row (for sorting)."""
    content_type = ContentType.objects.get_for_model(Post)
    count = Comment.objects.filter(
        content_type=content_type,
        object_pk=str(post_id),
        state=Comment.State.PUBLISHED,
        deleted_at__isnull=True,
    ).count()
    Post.objects.filter(pk=post_id).update(comment_count=count)


def on_comment_changed(sender, instance, **kwargs):
    """Signal receiver (connected in AppConfig.ready): keeps comment_count."""
    post_type = ContentType.objects.get_for_model(Post)
    object_pk = str(instance.object_pk)
    if instance.content_type_id != post_type.pk:
        return
    if object_pk.isascii() and object_pk.isdigit():
        refresh_comment_count(int(object_pk))


# Reviews


def product_reviews(product, *, latest=3):
    """{"count", "average", "latest"} of the published reviews of `product`:
    one aggregate query and one for the latest reviews, once per product
    object (a product page shows them and describes them in its JSON-LD)."""
    memo = product.__dict__.setdefault("_community_reviews", {})
    if latest not in memo:
        memo[latest] = _product_reviews(product, latest)
    return memo[latest]


def _product_reviews(product, latest):
    reviews = Post.objects.live().filter(
        product=product, kind=Post.Kind.REVIEW, rating__isnull=False
    )
    summary = reviews.aggregate(count=Count("pk"), average=Avg("rating"))
    count = summary["count"] or 0
    average = round(float(summary["average"]), 1) if count else None
    items = (
        list(
            reviews.select_related("author__community_profile", "board").order_by(
                "-published_at", "-pk"
            )[:latest]
        )
        if count
        else []
    )
    return {"count": count, "average": average, "latest": items}


def reviews_json_ld(product, summary, request=None):
    """schema.org Product with AggregateRating and Review items, as a dict
    (json_script-ready), or None without reviews."""
    if not summary["count"]:
        return None
    url = product.get_full_url(request) if hasattr(product, "get_full_url") else ""
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": summary["average"],
            "reviewCount": summary["count"],
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "name": review.title,
                "reviewBody": review.body_text()[:500],
                "datePublished": timezone.localdate(review.published_at).isoformat(),
                "author": {"@type": "Person", "name": str(review.author_name())},
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": review.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            }
            for review in summary["latest"]
        ],
    }


def listed_board_types():
    """The content types of the board page types listed among the
    community's boards (`CommunityBoardPage.listed_with_boards`)."""
    return [
        ContentType.objects.get_for_model(model)
        for model in django_apps.get_models()
        if issubclass(model, CommunityBoardPage) and model.listed_with_boards
    ]


def site_boards(request=None, locale=None):
    """The live, public boards of the request's site in `locale` (default: the
    active language's), in the order of the page tree: the community's
    board links."""
    boards = (
        CommunityBoardPage.objects.live()
        .public()
        .filter(content_type__in=listed_board_types())
    )
    locale = locale or Locale.get_active()
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        root = site.root_page.get_translation_or_none(locale) or site.root_page
        boards = boards.descendant_of(root)
    return list(boards.filter(locale=locale).order_by("path"))


#: The kinds of posts a product page asks for, with their buttons' labels.
PRODUCT_POST_KINDS = {
    Post.Kind.REVIEW: ("allow_reviews", _("Write a review")),
    Post.Kind.QUESTION: ("allow_questions", _("Ask a question")),
}


def product_post_links(product, request=None):
    """[{"kind", "label", "url", "board"}]: for a review and a question about
    `product`, the form of the first live board (in the product's language,
    tree order) that takes that kind, with the product chosen. One query."""
    if getattr(product, "pk", None) is None:
        return []
    wanted = models.Q()
    for field, _label in PRODUCT_POST_KINDS.values():
        wanted |= models.Q(**{field: True})
    boards = list(
        CommunityBoardPage.objects.live()
        .public()
        .filter(wanted, locale_id=product.locale_id)
        .order_by("path")
    )
    links = []
    for kind, (field, label) in PRODUCT_POST_KINDS.items():
        board = next((b for b in boards if getattr(b, field)), None)
        if board is None or board.is_closed:
            continue
        url = board.get_url(request)
        if not url:
            continue
        query = urlencode({"kind": kind.value, "product": product.pk})
        links.append(
            {
                "kind": kind.value,
                "label": label,
                "url": f"{url}{board.reverse_subpage('post_new')}?{query}",
                "board": board,
            }
        )
    return links


def product_choices(language=None):
    """(pk, title) of the live pages a post may be about
    (COMMUNITY_POSTS_PRODUCT_MODELS), in `language` when given."""
    names = app_settings.PRODUCT_MODELS
    if not names:
        return []
    types = []
    for name in names:
        app_label, _sep, model = name.partition(".")
        content_type = ContentType.objects.filter(
            app_label=app_label, model=model
        ).first()
        if content_type is not None:
            types.append(content_type.pk)
    pages = Page.objects.live().filter(content_type_id__in=types)
    if language:
        pages = pages.filter(locale__language_code=language)
    return list(pages.order_by("title").values_list("pk", "title"))


# Search


def search_posts(query, *, language=None, limit=10):
    """Published posts matching `query` through the Wagtail search backend:
    plain words only, Chinese runs as bigrams, the query's length and number
    of words capped (see `community.cjk.search`)."""
    posts = Post.objects.published()
    if language:
        posts = posts.filter(language=language)
    found = list(cjk.search(posts, query)[:limit])
    ids = [post.pk for post in found]
    live = with_cards(Post.objects.live().filter(pk__in=ids)).in_bulk()
    return [live[pk] for pk in ids if pk in live]
