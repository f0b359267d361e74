"""The demo's events, in English and Chinese: upcoming and past tea tastings
in Hangzhou and Shanghai, the past ones with their attendance, a post-event
survey (the campaigns' tea-habits survey) and a photo board where those who
came posted their pictures. Dates are relative to the moment of loading; what
exists is left as it is."""

import datetime
import io
import zoneinfo

from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from community.events.models import EventIndexPage, EventPage, Registration
from community.posts.models import CommunityBoardPage, Post, PostImage
from community.posts.pictures import render_post_image, store_renditions
from socialsite.website.demo.pages import ensure_index
from socialsite.website.demo.posts import demo_photo

INDEX = ("events", "Events", "线下活动")
INDEX_INTRO = (
    "<p>Tastings, tea-house evenings and harvest days: meet us and other tea lovers in person.</p>",
    "<p>品鉴会、茶馆之夜与采茶日：与我们和其他茶友面对面相聚。</p>",
)
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")

QUESTIONS = [
    {
        "type": "choice",
        "value": {
            "label": ("Which tea do you drink most?", "你最常喝哪种茶？"),
            "help_text": ("", ""),
            "required": False,
            "choices": (
                ["Green", "Oolong", "White", "Black"],
                ["绿茶", "乌龙茶", "白茶", "红茶"],
            ),
        },
    },
    {
        "type": "checkbox",
        "value": {
            "label": ("I would like to bring a friend", "我想带一位朋友"),
            "help_text": ("", ""),
            "required": False,
        },
    },
]

#: slug, (title en, zh), (description en, zh), days from now, start hour,
#: hours, (city en, zh), (venue en, zh), (address en, zh), capacity, online,
#: how many demo members came (past events).
EVENTS = [
    (
        "spring-longjing-tasting-hangzhou",
        ("Spring Longjing tasting in Hangzhou", "杭州春季龙井品鉴会"),
        (
            "Taste this year's first-flush Longjing next to the gardens where it grew, with our tea master. Three infusions, three water temperatures, and the story of each pick.",
            "在龙井茶园旁，与我们的茶艺师一起品尝今年的明前龙井。三道冲泡、三种水温，讲述每一次采摘的故事。",
        ),
        10,
        14,
        2,
        ("Hangzhou", "杭州"),
        ("Cloudmist Tea House, Longjing Village", "云雾茶舍（龙井村）"),
        ("18 Longjing Road, West Lake District, Hangzhou", "杭州市西湖区龙井路18号"),
        20,
        "",
        0,
    ),
    (
        "white-tea-evening-shanghai",
        ("White tea evening in Shanghai", "上海白茶之夜"),
        (
            "Aged white teas from Fuding, from one to seven years old, side by side. Join us at the tea house or follow the tasting online.",
            "福鼎老白茶，从一年到七年，并排品鉴。欢迎来茶馆现场参加，也可以在线收看。",
        ),
        24,
        19,
        2,
        ("Shanghai", "上海"),
        ("Cloudmist Tea Room, Xuhui", "云雾茶室（徐汇）"),
        ("88 Wukang Road, Xuhui District, Shanghai", "上海市徐汇区武康路88号"),
        12,
        "https://meet.example.com/cloudmist-white-tea",
        0,
    ),
    (
        "autumn-oolong-tasting-hangzhou",
        ("Autumn oolong tasting in Hangzhou", "杭州秋季乌龙品鉴会"),
        (
            "Roasted and green oolongs from Anxi and Wuyi, brewed gongfu style. Thank you to everyone who came!",
            "安溪与武夷的焙火乌龙和清香乌龙，功夫茶冲泡。感谢每一位到场的茶友！",
        ),
        -40,
        14,
        3,
        ("Hangzhou", "杭州"),
        ("Cloudmist Tea House, Longjing Village", "云雾茶舍（龙井村）"),
        ("18 Longjing Road, West Lake District, Hangzhou", "杭州市西湖区龙井路18号"),
        16,
        "",
        3,
    ),
    (
        "pu-erh-afternoon-shanghai",
        ("Pu'er afternoon in Shanghai", "上海普洱下午茶"),
        (
            "Raw and ripe pu'er cakes from Yunnan, opened and brewed together. A warm afternoon with forty tea lovers.",
            "一起开饼、冲泡云南生普与熟普。与四十位茶友共度的温暖午后。",
        ),
        -75,
        15,
        2,
        ("Shanghai", "上海"),
        ("Cloudmist Tea Room, Xuhui", "云雾茶室（徐汇）"),
        ("88 Wukang Road, Xuhui District, Shanghai", "上海市徐汇区武康路88号"),
        40,
        "",
        2,
    ),
]


def questions(language):
    index = 0 if language == "en" else 1
    return [
        {
            "type": block["type"],
            "value": {
                key: value[index] if isinstance(value, tuple) else value
                for key, value in block["value"].items()
            },
        }
        for block in QUESTIONS
    ]


#: The photo board of the past tastings: slug, titles, intros.
PHOTO_BOARD = (
    "tasting-photos",
    ("Tasting photos", "品鉴会照片"),
    (
        "Pictures from our tastings, posted by the tea lovers who came.",
        "到场茶友分享的品鉴会照片。",
    ),
)
#: Photos posted after a past event: event slug, language, member number
#: (of those who came), title.
PHOTOS = [
    ("autumn-oolong-tasting-hangzhou", "en", 0, "Gongfu tray at the tea house"),
    ("autumn-oolong-tasting-hangzhou", "en", 1, "Roasted oolong, third infusion"),
    ("autumn-oolong-tasting-hangzhou", "zh-hans", 2, "龙井村的午后茶席"),
]
#: The campaigns' survey page the past events link to (found by its slug).
SURVEY_SLUG = "tea-habits-survey"


def start_time(days, hour):
    day = timezone.localtime(timezone.now(), TZ).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), TZ)


def ensure_event(index, locale_zh, spec, image):
    (
        slug,
        titles,
        texts,
        days,
        hour,
        hours,
        cities,
        venues,
        addresses,
        capacity,
        online,
        _,
    ) = spec
    existing = index.get_children().filter(slug=slug).first()
    if existing is None:
        start = start_time(days, hour)
        event = EventPage(
            slug=slug,
            title=titles[0],
            locale=index.locale,
            description=f"<p>{texts[0]}</p>",
            image=image,
            start_at=start,
            end_at=start + datetime.timedelta(hours=hours),
            time_zone="Asia/Shanghai",
            city=cities[0],
            venue_name=venues[0],
            venue_address=addresses[0],
            online_url=online,
            capacity=capacity,
            registration_closes_at=start - datetime.timedelta(hours=2),
            who_may_register=EventPage.Registrants.VERIFIED,
            questions=questions("en"),
        )
        index.add_child(instance=event)
        event.save_revision().publish()
    else:
        event = existing.specific
    zh_event = event.get_translation_or_none(locale_zh)
    if zh_event is None:
        zh_event = event.copy_for_translation(locale_zh)
        zh_event.title = titles[1]
        zh_event.description = f"<p>{texts[1]}</p>"
        zh_event.city = cities[1]
        zh_event.venue_name = venues[1]
        zh_event.venue_address = addresses[1]
        zh_event.questions = questions("zh-hans")
        zh_event.save()
        zh_event.save_revision().publish()
    return event


def add_attendance(event, members, came):
    """The demo members who registered for a past event, `came` of them
    checked in (the attendance report has numbers to show)."""
    if came == 0 or event.registrations.exists():
        return
    for number, member in enumerate(members[: came + 1]):
        Registration.objects.create(
            event=event,
            user=member,
            status=Registration.Status.REGISTERED,
            language="en",
            created_at=event.start_at - datetime.timedelta(days=7, hours=number),
            queued_at=event.start_at - datetime.timedelta(days=7, hours=number),
            checked_in_at=(
                event.start_at + datetime.timedelta(minutes=5 + 3 * number)
                if number < came
                else None
            ),
        )


def ensure_photo_board(home, locale_zh):
    """The tastings' photo board, in both languages: {language: board}."""
    slug, titles, intros = PHOTO_BOARD
    board = home.get_children().filter(slug=slug).first()
    if board is None:
        board = CommunityBoardPage(
            slug=slug,
            title=titles[0],
            locale=home.locale,
            intro=f"<p>{intros[0]}</p>",
            rules="<p>Your own pictures of the event, please.</p>",
            moderation="post",
            who_may_post="members",
            show_in_menus=False,
            allow_stories=False,
            allow_photos=True,
        )
        home.add_child(instance=board)
        board.save_revision().publish()
    board = board.specific
    zh_board = board.get_translation_or_none(locale_zh)
    if zh_board is None:
        zh_board = board.copy_for_translation(locale_zh)
        zh_board.title = titles[1]
        zh_board.intro = f"<p>{intros[1]}</p>"
        zh_board.rules = "<p>请发布你在活动现场拍的照片。</p>"
        zh_board.save()
        zh_board.save_revision().publish()
    return {"en": board, "zh-hans": zh_board.specific}


def link_after_the_event(event, locale_zh, boards, survey):
    """A past event's survey and photo board, in each language, once."""
    for language, page in (("en", event), ("zh-hans", None)):
        if page is None:
            page = event.get_translation_or_none(locale_zh)
            if page is None:
                continue
            page = page.specific
        if page.photo_board_id or page.survey_page_id:
            continue
        page.photo_board = boards[language]
        if survey is not None:
            translated = (
                survey
                if language == "en"
                else survey.get_translation_or_none(locale_zh) or survey
            )
            page.survey_page = translated
        page.save_revision().publish()


def add_photos(events, boards, members):
    """The pictures posted by those who came (the first demo members)."""
    for number, (slug, language, author, title) in enumerate(PHOTOS):
        board = boards[language]
        if Post.objects.filter(board=board, title=title).exists():
            continue
        event = events[slug]
        posted = event.end_at + datetime.timedelta(hours=2 + number)
        post = Post(
            board=board,
            author=members[author],
            kind=Post.Kind.PHOTO,
            title=title,
            state=Post.State.PUBLISHED,
            language=language,
            created_at=posted,
            published_at=posted,
        )
        post.save()
        rendered = render_post_image(io.BytesIO(demo_photo(70 + number, 0)))
        picture = PostImage(post=post, sort_order=0, alt_text=title)
        store_renditions(picture, rendered)
        picture.save()


def build_events(home, locale_zh, members):
    """The event index and four tastings, in both languages; the past ones
    with a survey and a photo board."""
    index, _ = ensure_index(EventIndexPage, home, locale_zh, INDEX, INDEX_INTRO)
    pictures = list(get_image_model().objects.order_by("pk")[:4])
    members = list({member.pk: member for member in members.values()}.values())
    boards = ensure_photo_board(home, locale_zh)
    survey = Page.objects.filter(slug=SURVEY_SLUG, locale=home.locale).first()
    events = {}
    for number, spec in enumerate(EVENTS):
        image = pictures[number % len(pictures)] if pictures else None
        event = ensure_event(index, locale_zh, spec, image)
        add_attendance(event, members, spec[-1])
        if spec[3] < 0:
            link_after_the_event(event, locale_zh, boards, survey)
        events[spec[0]] = event
    add_photos(events, boards, members)
    return index
