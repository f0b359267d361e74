"""Views of community boards and posts (routed by `CommunityBoardPage`, plus
the site-wide feed). Every view checks who asks: a post that is not published
is shown only to its author and to moderators, edited and deleted only by its
author; a missing or hidden post is a 404, never a 500."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from community import ratelimit
from community.adapter import get_adapter
from community.posts import app_settings, invalidation
from community.posts.feeds import BoardFeed
from community.posts.forms import PostForm, ReportForm
from community.posts.models import Post
from community.posts.services import (
    SORT_LABELS,
    SORTS,
    accept_answer,
    answer_candidates,
    board_posts,
    clean_sort,
    clean_tag,
    count_view,
    delete_post,
    feed_posts,
    get_post_for,
    liked_ids,
    may_edit,
    paginate,
    posting_denied,
    report_post,
    save_post,
    toggle_like,
)
from community.posts.share import SharedPost
from community.responses import refuse, wants_json
from sharing import pagecache


def share_object(post):
    """The post as sharing's Shareable, when the sharing app is installed."""
    if not apps.is_installed("sharing") or not post.is_published:
        return None
    return SharedPost(post)


def _list_context(request, posts_queryset, sort, tag):
    page = paginate(request, posts_queryset)
    posts = list(page.object_list)
    query = {key: value for key, value in (("sort", sort), ("tag", tag)) if value}
    return {
        "posts": posts,
        "posts_page": page,
        "liked": liked_ids(request.user, posts),
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "tag": tag,
        "pagination_query": urlencode(query),
        "tag_query": urlencode({"sort": sort}) if sort else "",
    }


def board_index(request, board):
    pagecache.depend(request, invalidation.board_posts_tag(board.pk))
    sort = clean_sort(request.GET.get("sort"))
    tag = clean_tag(request.GET.get("tag"))
    context = _list_context(request, board_posts(board, sort=sort, tag=tag), sort, tag)
    for post in context["posts"]:
        post.board = board  # one instance: its URL is worked out once
    context["posting_denied"] = posting_denied(board, request.user, request=request)
    context["kinds"] = board.allowed_kinds()
    return board.render(request, context_overrides=context)


def board_feed(request, board):
    """The board's RSS feed of its latest posts."""
    pagecache.depend(request, invalidation.board_posts_tag(board.pk))
    return BoardFeed(board)(request)


def community_feed(request):
    pagecache.cacheable(request, invalidation.ALL_POSTS)
    sort = clean_sort(request.GET.get("sort"))
    tag = clean_tag(request.GET.get("tag"))
    posts = feed_posts(sort=sort, tag=tag, language=get_language())
    context = _list_context(request, posts, sort, tag)
    context["page_title"] = _("Community")
    return TemplateResponse(request, "community_posts/feed.html", context)


def _form_response(request, board, form, post=None, status=200):
    response = board.render(
        request,
        template="community_posts/post_form.html",
        context_overrides={
            "form": form,
            "post": post,
            "kind": form["kind"].value() or (post.kind if post else ""),
            "existing_images": form.existing_images(),
            "page_title": _("Edit your post") if post else _("New post"),
            "max_images": app_settings.MAX_IMAGES,
        },
    )
    response.status_code = status
    return response


def _bound_form(request, board, post=None):
    """(form, status): the posted form, its pictures opened only once the
    member is within the rate limit (their right to post is checked before
    this). Over the limit, the form keeps the text, drops the files unopened
    and says why."""
    if ratelimit.consume(request, "post", app_settings.RATE_LIMITS):
        return PostForm(request.POST, request.FILES, board=board, instance=post), 200
    form = PostForm(request.POST, board=board, instance=post)
    form.full_clean()
    form.add_error(None, _("You are posting too fast. Wait a while, then try again."))
    return form, 429


def _save(request, board, form, post):
    removed = set(form.cleaned_data.get("remove_images") or [])
    try:
        return save_post(
            form.save(commit=False),
            user=request.user,
            board=board,
            tags=form.cleaned_data["tags"],
            new_images=form.cleaned_data.get("images") or [],
            removed_images=[i for i in form.existing_images() if i.pk in removed],
            submit="save_draft" not in request.POST,
        )
    except (ValidationError, ValueError, OSError):
        form.add_error(None, _("Your post could not be saved. Please try again."))
        return None


def _after_save_message(request, post):
    if post.processing_pictures:
        messages.info(
            request,
            _(
                "Your post is saved. We are preparing your pictures: it shows "
                "to others once they are ready."
            ),
        )
    elif post.state == Post.State.PUBLISHED:
        messages.success(request, _("Your post is published."))
    elif post.state == Post.State.PENDING:
        messages.info(request, _("Thank you! A moderator will look at your post soon."))
    else:
        messages.info(request, _("Your draft is saved. Only you can see it."))


def post_create(request, board):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    kind = request.POST.get("kind") or request.GET.get("kind")
    denied = posting_denied(board, request.user, request=request)
    if denied is None and kind and kind not in dict(board.allowed_kinds()):
        kind = None
    if not kind and len(board.allowed_kinds()) == 1:
        kind = board.allowed_kinds()[0][0]
    if denied:
        return TemplateResponse(
            request,
            "community_posts/post_message.html",
            {"message": denied, "board": board, "page_title": _("New post")},
            status=403,
        )
    if request.method == "POST":
        form, status = _bound_form(request, board)
        if status == 200 and form.is_valid():
            post = _save(request, board, form, Post())
            if post is not None:
                _after_save_message(request, post)
                return redirect(board.post_url(post))
        return _form_response(request, board, form, status=status)
    form = PostForm(board=board, initial={"kind": kind} if kind else None)
    _choose_product(form, request.GET.get("product", ""))
    return _form_response(request, board, form)


def _choose_product(form, value):
    """Preselect the product `value` names (a product page's "Write a review"
    and "Ask a question" links), when it is one the form offers."""
    pk = _as_pk(value)
    field = form.fields.get("product")
    if pk is None or field is None:
        return
    if pk in {choice for choice, _label in field.choices if choice != ""}:
        form.initial["product"] = pk


def _own_post(request, board, pk):
    post = get_post_for(request.user, board, pk)
    if post is None or not may_edit(request.user, post):
        raise Http404
    return post


def post_edit(request, board, pk):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    post = _own_post(request, board, pk)
    denied = posting_denied(board, request.user, post.kind, request=request)
    if denied:
        return TemplateResponse(
            request,
            "community_posts/post_message.html",
            {"message": denied, "board": board, "page_title": _("Edit your post")},
            status=403,
        )
    if request.method == "POST":
        form, status = _bound_form(request, board, post)
        if status == 200 and form.is_valid():
            saved = _save(request, board, form, post)
            if saved is not None:
                _after_save_message(request, saved)
                return redirect(board.post_url(saved))
        return _form_response(request, board, form, post, status=status)
    return _form_response(request, board, PostForm(board=board, instance=post), post)


def post_delete(request, board, pk):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    post = get_post_for(request.user, board, pk)
    if post is None or post.author_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        delete_post(post)
        messages.success(request, _("Your post is deleted."))
        return redirect(board.url)
    return board.render(
        request,
        template="community_posts/post_delete.html",
        context_overrides={"post": post, "page_title": _("Delete your post")},
    )


def post_detail(request, board, pk):
    pagecache.depend(request, pagecache.object_tag(Post, pk))
    post = get_post_for(request.user, board, pk)
    if post is None:
        raise Http404
    if post.is_published and count_view(request, post):
        post.view_count += 1
    is_author = request.user.is_authenticated and post.author_id == request.user.pk
    context = {
        "post": post,
        "images": list(post.images.all()),
        "tags": sorted(post.tags.names()),
        "liked": bool(liked_ids(request.user, [post])),
        "is_author": is_author,
        "may_edit": may_edit(request.user, post),
        "may_react": post.is_published
        and posting_denied(board, request.user, request=request) is None
        and not is_author,
        "share_object": share_object(post),
        "page_title": post.title,
    }
    if post.kind == Post.Kind.QUESTION and post.is_published and is_author:
        context["answer_candidates"] = list(answer_candidates(post)[:50])
    return board.render(
        request, template="community_posts/post.html", context_overrides=context
    )


def _published_post(request, board, pk):
    post = get_post_for(request.user, board, pk)
    if post is None or not post.is_published:
        raise Http404
    return post


def _as_pk(value):
    """`value` as a primary key, or None: ASCII digits only ("²" is a digit
    to str.isdigit) and short enough for the database's integers."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _refuse(request, post, board, message, status):
    return refuse(request, message, status, back=board.post_url(post))


def post_like(request, board, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = _published_post(request, board, pk)
    denied = posting_denied(board, request.user, request=request)
    if denied is None and post.author_id == request.user.pk:
        denied = _("You cannot like your own post.")
    if denied:
        return _refuse(request, post, board, denied, 403)
    if not ratelimit.consume(request, "post_reaction", app_settings.RATE_LIMITS):
        return _refuse(request, post, board, _("Too many clicks. Wait a minute."), 429)
    liked, count = toggle_like(request.user, post)
    if wants_json(request):
        return JsonResponse({"ok": True, "liked": liked, "count": count})
    return redirect(board.post_url(post))


def post_report(request, board, pk):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    post = _published_post(request, board, pk)
    denied = get_adapter(request).participation_denied(
        request.user, require_verified_email=False
    )
    if denied:
        return _refuse(request, post, board, denied, 403)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.consume(request, "post_reaction", app_settings.RATE_LIMITS):
            return _refuse(
                request, post, board, _("Too many clicks. Wait a minute."), 429
            )
        if form.is_valid():
            if report_post(
                request.user,
                post,
                form.cleaned_data["reason"],
                form.cleaned_data["note"],
            ):
                messages.success(
                    request, _("Thank you. A moderator will look at this post.")
                )
            else:
                messages.info(request, _("You already reported this post."))
            return redirect(board.post_url(post))
    return board.render(
        request,
        template="community_posts/post_report.html",
        context_overrides={
            "post": post,
            "form": form,
            "page_title": pgettext("flag content", "Report"),
        },
    )


def post_answer(request, board, pk):
    """The question's author (or a moderator) accepts a comment as the
    answer, or clears it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = _published_post(request, board, pk)
    user = request.user
    if (
        not (
            user.is_authenticated
            and (
                post.author_id == user.pk
                or user.has_perm("community_posts.change_post")
            )
        )
        or post.kind != Post.Kind.QUESTION
    ):
        raise Http404
    comment_id = request.POST.get("comment", "")
    if comment_id == "":
        with transaction.atomic():
            accept_answer(post, None)
        messages.info(request, _("The question is open again."))
        return redirect(board.post_url(post))
    pk = _as_pk(comment_id)
    comment = answer_candidates(post).filter(pk=pk).first() if pk else None
    if comment is None:
        return _refuse(request, post, board, _("Choose one of the answers below."), 400)
    accept_answer(post, comment)
    messages.success(request, _("Marked as answered."))
    return redirect(board.post_url(post))
