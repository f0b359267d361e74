"""Demo community boards ("Stories", "Photo wall", "Reviews", "Q&A") in English
and Chinese, with members' posts and generated photos. Idempotent: boards are
found by slug, posts by board and title."""

import io
from datetime import timedelta

from django.utils import timezone

from community.posts.models import CommunityBoardPage, Post, PostImage, PostReaction
from community.posts.pictures import render_post_image, store_renditions
from community.posts.services import accept_answer, refresh_comment_count
from socialsite.website.demo.comments import ensure_comment

from . import images

BOARDS = [
    # slug, en title, zh title, kinds, moderation, en intro, zh intro
    (
        "stories",
        "Stories",
        "茶友故事",
        {"allow_stories": True, "allow_photos": False},
        "post",
        "Your tea moments: where you drink, with whom, and why.",
        "分享你的喝茶时光：在哪里喝，和谁一起，为什么。",
    ),
    (
        "photo-wall",
        "Photo wall",
        "照片墙",
        {"allow_stories": False, "allow_photos": True},
        "pre",
        "Tea fields, tea sets and the cup in your hand.",
        "茶园、茶具，和你手中的那杯茶。",
    ),
    (
        "reviews",
        "Reviews",
        "产品评价",
        {"allow_stories": False, "allow_photos": False, "allow_reviews": True},
        "pre",
        "Tell other tea lovers what you think of our teas.",
        "告诉其他茶友你对我们茶叶的看法。",
    ),
    (
        "questions",
        "Q&A",
        "问答",
        {"allow_stories": False, "allow_photos": False, "allow_questions": True},
        "post",
        "Ask about brewing, storing and choosing tea. Our tea masters answer too.",
        "关于冲泡、储存和挑选茶叶的问题，都可以在这里问。我们的茶师也会回答。",
    ),
]

# board slug -> language -> [(author, kind, title, body, tags, days_ago, likes,
#                            photos, rating)]
POSTS = {
    "stories": {
        "en": [
            (
                "visitor",
                "story",
                "Morning Longjing on the balcony",
                "Every morning before work I brew **Longjing** in a glass, watch "
                "the leaves dance, and read for ten minutes. Best ritual I have.",
                ["green tea", "ritual"],
                2,
                ["visitor", "sam"],
                0,
                None,
            ),
            (
                "sam",
                "story",
                "Teaching my dad gongfu brewing",
                'He was sceptical: "tea is tea". Three infusions of oolong later '
                "he asked where to buy the little cups.",
                ["oolong", "family"],
                5,
                ["visitor"],
                0,
                None,
            ),
        ],
        "zh-hans": [
            (
                "linmei",
                "story",
                "雨天的一壶普洱",
                "下雨的周末，泡一壶熟普，听雨声，看书，这就是我最喜欢的时光。",
                ["普洱", "生活"],
                3,
                ["visitor"],
                0,
                None,
            ),
        ],
    },
    "photo-wall": {
        "en": [
            (
                "visitor",
                "photo",
                "Terraces after the rain",
                "Westlake tea terraces, early April.",
                ["tea fields", "spring"],
                1,
                ["visitor", "sam"],
                3,
                None,
            ),
            (
                "sam",
                "photo",
                "My tin collection",
                "Four years of Cloudmist tins, still smelling of tea.",
                ["tea tins"],
                4,
                ["visitor"],
                2,
                None,
            ),
        ],
        "zh-hans": [
            (
                "linmei",
                "photo",
                "清晨的茶园",
                "四月初的龙井茶园，雾气还没有散。",
                ["茶园", "春天"],
                2,
                ["visitor"],
                2,
                None,
            ),
        ],
    },
    "reviews": {
        "en": [
            (
                "sam",
                "review",
                "Fresh and sweet, worth it",
                "Chestnut aroma, no bitterness even at the third infusion.",
                ["green tea"],
                6,
                ["sam"],
                0,
                5,
            ),
            (
                "sam",
                "review",
                "Good, but pricey",
                "Lovely tea; the tin is beautiful. A bit expensive for daily use.",
                [],
                9,
                [],
                0,
                4,
            ),
        ],
        "zh-hans": [
            (
                "linmei",
                "review",
                "香气很正",
                "豆香明显，回甘好，包装也很精美。",
                ["绿茶"],
                4,
                ["visitor"],
                0,
                5,
            ),
        ],
    },
    "questions": {
        "en": [
            (
                "sam",
                "question",
                "How long does green tea keep once opened?",
                "I opened a tin of Longjing last month. Should I keep it in the "
                "fridge?",
                ["storage"],
                3,
                ["visitor"],
                0,
                None,
            ),
        ],
        "zh-hans": [
            (
                "linmei",
                "question",
                "白茶用多少度的水泡？",
                "新买的白牡丹，用开水泡会不会太烫？",
                ["白茶", "冲泡"],
                2,
                [],
                0,
                None,
            ),
        ],
    },
}

ANSWERS = {
    "How long does green tea keep once opened?": (
        "Keep it airtight, away from light and smells; in the fridge only in a "
        "sealed bag. Best within two months of opening."
    ),
    "白茶用多少度的水泡？": "白牡丹建议用90℃左右的水，第一泡时间短一些。",
}

PHOTO_COLOURS = [
    (
        (196, 221, 235),
        (238, 244, 236),
        [(120, 160, 130), (84, 138, 100), (50, 104, 72)],
    ),
    (
        (233, 214, 190),
        (246, 238, 226),
        [(150, 160, 110), (110, 138, 84), (70, 104, 60)],
    ),
    ((205, 214, 228), (240, 240, 244), [(130, 150, 150), (80, 120, 100), (40, 90, 70)]),
]


def demo_photo(seed, number=0):
    """A generated picture as an upload would arrive (JPEG bytes): landscapes,
    and a tea tin as the second picture."""
    if number != 1:
        top, bottom, hills = PHOTO_COLOURS[seed % len(PHOTO_COLOURS)]
        return images.landscape(seed, top, bottom, hills, size=(960, 720))
    return images.tea_tin(seed, (59, 122, 92), (247, 243, 234), size=(720, 720))


def ensure_boards(home, zh_home, locale_zh):
    boards = {}
    for slug, title, zh_title, kinds, moderation, intro, zh_intro in BOARDS:
        existing = home.get_children().filter(slug=slug).first()
        if existing is None:
            board = CommunityBoardPage(
                slug=slug,
                title=title,
                locale=home.locale,
                intro=f"<p>{intro}</p>",
                rules="<p>Be kind. Post your own words and pictures. "
                "No advertising.</p>",
                moderation=moderation,
                who_may_post="members",
                # The menu links the community page, which links every board.
                show_in_menus=False,
                **kinds,
            )
            home.add_child(instance=board)
            board.save_revision().publish()
        else:
            board = existing.specific
        zh_board = board.get_translation_or_none(locale_zh)
        if zh_board is None:
            zh_board = board.copy_for_translation(locale_zh)
            zh_board.title = zh_title
            zh_board.intro = f"<p>{zh_intro}</p>"
            zh_board.rules = "<p>友善交流，发布自己的文字和照片，请勿发广告。</p>"
            zh_board.save()
            zh_board.save_revision().publish()
        boards[slug] = {"en": board, "zh-hans": zh_board.specific}
    return boards


def add_popular_block(page, heading):
    """The home page's "popular now" block, once. The page is read again: an
    instance loaded before the boards were added carries stale fields and tree
    counters, and publishing it would write them back."""
    page = type(page).objects.get(pk=page.pk)
    if any(block.block_type == "popular_posts" for block in page.body):
        return
    page.body.append(
        ("popular_posts", {"heading": heading, "count": 4, "days": 60, "board": None})
    )
    page.save_revision().publish()


def build_posts(home, product_en, locale_zh, members):
    """Boards and posts; returns the boards by slug and language."""
    zh_home = home.get_translation_or_none(locale_zh)
    boards = ensure_boards(home, zh_home, locale_zh)
    products = {
        "en": product_en,
        "zh-hans": product_en.get_translation_or_none(locale_zh),
    }
    seed = 0
    for slug, languages in POSTS.items():
        for language, posts in languages.items():
            board = boards[slug][language]
            for author, kind, title, body, tags, days, likers, photos, rating in posts:
                seed += 1
                if Post.objects.filter(board=board, title=title).exists():
                    continue
                post = Post(
                    board=board,
                    author=members[author],
                    kind=kind,
                    title=title,
                    body=body,
                    rating=rating,
                    product=products[language] if kind == "review" else None,
                    state=Post.State.PUBLISHED,
                    language=language,
                    created_at=timezone.now() - timedelta(days=days, hours=seed),
                )
                post.published_at = post.created_at
                post.save()
                post.tags.set(tags)
                for number in range(photos):
                    rendered = render_post_image(
                        io.BytesIO(demo_photo(seed * 10 + number, number))
                    )
                    picture = PostImage(post=post, sort_order=number, alt_text=title)
                    store_renditions(picture, rendered)
                    picture.save()
                likers = [liker for liker in likers if liker != author]
                for liker in likers:
                    PostReaction.objects.get_or_create(post=post, user=members[liker])
                Post.objects.filter(pk=post.pk).update(
                    like_count=len(likers), view_count=len(likers) * 7 + 3
                )
                answer = ANSWERS.get(title)
                if answer:
                    comment, _created = ensure_comment(
                        post, "brand", answer, max(days - 1, 0), members
                    )
                    accept_answer(post, comment)
                    refresh_comment_count(post.pk)
    for page, heading in ((home, "Popular in the community"), (zh_home, "社区热门")):
        add_popular_block(page.specific, heading)
    return boards
