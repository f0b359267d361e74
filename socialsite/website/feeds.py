import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from community.sites import absolute_url


class NewsRssFeed(Feed):
    """The latest articles of one news index, in the index's language."""

    limit = 20

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.index_page.get_site().site_name} · {self.index_page.title}"

    def link(self):
        return self.index_page.get_full_url(self.request)

    def description(self):
        return self.index_page.intro

    def feed_url(self):
        # On the Site's root URL, as every other link (never the Host header).
        return absolute_url(self.request.path, page=self.index_page)

    def items(self):
        return self.index_page.articles()[: self.limit]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_author_name(self, item):
        return item.author

    def item_pubdate(self, item):
        return timezone.make_aware(
            datetime.datetime.combine(item.date, datetime.time(9, 0))
        )

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
