"""Incremental updates: the write paths of the community apps refresh the
days they touch. Connected by ``InsightsConfig.ready()``: the other apps know
nothing of insights, and a project without it installed sends these signals
to nobody."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task

from community.comments.models import Comment, CommentReaction
from community.insights import app_settings
from community.insights.aggregates import refresh_days, schedule_refresh
from community.insights.listening import index_item, plain_text
from community.insights.models import KeywordGroup, Mention
from community.posts.models import Post, PostReaction

LISTENED_COMMENTS = (Comment.State.PUBLISHED, Comment.State.PENDING)
LISTENED_POSTS = (Post.State.PUBLISHED, Post.State.PENDING)


def comment_saved(sender, instance, **kwargs):
    listen = instance.deleted_at is None and instance.state in LISTENED_COMMENTS
    days = index_item(
        instance, comment_text(instance), instance.submit_date, listen=listen
    )
    schedule_refresh(instance.submit_date, *days)


def comment_text(comment):
    """What listening reads in a comment: its words, without Markdown."""
    return plain_text(comment.comment_html) if comment.comment_html else comment.comment


def forget_mentions(instance):
    Mention.objects.filter(
        content_type__model=instance._meta.model_name,
        content_type__app_label=instance._meta.app_label,
        object_id=str(instance.pk),
    ).delete()


def comment_deleted(sender, instance, **kwargs):
    forget_mentions(instance)
    schedule_refresh(instance.submit_date)


def post_saved(sender, instance, **kwargs):
    listen = instance.state in LISTENED_POSTS
    days = index_item(
        instance, post_text(instance), post_moment(instance), listen=listen
    )
    schedule_refresh(instance.published_at, *days)


def post_deleted(sender, instance, **kwargs):
    forget_mentions(instance)
    schedule_refresh(instance.published_at, post_moment(instance))


def post_text(post):
    """What listening reads in a post: its title and its words."""
    return f"{post.title} — {plain_text(post.body_html) or post.body}"


def post_moment(post):
    return post.published_at or post.created_at


def reaction_changed(sender, instance, **kwargs):
    schedule_refresh(instance.created_at)


def user_saved(sender, instance, created, **kwargs):
    if created:
        schedule_refresh(instance.date_joined)


def social_account_saved(sender, instance, created, **kwargs):
    if created:
        schedule_refresh(instance.user.date_joined)


def keyword_group_changed(sender, instance, **kwargs):
    rescan_mentions.enqueue()


@task()
def rescan_mentions():
    """Find the mentions of the current keyword groups again in the comments
    and posts of the last COMMUNITY_INSIGHTS_LISTENING_RESCAN_DAYS days
    (after an editor changed a group), then refresh those days' aggregates."""
    since = timezone.now() - datetime.timedelta(days=app_settings.LISTENING_RESCAN_DAYS)
    groups = list(KeywordGroup.objects.filter(active=True))
    days = set()
    comments = (
        Comment.objects.select_related(None)
        .filter(submit_date__gte=since)
        .only("comment", "comment_html", "submit_date", "state", "deleted_at")
    )
    for comment in comments.iterator(chunk_size=2000):
        listen = comment.deleted_at is None and comment.state in LISTENED_COMMENTS
        days |= index_item(
            comment,
            comment_text(comment),
            comment.submit_date,
            listen=listen,
            groups=groups,
        )
    posts = Post.objects.filter(
        Q(published_at__gte=since) | Q(published_at=None, created_at__gte=since)
    ).only("title", "body", "body_html", "state", "published_at", "created_at")
    for post in posts.iterator(chunk_size=2000):
        listen = post.state in LISTENED_POSTS
        days |= index_item(
            post, post_text(post), post_moment(post), listen=listen, groups=groups
        )
    refresh_days({timezone.localdate(moment) for moment in days})


def connect():
    """Connect the handlers (``InsightsConfig.ready()``)."""
    uid = "community_insights_"
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=uid + "comment")
    post_delete.connect(
        comment_deleted, sender=Comment, dispatch_uid=uid + "comment_deleted"
    )
    post_save.connect(post_saved, sender=Post, dispatch_uid=uid + "post")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid=uid + "post_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            reaction_changed, sender=CommentReaction, dispatch_uid=uid + "reaction"
        )
        signal.connect(
            reaction_changed, sender=PostReaction, dispatch_uid=uid + "post_reaction"
        )
        signal.connect(
            keyword_group_changed, sender=KeywordGroup, dispatch_uid=uid + "group"
        )
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid=uid + "user")
    if apps.is_installed("allauth.socialaccount"):
        post_save.connect(
            social_account_saved,
            sender="socialaccount.SocialAccount",
            dispatch_uid=uid + "social",
        )
