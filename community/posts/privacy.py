"""What the posts app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`)."""

from community.posts.models import Post, PostImage, PostReaction, PostReport
from community.privacy import iso


class PostsData:
    """The member's posts on community boards (with their pictures' files)."""

    def export(self, user):
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

    def erase(self, user, mode):
        posts = Post.objects.filter(author=user)
        PostReaction.objects.filter(user=user).delete()
        PostReport.objects.filter(user=user).delete()
        if mode == "remove":
            files = []
            for image in PostImage.objects.filter(post__in=posts):
                files += image.file_names()
            posts.delete()
            return files
        posts.update(author=None)
        return []
