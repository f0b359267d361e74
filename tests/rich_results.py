"""Google's required properties for the rich results the site's JSON-LD aims
at (developers.google.com/search/docs/appearance/structured-data: article,
product snippets, review snippets, discussion forum, Q&A), checked on parsed
JSON-LD. Shared by the tests of the posts app and of the demo site."""

import json
import re
from datetime import datetime

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

#: @type -> required properties; a tuple means "at least one of".
REQUIRED = {
    # Article rich results have no required property; these are the
    # recommended ones every demo article has.
    "Article": ["headline", "image", "datePublished", "author"],
    "NewsArticle": ["headline", "image", "datePublished", "author"],
    "Product": ["name", ("review", "aggregateRating", "offers")],
    "Offer": [("price", "priceSpecification")],
    "AggregateRating": ["ratingValue", ("ratingCount", "reviewCount")],
    "Review": ["author", "reviewRating"],
    "Rating": ["ratingValue"],
    "DiscussionForumPosting": ["author", "datePublished", ("text", "image", "video")],
    "Comment": ["author", "datePublished", ("text", "image", "video")],
    "QAPage": ["mainEntity"],
    "Question": ["name", "answerCount", ("acceptedAnswer", "suggestedAnswer")],
    "Answer": ["text"],
    "Person": ["name"],
    "Organization": ["name"],
    "Brand": ["name"],
    "InteractionCounter": ["interactionType", "userInteractionCount"],
    # Event rich results: a Place needs its address, a VirtualLocation its URL.
    "Event": ["name", "startDate", "location"],
    "Place": ["address"],
    "VirtualLocation": ["url"],
}
DATES = {"datePublished", "dateModified", "startDate", "endDate"}
URLS = {"url", "@id", "mainEntityOfPage"}


def json_ld(html):
    """Every JSON-LD block of a page, parsed (fails on invalid JSON)."""
    return [json.loads(block) for block in LD_JSON.findall(html)]


def problems(item, path="$"):
    """What keeps `item` (and the items in it) from Google's rich results."""
    found = []
    if isinstance(item, list):
        for index, value in enumerate(item):
            found += problems(value, f"{path}[{index}]")
        return found
    if not isinstance(item, dict):
        return found
    kind = item.get("@type")
    for required in REQUIRED.get(kind, []):
        names = required if isinstance(required, tuple) else (required,)
        if not any(item.get(name) not in (None, "", []) for name in names):
            found.append(f"{path} ({kind}): needs {' or '.join(names)}")
    for key, value in item.items():
        if key in DATES:
            try:
                parsed = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                found.append(f"{path}.{key}: not ISO 8601: {value!r}")
            else:
                if len(value) > 10 and parsed.tzinfo is None:
                    found.append(f"{path}.{key}: no time zone: {value!r}")
        elif key in URLS or key == "image":
            urls = value if isinstance(value, list) else [value]
            found += [
                f"{path}.{key}: not an absolute URL: {url!r}"
                for url in urls
                if isinstance(url, str) and not re.match(r"https?://[^/]+(/|$)", url)
            ]
        if isinstance(value, dict | list):
            found += problems(value, f"{path}.{key}")
    if kind == "Offer" and item.get("price") is not None:
        if float(item["price"]) <= 0:
            found.append(f"{path}.price: not positive")
        if not re.fullmatch(r"[A-Z]{3}", item.get("priceCurrency", "")):
            found.append(f"{path}.priceCurrency: not ISO 4217")
    if kind in {"Rating", "AggregateRating"}:
        best, worst = item.get("bestRating", 5), item.get("worstRating", 1)
        if not worst <= float(item["ratingValue"]) <= best:
            found.append(f"{path}.ratingValue: outside {worst}..{best}")
    return found
