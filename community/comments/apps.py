from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "community.comments"
    label = "community_comments"
    verbose_name = _("Community comments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from community import moderation, privacy
        from community.comments import checks  # noqa: F401 (registers the checks)
        from community.comments.models import Comment
        from community.comments.moderation import CommentModerator
        from community.comments.privacy import CommentsData

        privacy.register(CommentsData())
        moderation.register(Comment, CommentModerator)

        # Approved, removed, edited or deleted comments leave the page cache.
        from django.db.models.signals import post_delete, post_init, post_save

        from community.comments import invalidation

        uid = "community_comments.pagecache"
        post_init.connect(invalidation.remember_state, sender=Comment, dispatch_uid=uid)
        post_save.connect(
            invalidation.on_comment_saved, sender=Comment, dispatch_uid=uid
        )
        post_delete.connect(
            invalidation.on_comment_deleted, sender=Comment, dispatch_uid=uid
        )
