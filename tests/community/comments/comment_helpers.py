"""Shared helpers for the comment tests."""

from community.comments.forms import CommentForm

POST_URL = "/en/community/comments/post/"


def form_data(target, text="", reply_to=0, **extra):
    """What the page's comment form posts: comments-xtd's security fields
    (content type, pk, timestamp, hash), the text and the honeypot."""
    initial = CommentForm(target).initial
    return {
        "content_type": initial["content_type"],
        "object_pk": initial["object_pk"],
        "timestamp": initial["timestamp"],
        "security_hash": initial["security_hash"],
        "comment": text,
        "reply_to": reply_to,
        "honeypot": "",
        **extra,
    }


def post_comment(client, target, text, reply_to=0, json=False, **extra):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        POST_URL, form_data(target, text, reply_to, **extra), headers=headers
    )
