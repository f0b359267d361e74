"""The demo's campaigns, in English and Chinese: a running photo contest, a
tea-habits survey and a finished contest with its winners announced. Dates
are relative to the moment of loading; what exists is left as it is."""

import io
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model

from community.campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    Entry,
    Vote,
)
from community.posts.models import Post, PostImage
from community.posts.pictures import render_post_image, store_renditions
from socialsite.website.demo.pages import ensure_index
from socialsite.website.demo.posts import demo_photo

INDEX = ("campaigns", "Campaigns", "活动")
INDEX_INTRO = (
    "<p>Contests, votes and surveys: take part, invite your friends, win tea.</p>",
    "<p>比赛、投票与问卷：参加活动，邀请好友，赢取好茶。</p>",
)

SURVEY = [
    {
        "type": "single_choice",
        "value": {
            "key": "how_often",
            "question": {
                "en": "How often do you drink tea?",
                "zh-hans": "你多久喝一次茶？",
            },
            "required": True,
            "choices": {
                "en": ["Every day", "A few times a week", "Rarely"],
                "zh-hans": ["每天", "每周几次", "很少"],
            },
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "key": "kinds",
            "question": {"en": "Which teas do you like?", "zh-hans": "你喜欢哪些茶？"},
            "required": False,
            "choices": {
                "en": ["Green", "Oolong", "Black", "Pu'er"],
                "zh-hans": ["绿茶", "乌龙茶", "红茶", "普洱"],
            },
            "show_if_key": "how_often",
            "show_if_answer": {"en": "Every day", "zh-hans": "每天"},
        },
    },
    {"type": "page_break", "value": None},
    {
        "type": "rating",
        "value": {
            "key": "packaging",
            "question": {
                "en": "How do you like our tins?",
                "zh-hans": "你觉得我们的茶罐怎么样？",
            },
            "required": False,
            "scale": 5,
            "low_label": {"en": "Not at all", "zh-hans": "不喜欢"},
            "high_label": {"en": "Very much", "zh-hans": "非常喜欢"},
        },
    },
    {
        "type": "nps",
        "value": {
            "key": "recommend",
            "question": {
                "en": "How likely are you to recommend Cloudmist Tea to a friend?",
                "zh-hans": "你向朋友推荐云雾茶的可能性有多大？",
            },
            "required": True,
        },
    },
    {
        "type": "matrix",
        "value": {
            "key": "our_teas",
            "question": {
                "en": "How do you find our teas?",
                "zh-hans": "你觉得我们的茶怎么样？",
            },
            "required": False,
            "rows": {
                "en": ["Taste", "Price", "Packaging"],
                "zh-hans": ["口感", "价格", "包装"],
            },
            "columns": {
                "en": ["Poor", "Fair", "Good", "Excellent"],
                "zh-hans": ["差", "一般", "好", "非常好"],
            },
        },
    },
    {
        "type": "free_text",
        "value": {
            "key": "wish",
            "question": {
                "en": "Which tea should we add next?",
                "zh-hans": "你希望我们下一款上新什么茶？",
            },
            "required": False,
            "max_length": 500,
        },
    },
]

# slug, (en, zh) titles, (en, zh) intros, days from now: opened, closed,
# contest, winners. The running contest opened weeks ago: its entries come
# after the demo's posts in the community feed (the layout tests measure the
# feed's first cards).
CAMPAIGNS = [
    (
        "spring-photo-contest",
        ("Spring tea moments: photo contest", "春日茶时光摄影大赛"),
        (
            "Share a photo of your spring tea: a cup by the window, a picnic in the hills. Members vote for their favourites; the three most voted win a tin of first-flush Longjing.",
            "分享你的春日茶照：窗边的一杯、山间的野餐。会员投票选出最爱，得票最多的三位将获得一罐明前龙井。",
        ),
        -40,
        20,
        True,
        False,
    ),
    (
        "tea-habits-survey",
        ("Tea habits survey 2026", "2026 饮茶习惯调查"),
        (
            "Five short questions about how you drink tea. Your answers help us choose next year's teas.",
            "五个简短的问题，了解你的饮茶习惯。你的回答将帮助我们挑选明年的茶。",
        ),
        -3,
        30,
        False,
        False,
    ),
    (
        "autumn-harvest-contest",
        ("Autumn harvest story contest", "秋收故事征集"),
        (
            "Tell us the story of a tea that stayed with you. The winners were chosen by the members' votes and our tasting panel.",
            "讲讲一杯让你难忘的茶。获奖者由会员投票和我们的品鉴团共同评选。",
        ),
        -70,
        -40,
        True,
        True,
    ),
]

RULES = (
    "<p>One entry per member: your own photo or story. Members with a confirmed e-mail address take part; each has three votes a day, one per entry.</p>",
    "<p>每位会员限投一件作品，须为本人原创。已验证邮箱的会员可参加；每人每天三票，每件作品限投一票。</p>",
)
PRIZES = (
    "<ol><li>A tin of first-flush Longjing</li><li>A Yixing clay teapot</li><li>A tasting set of five teas</li></ol>",
    "<ol><li>明前龙井一罐</li><li>宜兴紫砂壶一把</li><li>五款品鉴装一套</li></ol>",
)

# Per contest and language: (author, title, text, photo, voters, place, prize)
ENTRIES = {
    ("spring-photo-contest", "en"): [
        (
            "sam",
            "First cup by the window",
            "Longjing in the morning light.",
            True,
            ["linmei", "visitor"],
            None,
            "",
        ),
        (
            "visitor",
            "Picnic on the hill",
            "A flask of green tea and a view.",
            True,
            ["sam"],
            None,
            "",
        ),
    ],
    ("spring-photo-contest", "zh-hans"): [
        (
            "linmei",
            "雨后的茶园",
            "清明前后，山里一片新绿。",
            True,
            ["sam", "visitor"],
            None,
            "",
        ),
    ],
    ("autumn-harvest-contest", "en"): [
        (
            "sam",
            "Grandmother's oolong",
            "Every autumn she roasted oolong in a wok; the smell still means home to me.",
            True,
            ["linmei", "visitor", "editor"],
            1,
            "A tin of first-flush Longjing",
        ),
        (
            "visitor",
            "A cup on the night train",
            "A stranger shared his pu'er with me on the way to Kunming.",
            False,
            ["sam"],
            2,
            "A Yixing clay teapot",
        ),
    ],
    ("autumn-harvest-contest", "zh-hans"): [
        (
            "linmei",
            "外婆的桂花乌龙",
            "每年秋天，外婆都会用铁锅焙乌龙，那香气就是家的味道。",
            True,
            ["sam", "visitor", "editor"],
            1,
            "明前龙井一罐",
        ),
    ],
}


def _localized(value, language):
    if isinstance(value, dict) and set(value) <= {"en", "zh-hans"}:
        return value[language]
    if isinstance(value, dict):
        return {key: _localized(item, language) for key, item in value.items()}
    return value


def survey_for(language):
    return [
        {"type": block["type"], "value": _localized(block["value"], language)}
        for block in SURVEY
    ]


def ensure_campaign(index, zh_index, locale_zh, spec, hero):
    slug, titles, intros, opened, closes, contest, winners = spec
    now = timezone.now()
    existing = index.get_children().filter(slug=slug).first()
    if existing is None:
        campaign = CampaignPage(
            slug=slug,
            title=titles[0],
            locale=index.locale,
            intro=f"<p>{intros[0]}</p>",
            rules=RULES[0] if contest else "",
            prizes=PRIZES[0] if contest else "",
            hero_image=hero,
            starts_at=now + timedelta(days=opened),
            ends_at=now + timedelta(days=closes),
            allow_photos=contest,
            allow_stories=contest and winners,
            allow_reviews=False,
            allow_questions=False,
            moderation="post",
            who_may_post="verified",
            votes_per_day=3,
            jury_weight=30 if winners else 0,
            survey=[] if contest else survey_for("en"),
        )
        index.add_child(instance=campaign)
        campaign.save_revision().publish()
    else:
        campaign = existing.specific
    zh_campaign = campaign.get_translation_or_none(locale_zh)
    if zh_campaign is None:
        zh_campaign = campaign.copy_for_translation(locale_zh)
        zh_campaign.title = titles[1]
        zh_campaign.intro = f"<p>{intros[1]}</p>"
        zh_campaign.rules = RULES[1] if contest else ""
        zh_campaign.prizes = PRIZES[1] if contest else ""
        if not contest:
            zh_campaign.survey = survey_for("zh-hans")
        zh_campaign.save()
        zh_campaign.save_revision().publish()
    return {"en": campaign, "zh-hans": zh_campaign.specific}


def add_entries(campaign, language, entries, members, seed):
    for author, title, text, photo, voters, place, prize in entries:
        seed += 1
        if Post.objects.filter(board=campaign, title=title).exists():
            continue
        created = max(campaign.starts_at + timedelta(hours=seed), campaign.starts_at)
        post = Post(
            board=campaign,
            author=members[author],
            kind="photo" if photo else "story",
            title=title,
            body=text,
            state=Post.State.PUBLISHED,
            language=language,
            created_at=created,
            published_at=created,
        )
        post.save()
        if photo:
            rendered = render_post_image(io.BytesIO(demo_photo(seed * 7)))
            picture = PostImage(post=post, sort_order=0, alt_text=title)
            store_renditions(picture, rendered)
            picture.save()
        entry = Entry.objects.get(post=post)
        for voter in voters:
            if voter == author:
                continue
            user = members[voter]
            Vote.objects.create(
                campaign=campaign,
                entry=entry,
                user=user,
                account_created_at=user.date_joined,
                created_at=created + timedelta(hours=2),
            )
            Entry.objects.filter(pk=entry.pk).update(vote_count=F("vote_count") + 1)
        if place:
            Entry.objects.filter(pk=entry.pk).update(
                winner_rank=place,
                prize=prize,
                jury_score=90 - 10 * place,
                notified_at=timezone.now(),
            )
    return seed


def build_campaigns(home, locale_zh, members):
    """The campaign index and its three campaigns in both languages."""
    index, zh_index = ensure_index(
        CampaignIndexPage, home, locale_zh, INDEX, INDEX_INTRO
    )
    hero = get_image_model().objects.order_by("pk").first()
    seed = 100
    for spec in CAMPAIGNS:
        pages = ensure_campaign(index, zh_index, locale_zh, spec, hero)
        for language, campaign in pages.items():
            entries = ENTRIES.get((spec[0], language), [])
            seed = add_entries(campaign, language, entries, members, seed)
            if spec[6] and campaign.winners_announced_at is None:
                CampaignPage.objects.filter(pk=campaign.pk).update(
                    winners_announced_at=campaign.ends_at + timedelta(days=7)
                )
    return index, zh_index
