"""Registers the app's admin screens and panels with Wagtail; no logic here."""

from wagtail import hooks  # noqa: E402
from wagtail.permissions import register_permission_policy  # noqa: E402
from wagtail.snippets.models import register_snippet  # noqa: E402

from community.admin_viewsets import CommunityViewSetGroup  # noqa: E402
from community.models import Comment, Post  # noqa: E402
from community.moderation_admin import (  # noqa: E402
    ApproveCommentsBulkAction,
    CommentPermissionPolicy,
    RemoveCommentsBulkAction,
    SpamCommentsBulkAction,
)
from community.posts_admin import (  # noqa: E402
    ApprovePostsBulkAction,
    PostPermissionPolicy,
    RejectPostsBulkAction,
    RemovePostsBulkAction,
)

# Comments: Community → Comments, with its moderation bulk actions.
register_permission_policy(Comment, CommentPermissionPolicy(Comment), exact_class=True)
register_permission_policy(Post, PostPermissionPolicy(Post), exact_class=True)
register_snippet(CommunityViewSetGroup)
hooks.register("register_bulk_action", ApproveCommentsBulkAction)
hooks.register("register_bulk_action", RemoveCommentsBulkAction)
hooks.register("register_bulk_action", SpamCommentsBulkAction)

# Posts: Community → Posts, the same kind of queue.
hooks.register("register_bulk_action", ApprovePostsBulkAction)
hooks.register("register_bulk_action", RejectPostsBulkAction)
hooks.register("register_bulk_action", RemovePostsBulkAction)
