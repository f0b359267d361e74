"""Outbound webhooks: integrations (a CRM, a mini-program's backend) hear of
what happens in the community.

The events come from the apps' existing signals, connected in
`AppConfig.ready()` only for the apps that are installed (lazy "app.Model"
senders, so nothing here imports them): a member signs up (allauth's
`user_signed_up`), a post or comment is written, a moderator approves a post
(the moderation toolkit's log entry), a member registers for an event or
votes (their rows are saved). After the commit, each active endpoint that
chose the event gets a `WebhookDelivery`, sent by a background task
(`community.api.tasks`), signed and retried with back-off.

A delivery is a POST of JSON ``{"id", "event", "created_at", "data"}`` with
the headers ``X-Socialsite-Event``, ``X-Socialsite-Delivery``,
``X-Socialsite-Timestamp`` and ``X-Socialsite-Signature: sha256=<hex>``: the
HMAC-SHA256 of ``"<timestamp>.<body>"`` with the endpoint's secret. The data
names members by id and public name, never by e-mail address."""

import json

from allauth.account.signals import user_signed_up
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.adapter import get_adapter
from community.api.models import WebhookDelivery, WebhookEndpoint
from community.api.tasks import enqueue_delivery

#: event -> (label, the app it needs).
EVENTS = {
    "member.created": (_("A new member signed up"), "community"),
    "post.created": (_("A post was written"), "community.posts"),
    "post.approved": (_("A moderator approved a post"), "community.posts"),
    "comment.created": (_("A comment was written"), "community.comments"),
    "registration.created": (
        _("A member registered for an event"),
        "community.events",
    ),
    "vote.created": (_("A member voted in a contest"), "community.campaigns"),
}

APPROVED_ACTION = "community.moderation.approve"


def event_choices():
    """[(event, label)] of the events of the installed apps."""
    return [
        (event, label)
        for event, (label, app) in EVENTS.items()
        if apps.is_installed(app)
    ]


def member(user):
    if user is None:
        return None
    return {"id": user.pk, "name": str(get_adapter().author_name(user))}


def full_url(obj):
    try:
        return obj.get_full_url() if hasattr(obj, "get_full_url") else ""
    except Exception:  # a URL is a courtesy, never a failure
        return ""


def emit(event, data):
    """Queue `event` with `data` for every endpoint that chose it, once the
    current transaction commits (nothing is sent for what is rolled back)."""
    transaction.on_commit(lambda: dispatch(event, data))


def dispatch(event, data):
    """Create the deliveries of `event` and enqueue them now."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(active=True)
        if event in (endpoint.events or [])
    ]
    if not endpoints:
        return []
    created_at = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            created_at=created_at,
            payload=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
        )
        deliveries.append(delivery)
    for delivery in deliveries:
        enqueue_delivery(delivery)
    return deliveries


# Signal receivers


def on_user_signed_up(sender, request, user, **kwargs):
    emit("member.created", {"member": member(user), "joined_at": user.date_joined})


def on_post_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.state == "draft":
        return
    emit(
        "post.created",
        {
            "post": {
                "id": instance.pk,
                "board": instance.board_id,
                "kind": instance.kind,
                "title": instance.title,
                "state": instance.state,
                "url": _post_url(instance),
            },
            "author": member(instance.author),
        },
    )


def _post_url(post):
    try:
        return post.board.get_full_url().rstrip("/") + post.board.reverse_subpage(
            "post", args=[post.pk]
        )
    except Exception:  # a URL is a courtesy, never a failure
        return ""


def on_log_entry_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.action != APPROVED_ACTION:
        return
    content_type = instance.content_type
    if content_type is None or (content_type.app_label, content_type.model) != (
        "community_posts",
        "post",
    ):
        return
    post = content_type.model_class().objects.filter(pk=instance.object_id).first()
    if post is None:
        return
    emit(
        "post.approved",
        {
            "post": {
                "id": post.pk,
                "board": post.board_id,
                "kind": post.kind,
                "title": post.title,
                "state": post.state,
                "url": _post_url(post),
            },
            "author": member(post.author),
            "moderator": member(instance.user),
        },
    )


def on_comment_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    emit(
        "comment.created",
        {
            "comment": {
                "id": instance.pk,
                "target": f"{instance.content_type.app_label}."
                f"{instance.content_type.model}:{instance.object_pk}",
                "parent": instance.parent_id if instance.level else None,
                "state": instance.state,
                "url": _comment_url(instance),
            },
            "author": member(instance.user),
        },
    )


def _comment_url(comment):
    target = comment.content_object
    if hasattr(target, "get_full_url"):
        url = full_url(target)
    elif hasattr(target, "board"):
        url = _post_url(target)
    else:
        url = ""
    return f"{url}#c{comment.pk}" if url else ""


def on_registration_saved(
    sender, instance, created, raw=False, update_fields=None, **kwargs
):
    # register() saves the whole row; check-ins, cancellations and reminders
    # save only their fields.
    if raw or update_fields is not None or instance.status == "cancelled":
        return
    emit(
        "registration.created",
        {
            "registration": {
                "id": instance.pk,
                "event": instance.event_id,
                "status": instance.status,
            },
            "event": {"id": instance.event_id, "title": instance.event.title},
            "member": member(instance.user),
        },
    )


def on_vote_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    emit(
        "vote.created",
        {
            "vote": {
                "id": instance.pk,
                "campaign": instance.campaign_id,
                "entry": instance.entry_id,
            },
            "member": member(instance.user),
        },
    )


RECEIVERS = [
    ("community.posts", on_post_saved, "community_posts.Post"),
    ("community.posts", on_log_entry_saved, "wagtailcore.ModelLogEntry"),
    ("community.comments", on_comment_saved, "community_comments.Comment"),
    ("community.events", on_registration_saved, "community_events.Registration"),
    ("community.campaigns", on_vote_saved, "community_campaigns.Vote"),
]


def connect():
    """Connect the receivers of the installed apps (AppConfig.ready())."""
    user_signed_up.connect(on_user_signed_up, dispatch_uid="community_api")
    for app, receiver, sender in RECEIVERS:
        if apps.is_installed(app):
            post_save.connect(receiver, sender=sender, dispatch_uid="community_api")
