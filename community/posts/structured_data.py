"""schema.org JSON-LD of a post, as search engines read discussion pages.

A question with answers is a `QAPage` whose `Question` has the accepted
answer and the other replies as suggested answers; every other post (and a
question nobody answered yet) is a `DiscussionForumPosting` with its
published comments, comment count and like/comment/view counters. Both cover
the properties Google requires for discussion forum and Q&A rich results.
"""

import html
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from community import app_settings as community_settings
from community.comments.models import Comment
from community.comments.services import iso_datetime

#: Comments described at most (the first page or two of a thread): the data
#: describes what the page shows, and stays small on a long thread.
MAX_COMMENTS = 50

SCHEMA = "https://schema.org"


def plain_text(markup):
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def counter(action, count):
    return {
        "@type": "InteractionCounter",
        "interactionType": f"{SCHEMA}/{action}",
        "userInteractionCount": count,
    }


def person(user, name, base_url):
    """The author: a Person named as the page names them, with the URL of
    their member page; the brand's official comments are its Organization."""
    item = {"@type": "Person", "name": str(name)}
    if user is not None:
        item["url"] = urljoin(base_url, reverse("community:member", args=[user.pk]))
    return item


def published_comments(post):
    """The post's published comments in thread order, without deleted ones."""
    return list(
        Comment.objects.for_object(post)
        .filter(
            is_public=True,
            state=Comment.State.PUBLISHED,
            deleted_at__isnull=True,
        )
        .select_related("user__community_profile")
        .order_by("thread_id", "order")[:MAX_COMMENTS]
    )


def comment_item(comment, post_url, kind="Comment"):
    if comment.is_official:
        author = {"@type": "Organization", "name": community_settings.BRAND_NAME}
    else:
        author = person(comment.user, comment.author_name(), post_url)
    item = {
        "@type": kind,
        "url": f"{post_url}#c{comment.pk}",
        "text": plain_text(comment.comment_html) or comment.comment,
        "datePublished": iso_datetime(comment.submit_date),
        "author": author,
    }
    if kind == "Answer":
        item["upvoteCount"] = comment.like_count
    else:
        item["interactionStatistic"] = [counter("LikeAction", comment.like_count)]
    return item


def comment_tree(comments, post_url, top_kind="Comment"):
    """Top-level items (of `top_kind`), each with its replies as `comment`; a
    reply whose parent is not listed joins the top level."""
    items, listed = [], {}
    for comment in comments:
        parent = (
            listed.get(comment.parent_id) if comment.pk != comment.parent_id else None
        )
        item = comment_item(comment, post_url, "Comment" if parent else top_kind)
        listed[comment.pk] = item
        if parent is not None:
            parent.setdefault("comment", []).append(item)
        else:
            items.append(item)
    return items


def post_json_ld(post, request=None):
    """The JSON-LD dict of a published post, or None."""
    url = post.get_full_url(request)
    if not url or not post.is_published:
        return None
    comments = published_comments(post)
    author = (
        person(post.author, post.author_name(), url)
        if post.author_id
        else {"@type": "Person", "name": str(post.author_name())}
    )
    text = plain_text(post.body_html) or post.title
    images = [urljoin(url, picture.image.url) for picture in post.images.all()]
    # BCP 47, as hreflang: "zh-hans" → "zh-Hans".
    language = translation.to_locale(post.board.locale.language_code).replace("_", "-")
    if post.kind == post.Kind.QUESTION and comments:
        return question_json_ld(post, url, author, text, comments, language)
    item = {
        "@context": SCHEMA,
        "@type": "DiscussionForumPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": post.title,
        "text": text,
        "inLanguage": language,
        "datePublished": iso_datetime(post.published_at or post.created_at),
        "dateModified": iso_datetime(post.updated_at),
        "author": author,
        "isPartOf": {
            "@type": "WebPage",
            "name": post.board.title,
            "url": post.board.get_full_url(request),
        },
        "commentCount": post.comment_count,
        "interactionStatistic": [
            counter("LikeAction", post.like_count),
            counter("CommentAction", post.comment_count),
            counter("ViewAction", post.view_count),
        ],
    }
    if images:
        item["image"] = images
    tags = [tag.name for tag in post.tags.all()]
    if tags:
        item["keywords"] = tags
    if post.product_id and post.product is not None:
        # A Thing, not a Product: the product page describes the product
        # (a Product here would be one without its offer or ratings).
        about = {"@type": "Thing", "name": post.product.title}
        product_url = post.product.get_full_url(request)
        if product_url:
            about["url"] = product_url
        item["about"] = about
    if comments:
        item["comment"] = comment_tree(comments, url)
    return item


def question_json_ld(post, url, author, text, comments, language):
    """A QAPage: the question, its accepted answer and the other top-level
    replies as suggested answers (replies to an answer are its comments)."""
    answers = comment_tree(comments, url, top_kind="Answer")
    accepted_url = f"{url}#c{post.accepted_answer_id}"
    accepted = next((a for a in answers if a["url"] == accepted_url), None)
    question = {
        "@type": "Question",
        "name": post.title,
        "text": text,
        "inLanguage": language,
        "datePublished": iso_datetime(post.published_at or post.created_at),
        "author": author,
        "answerCount": len(answers),
        "upvoteCount": post.like_count,
    }
    if accepted is not None:
        question["acceptedAnswer"] = accepted
    suggested = [answer for answer in answers if answer is not accepted]
    if suggested:
        question["suggestedAnswer"] = suggested
    return {"@context": SCHEMA, "@type": "QAPage", "@id": url, "mainEntity": question}
