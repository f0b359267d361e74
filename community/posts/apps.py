from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "community.posts"
    label = "community_posts"
    verbose_name = _("Community posts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from django.db.models.signals import post_delete, post_save

        from community import moderation, privacy
        from community.comments.models import Comment
        from community.posts import checks  # noqa: F401 (registers the checks)
        from community.posts.models import Post
        from community.posts.moderation import PostModerator
        from community.posts.privacy import PostsData
        from community.posts.services import on_comment_changed

        privacy.privacy_registry.register("posts", PostsData())
        moderation.register(Post, PostModerator)
        for signal in (post_save, post_delete):
            signal.connect(
                on_comment_changed, sender=Comment, dispatch_uid="community_posts"
            )

        # The page cache: posts and their comments take their pages out, and
        # views of posts served from it count.
        from community.posts import invalidation, services
        from sharing import pagecache

        invalidation.connect()
        pagecache.register_counter(services.VIEW_COUNTER, services.record_view)

        # The "Popular now" block's cache: changed posts and boards retire it.
        from community.posts import popular

        popular.connect_signals()
