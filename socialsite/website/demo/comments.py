"""Demo comment threads in both languages, with official replies from the
brand. Idempotent: a comment that exists (same page, author and text) is kept."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from community.comments.models import Comment, CommentReaction, ThreadFollow
from community.models import Profile

DEMO_MEMBERS = [
    # (username, e-mail, display name)
    ("sam", "sam@cloudmist.example", "Sam Taylor"),
    ("linmei", "linmei@cloudmist.example", "林梅"),
]

# Per page: threads of (author, text, days ago, likers, replies); an author of
# "brand" is the demo editor replying as the brand.
THREADS = {
    ("article", "en"): [
        (
            "sam",
            "Just ordered the first-flush Longjing. Is it best brewed at 80 °C "
            "or a little hotter?",
            6,
            ["visitor"],
            [
                (
                    "brand",
                    "Thank you, Sam! We brew it at **80–85 °C**: 3 g of leaves "
                    "for 150 ml, one minute for the first infusion, then a little "
                    "longer each time.",
                    5,
                    ["sam", "visitor"],
                    [
                        (
                            "sam",
                            "Perfect, thank you! The second infusion was even better.",
                            4,
                            [],
                            [],
                        )
                    ],
                ),
            ],
        ),
        (
            "visitor",
            "We walked the Anji terraces last spring and they look exactly like "
            "your photos.\n\n> Tea from the clouds, indeed.",
            3,
            ["sam", "linmei"],
            [],
        ),
    ],
    ("article", "zh-hans"): [
        (
            "linmei",
            "今年的明前龙井香气特别好，豆香很足，已经回购第二罐了。",
            5,
            ["visitor"],
            [
                (
                    "brand",
                    "谢谢您的喜爱！建议用 **80–85°C** 的水冲泡，3 克茶配 150 毫升水，"
                    "第一泡一分钟。",
                    4,
                    ["linmei"],
                    [],
                ),
            ],
        ),
        ("visitor", "请问有没有小包装的试饮装？想送给朋友尝尝。", 2, [], []),
    ],
    ("product", "en"): [
        (
            "sam",
            "Bought this twice already. The tin keeps it fresh for months.",
            8,
            ["visitor"],
            [],
        ),
    ],
    ("product", "zh-hans"): [
        ("linmei", "包装很精美，送长辈很合适。", 7, ["visitor"], []),
    ],
}


def demo_members():
    """The demo commenters, verified, with display names."""
    User = get_user_model()
    members = {}
    for username, email, name in DEMO_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=email)
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        Profile.objects.get_or_create(user=user, defaults={"display_name": name})
        members[username] = user
    for username in ("visitor", "editor"):
        members[username] = User.objects.get(username=username)
    members["brand"] = members["editor"]
    return members


def ensure_comment(target, author, text, days_ago, members, parent=None):
    existing = (
        Comment.objects.for_object(target)
        .filter(user=members[author], comment=text)
        .first()
    )
    if existing is not None:
        return existing, False
    comment = Comment(
        content_object=target,
        site_id=1,
        user=members[author],
        user_name=members[author].get_username(),
        user_email=members[author].email,
        comment=text,
        submit_date=timezone.now() - timedelta(days=days_ago, hours=2),
        parent_id=parent.pk if parent else 0,
        is_official=author == "brand",
        language=target.locale.language_code,
    )
    comment.save()
    return comment, True


def add_thread(target, thread, members, parent=None):
    author, text, days_ago, likers, replies = thread
    comment, created = ensure_comment(target, author, text, days_ago, members, parent)
    if created:
        for liker in likers:
            CommentReaction.objects.get_or_create(comment=comment, user=members[liker])
        comment.like_count = len(likers)
        comment.save(update_fields=["like_count"])
        if parent is None and author != "brand":
            ThreadFollow.objects.get_or_create(thread=comment, user=members[author])
    for reply in replies:
        add_thread(target, reply, members, parent=comment)


def build_comments(article_en, product_en, zh_locale):
    """Threads on the first article and product, in English and Chinese."""
    members = demo_members()
    pages = {
        ("article", "en"): article_en,
        ("article", "zh-hans"): article_en.get_translation(zh_locale).specific,
        ("product", "en"): product_en,
        ("product", "zh-hans"): product_en.get_translation(zh_locale).specific,
    }
    for key, threads in THREADS.items():
        for thread in threads:
            add_thread(pages[key], thread, members)
