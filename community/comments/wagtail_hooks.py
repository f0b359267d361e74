"""Registers the comments app's admin parts with Wagtail; no logic here."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from community.comments.models import Comment
from community.comments.viewsets import (
    ApproveCommentsBulkAction,
    CommentPermissionPolicy,
    RemoveCommentsBulkAction,
    SpamCommentsBulkAction,
)

register_permission_policy(Comment, CommentPermissionPolicy(Comment), exact_class=True)
hooks.register("register_bulk_action", ApproveCommentsBulkAction)
hooks.register("register_bulk_action", RemoveCommentsBulkAction)
hooks.register("register_bulk_action", SpamCommentsBulkAction)
