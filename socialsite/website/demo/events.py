"""The demo's events, in English and Chinese: upcoming and past tea tastings
in Hangzhou and Shanghai, the past ones with their attendance. Dates are
relative to the moment of loading; what exists is left as it is."""

import datetime
import zoneinfo

from django.utils import timezone
from wagtail.images import get_image_model

from community.events.models import EventIndexPage, EventPage, Registration
from socialsite.website.demo.pages import ensure_index

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


def build_events(home, locale_zh, members):
    """The event index and four tastings, in both languages."""
    index, _ = ensure_index(EventIndexPage, home, locale_zh, INDEX, INDEX_INTRO)
    pictures = list(get_image_model().objects.order_by("pk")[:4])
    members = list({member.pk: member for member in members.values()}.values())
    for number, spec in enumerate(EVENTS):
        image = pictures[number % len(pictures)] if pictures else None
        event = ensure_event(index, locale_zh, spec, image)
        add_attendance(event, members, spec[-1])
    return index
