"""What the comments app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`)."""

from community.comments.models import Comment
from community.privacy import iso


class CommentsData:
    """The member's comments."""

    def export(self, user):
        return [
            {
                "id": comment.pk,
                "on": str(comment.content_object or ""),
                "text": comment.comment,
                "state": comment.state,
                "submitted_at": iso(comment.submit_date),
            }
            for comment in Comment.objects.filter(user=user).order_by("pk")
        ]
