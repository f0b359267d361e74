"""What the posts app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`)."""

from django.db.models import F
from django.db.models.functions import Greatest

from community.posts import invalidation
from community.posts.models import Post, PostImage, PostReaction, PostReport
from community.privacy import iso


def _uncount(post_ids, counter):
    """One less on `counter` of each post in `post_ids` (a member has at most
    one like and one report per post), never below zero."""
    if post_ids:
        Post.objects.filter(pk__in=post_ids).update(
            **{counter: Greatest(F(counter) - 1, 0)}
        )


class PostsData:
    """The member's posts on community boards (with their pictures' files),
    the posts they liked and the posts they reported."""

    def export(self, user):
        return {
            "posts": self.export_posts(user),
            "likes": self.export_likes(user),
            "reports": self.export_reports(user),
        }

    def export_posts(self, user):
        posts = Post.objects.filter(author=user).prefetch_related("images", "tags")
        return [
            {
                "id": post.pk,
                "board": post.board.title,
                "kind": post.kind,
                "state": post.state,
                "title": post.title,
                "text": post.body,
                "tags": sorted(post.tags.names()),
                "rating": post.rating,
                "pictures": [image.image.url for image in post.images.all()],
                "created_at": iso(post.created_at),
                "published_at": iso(post.published_at),
            }
            for post in posts.select_related("board").order_by("pk")
        ]

    def export_likes(self, user):
        likes = PostReaction.objects.filter(user=user).select_related("post")
        return [
            {
                "post": like.post_id,
                "title": like.post.title,
                "liked_at": iso(like.created_at),
            }
            for like in likes.order_by("pk")
        ]

    def export_reports(self, user):
        reports = PostReport.objects.filter(user=user).select_related("post")
        return [
            {
                "post": report.post_id,
                "title": report.post.title,
                "reason": report.reason,
                "note": report.note,
                "reported_at": iso(report.created_at),
                "resolved_at": iso(report.resolved_at),
            }
            for report in reports.order_by("pk")
        ]

    def erase(self, user, mode):
        """Likes and reports go in either mode, with the posts' counters
        (report_count counts open reports only: a moderator's decision has
        already settled the others). Posts are deleted or lose their author."""
        likes = PostReaction.objects.filter(user=user)
        _uncount(list(likes.values_list("post_id", flat=True)), "like_count")
        likes.delete()
        reports = PostReport.objects.filter(user=user)
        open_reports = reports.filter(resolved_at__isnull=True)
        _uncount(list(open_reports.values_list("post_id", flat=True)), "report_count")
        reports.delete()
        posts = Post.objects.filter(author=user)
        if mode == "remove":
            files = []
            for image in PostImage.objects.filter(post__in=posts):
                files += image.file_names()
            posts.delete()
            return files
        invalidation.invalidate_posts(posts)
        posts.update(author=None)
        return []
