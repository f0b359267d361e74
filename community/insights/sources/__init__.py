"""Listening sources beyond the site: one connector class per kind of source,
registered by dotted path in COMMUNITY_INSIGHTS_CONNECTORS."""

BUILTIN_CONNECTORS = [
    "community.insights.sources.rss.RSSConnector",
    "community.insights.sources.mastodon.MastodonConnector",
    "community.insights.sources.bluesky.BlueskyConnector",
    "community.insights.sources.reddit.RedditConnector",
    "community.insights.sources.weibo.WeiboConnector",
    "community.insights.sources.inbound.ImportConnector",
    "community.insights.sources.inbound.WebhookConnector",
]
