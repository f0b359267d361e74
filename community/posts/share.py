"""Community posts as sharing's `Shareable` objects (share buttons, link
previews, tracked share links). Imported only when the sharing app is
installed; the project names the resolver in SHARING_SHAREABLES:

    SHARING_SHAREABLES = {..., "post": "community.posts.share.resolve_post"}
"""

from dataclasses import dataclass

from community.posts.models import Post
from community.sites import absolute_url
from sharing.shareables import Shareable


@dataclass
class PictureRendition:
    url: str
    full_url: str
    width: int
    height: int
    alt: str


class PostPicture:
    """A post's first picture, answering sharing's `get_rendition` as a
    Wagtail image would: with its link-preview rendition (a 1200 × 630
    JPEG, which every platform's crawler reads) for every filter."""

    def __init__(self, picture, request=None):
        self.picture = picture
        self.request = request

    def get_rendition(self, filter_spec):
        url = self.picture.share_url()
        full_url = absolute_url(url, self.request, self.picture.post)
        width, height = self.picture.share_size()
        return PictureRendition(
            url=url,
            full_url=full_url,
            width=width,
            height=height,
            alt=self.picture.alt_text or self.picture.post.title,
        )


class SharedPost(Shareable):
    share_kind = "post"
    og_type = "article"

    def __init__(self, post):
        self.post = post
        self.pk = post.pk

    def get_share_url(self, request=None):
        return self.post.get_full_url(request)

    def get_share_title(self):
        return self.post.title

    def get_share_description(self):
        text = self.post.body_text()
        return text[:199] + "…" if len(text) > 200 else text

    def get_share_image(self):
        picture = self.post.first_image()
        return PostPicture(picture) if picture is not None else None

    def is_shareable(self, request=None):
        return self.post.is_published and self.post.board.live

    def get_alternate_urls(self, request=None):
        """A post has one language, its board's: its hreflang alternate is
        itself (with x-default, also itself)."""
        url = self.get_share_url(request) if self.is_shareable(request) else None
        return [(self.post.board.locale.language_code, url)] if url else []


def resolve_post(request, pk):
    """A published post on a live board, as a Shareable, or None."""
    post = Post.objects.live().filter(pk=pk).select_related("board").first()
    return SharedPost(post) if post is not None else None
