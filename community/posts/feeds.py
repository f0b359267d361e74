"""An RSS feed per community board: its latest published posts. Every link
starts with the board's Wagtail Site root URL (`community.sites`): Django's
syndication framework would otherwise put django.contrib.sites' domain
("example.com") in front of relative ones."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from community.posts.services import board_posts

FEED_LENGTH = 20


class BoardFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, board):
        super().__init__()
        self.board = board

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.board.title

    def link(self):
        return self.board.get_full_url()

    def feed_url(self):
        return self.board.get_full_url() + self.board.reverse_subpage("feed")

    def description(self):
        return self.board.search_description or self.board.title

    def items(self):
        return list(board_posts(self.board)[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return self.board.get_full_url() + self.board.reverse_subpage(
            "post", args=[item.pk]
        )

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return str(item.author_name())

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
