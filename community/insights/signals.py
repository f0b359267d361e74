"""Incremental updates: the write paths refresh the days they touch."""

from django_tasks import task

from .aggregates import schedule_refresh


def comment_saved(sender, instance, **kwargs):
    from community.insights.listening import index_item
    from community.models import Comment

    listen = instance.deleted_at is None and instance.state in (
        Comment.State.PUBLISHED,
        Comment.State.PENDING,
    )
    days = index_item(instance, instance.comment, instance.submit_date, listen=listen)
    schedule_refresh(instance.submit_date, *days)


def comment_deleted(sender, instance, **kwargs):
    from community.models import Mention

    Mention.objects.filter(
        content_type__model=instance._meta.model_name,
        content_type__app_label=instance._meta.app_label,
        object_id=str(instance.pk),
    ).delete()
    schedule_refresh(instance.submit_date)


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
    of the last COMMUNITY_LISTENING_RESCAN_DAYS days (after an editor changed
    a group), then refresh those days' aggregates."""
    import datetime

    from django.utils import timezone

    from community import app_settings
    from community.insights.aggregates import refresh_day
    from community.insights.listening import index_item
    from community.models import Comment, KeywordGroup

    since = timezone.now() - datetime.timedelta(days=app_settings.LISTENING_RESCAN_DAYS)
    groups = list(KeywordGroup.objects.filter(active=True))
    days = set()
    comments = (
        Comment.objects.select_related(None)
        .filter(submit_date__gte=since)
        .only("comment", "submit_date", "state", "deleted_at")
    )
    listened = (Comment.State.PUBLISHED, Comment.State.PENDING)
    for comment in comments.iterator(chunk_size=2000):
        listen = comment.deleted_at is None and comment.state in listened
        days |= index_item(
            comment, comment.comment, comment.submit_date, listen=listen, groups=groups
        )
    for day in sorted({timezone.localdate(moment) for moment in days}):
        refresh_day(day)


def connect():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from community.models import Comment, CommentReaction, KeywordGroup

    uid = "community_insights_"
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=uid + "comment")
    post_delete.connect(
        comment_deleted, sender=Comment, dispatch_uid=uid + "comment_deleted"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            reaction_changed, sender=CommentReaction, dispatch_uid=uid + "reaction"
        )
        signal.connect(
            keyword_group_changed, sender=KeywordGroup, dispatch_uid=uid + "group"
        )
    post_save.connect(user_saved, sender=get_user_model(), dispatch_uid=uid + "user")
    from django.apps import apps

    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        post_save.connect(
            social_account_saved, sender=SocialAccount, dispatch_uid=uid + "social"
        )
