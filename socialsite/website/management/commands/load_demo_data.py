import io
import json
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from community.avatars import render_avatar
from community.models import Profile
from sharing.models import OwnMediaAccount, ShareButtonSet, SharingSettings
from socialsite.sandbox.publishing import configure_demo_accounts
from socialsite.website.demo import content, images
from socialsite.website.demo.campaigns import build_campaigns
from socialsite.website.demo.comments import build_comments, demo_members
from socialsite.website.demo.events import build_events
from socialsite.website.demo.insights import build_insights
from socialsite.website.demo.listening import build_listening
from socialsite.website.demo.posts import build_posts
from socialsite.website.models import (
    ArticlePage,
    ContactPage,
    FormField,
    HomePage,
    NewsIndexPage,
    ProductIndexPage,
    ProductPage,
    StandardPage,
)

DEMO_USERS = [
    # (username, e-mail, password, role, superuser)
    ("editor", "editor@cloudmist.example", "cloudmist-editor", "editor", True),
    ("visitor", "visitor@cloudmist.example", "cloudmist-visitor", "visitor", False),
]


DEMO_LANGUAGE_SHARE_PLATFORMS = {
    "zh-hans": ["wechat", "weibo", "qq", "douban", "qzone", "email", "copy", "native"],
    # English pages lead with the global platforms; WeChat and Weibo follow
    # for the Chinese-speaking visitors who read them.
    "en": [
        "x",
        "facebook",
        "linkedin",
        "whatsapp",
        "mastodon",
        "bluesky",
        "wechat",
        "weibo",
        "email",
        "copy",
        "native",
    ],
}

DEMO_SHARE_PLATFORMS = [
    "wechat",
    "weibo",
    "qq",
    "douban",
    "x",
    "facebook",
    "linkedin",
    "whatsapp",
    "email",
    "copy",
    "native",
]
# (platform, handle, label, text of a QR code to generate or None)
DEMO_ACCOUNTS = [
    ("wechat", "", "云雾茶 Cloudmist", "https://weixin.qq.com/r/cloudmist-tea-demo"),
    ("weibo", "cloudmisttea", "@云雾茶", None),
    ("douyin", "cloudmisttea", "云雾茶", "https://v.douyin.com/cloudmist-tea-demo/"),
    ("bilibili", "20240501", "云雾茶官方", None),
    ("xiaohongshu", "cloudmisttea", "云雾茶", None),
    ("zhihu", "cloudmist-tea", "云雾茶", None),
    ("x", "cloudmisttea", "@cloudmisttea", None),
    ("linkedin", "cloudmist-tea", "Cloudmist Tea", None),
    ("youtube", "cloudmisttea", "Cloudmist Tea", None),
    ("instagram", "cloudmisttea", "@cloudmisttea", None),
]
SHARING = {
    "en": {
        "follow_heading": "Follow Cloudmist Tea",
        "follow_text": "News from the gardens, brewing tips and first flushes, "
        "wherever you read.",
    },
    "zh-hans": {
        "follow_heading": "关注云雾茶",
        "follow_text": "茶园消息、冲泡心得与头春新茶，在你常用的平台上。",
    },
}


class Command(BaseCommand):
    help = (
        "Build the Cloudmist Tea demo site in English and Simplified Chinese. "
        "Idempotent: what already exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            help="The address the site is served at (e.g. http://127.0.0.1:8000): "
            "the default Site's host name and port, which every absolute URL the "
            "server builds (share links, QR codes, e-mails) starts with.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            self.zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
            self.en = Locale.get_default()
            self.collection = self.get_collection()
            home = self.build_site()
            if options.get("site_url"):
                self.set_site_url(options["site_url"])
            self.build_sharing()
            if getattr(settings, "SOCIAL_LOGIN_SANDBOX", False):
                # The own-media accounts publish to the sandbox's platforms.
                configure_demo_accounts(SharingSettings.for_site(home.get_site()))
        self.update_index(home)
        users = self.create_users()
        self.create_member_profiles()
        self.build_comments(home)
        self.build_posts(home)
        build_campaigns(home, self.zh, demo_members())
        build_events(home, self.zh, demo_members())
        self.build_insights(home)
        build_listening(home.get_site())
        self.print_users(users)

    # Images

    def get_collection(self):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name="Demo pictures").first()
        return existing or root.add_child(name="Demo pictures")

    def get_image(self, title, draw, *args):
        Image = get_image_model()
        image = Image.objects.filter(title=title, collection=self.collection).first()
        if image is None:
            data = draw(*args)
            image = Image(title=title, collection=self.collection)
            image.file = ImageFile(
                __import__("io").BytesIO(data), name=f"{slugify(title)}.jpg"
            )
            image.save()
        return image

    # Pages

    def ensure_child(self, parent, model, slug, **fields):
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def ensure_translation(self, page, **fields):
        """The Chinese version of `page`: created from a copy of the English page,
        then given its Chinese fields."""
        existing = page.get_translation_or_none(self.zh)
        if existing is not None:
            return existing.specific
        translated = page.copy_for_translation(self.zh)
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save()
        translated.save_revision().publish()
        return translated

    def set_site_url(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"--site-url needs an http(s) address, not {url!r}.")
        Site.objects.filter(is_default_site=True).update(
            hostname=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 80),
        )
        # django.contrib.sites (SITE_ID), which third-party code may read, says
        # the same instead of "example.com"; the apps themselves read the
        # Wagtail Site (community.sites).
        DjangoSite.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": parts.netloc, "name": "Cloudmist Tea"},
        )

    def build_site(self):
        root = Page.get_first_root_node()
        site = Site.objects.filter(is_default_site=True).first()
        home = root.get_children().type(HomePage).filter(locale=self.en).first()
        if home is None:
            home = self.create_home(root)
        else:
            home = home.specific
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        if site.root_page_id != home.pk:
            old_root = site.root_page if site.pk else None
            site.root_page = home
            site.site_name = "Cloudmist Tea"
            site.save()
            if old_root is not None and old_root.specific_class is Page:
                # Wagtail's "Welcome to your new Wagtail site!" placeholder.
                old_root.delete()

        home_zh = self.ensure_translation(home, **self.home_fields("zh-hans"))
        products = self.build_products(home)
        self.build_news(home)
        self.build_about(home)
        self.build_contact(home)
        self.update_if_unset(home, hero_cta_page=products)
        self.update_if_unset(home_zh, hero_cta_page=products.get_translation(self.zh))
        return home

    def update_if_unset(self, page, **fields):
        """Set and publish the fields that are still empty. The page is read again
        first: an instance loaded before children were added under it elsewhere
        carries stale tree counters, and publishing it would write them back."""
        page = type(page).objects.get(pk=page.pk)
        missing = {
            name: value
            for name, value in fields.items()
            if getattr(page, f"{name}_id", getattr(page, name, None)) is None
        }
        if missing:
            for name, value in missing.items():
                setattr(page, name, value)
            page.save_revision().publish()

    def home_fields(self, language):
        data = content.HOME[language]
        return {
            "title": data["title"],
            "hero_title": data["hero_title"],
            "hero_text": data["hero_text"],
            "hero_cta_text": data["hero_cta_text"],
            "body": json.dumps(
                [
                    {"type": "heading", "value": {"text": data["intro_heading"]}},
                    {"type": "paragraph", "value": data["intro"]},
                    {
                        "type": "quote",
                        "value": {
                            "text": data["quote"],
                            "attribution": data["quote_by"],
                        },
                    },
                ]
            ),
        }

    def create_home(self, root):
        hero = self.get_image(
            "Misty tea terraces at dawn", images.landscape, 7, *content.LANDSCAPES[0]
        )
        fields = self.home_fields("en")
        slug = "cloudmist"
        home = HomePage(slug=slug, hero_image=hero, locale=self.en, **fields)
        root.add_child(instance=home)
        home.save_revision().publish()
        return home

    def build_products(self, home):
        texts = content.SECTIONS["products"]
        index = self.ensure_child(
            home, ProductIndexPage, "teas", show_in_menus=True, **texts["en"]
        )
        self.ensure_translation(index, **texts["zh-hans"])
        for position, (slug, tin, label, price, weight, en, zh) in enumerate(
            content.PRODUCTS
        ):
            image = self.get_image(en["title"], images.tea_tin, position, tin, label)
            product = self.ensure_child(
                index,
                ProductPage,
                slug,
                image=image,
                price=price,
                weight=weight,
                **en,
            )
            if not product.gallery_images.exists():
                detail = self.get_image(
                    f"{en['title']} — the garden",
                    images.landscape,
                    100 + position,
                    *content.LANDSCAPES[position % len(content.LANDSCAPES)],
                )
                product.gallery_images.create(image=image, sort_order=0)
                product.gallery_images.create(image=detail, sort_order=1)
            self.ensure_translation(product, **zh)
        return index

    def article_body(self, text, image):
        """Heading, text, a second picture, a quote: the intro and the header
        image are shown by the template already."""
        return json.dumps(
            [
                {"type": "heading", "value": {"text": text["heading"], "level": "h2"}},
                {"type": "paragraph", "value": text["body"]},
                {
                    "type": "image",
                    "value": {
                        "image": {
                            "image": image.pk,
                            "decorative": False,
                            "alt_text": text["title"],
                        },
                        "caption": "",
                    },
                },
                {
                    "type": "quote",
                    "value": {"text": text["quote"], "attribution": text["quote_by"]},
                },
            ]
        )

    def article_fields(self, text, image):
        return {
            "title": text["title"],
            "author": text["author"],
            "intro": text["intro"],
            "body": self.article_body(text, image),
        }

    def build_news(self, home):
        texts = content.SECTIONS["news"]
        index = self.ensure_child(
            home, NewsIndexPage, "news", show_in_menus=True, **texts["en"]
        )
        self.ensure_translation(index, **texts["zh-hans"])
        for position, (slug, date, tags_en, tags_zh, en, zh) in enumerate(
            content.ARTICLES
        ):
            image = self.get_image(
                en["title"],
                images.landscape,
                10 + position,
                *content.LANDSCAPES[position],
            )
            inline = self.get_image(
                f"{en['title']} — in the garden",
                images.landscape,
                50 + position,
                *content.LANDSCAPES[(position + 3) % len(content.LANDSCAPES)],
            )
            article = index.get_children().filter(slug=slug).first()
            if article is None:
                article = ArticlePage(
                    slug=slug, date=date, image=image, **self.article_fields(en, inline)
                )
                article.locale = index.locale
                index.add_child(instance=article)
                article.tags.add(*tags_en)
                article.save_revision().publish()
            article = article.specific
            if article.get_translation_or_none(self.zh) is None:
                translated = article.copy_for_translation(self.zh)
                for name, value in self.article_fields(zh, inline).items():
                    setattr(translated, name, value)
                translated.tags.set(tags_zh)
                translated.save()
                translated.save_revision().publish()

    def build_about(self, home):
        texts = content.SECTIONS["about"]
        image = self.get_image(
            "Our tea house on West Lake", images.landscape, 42, *content.LANDSCAPES[5]
        )

        def fields(language):
            data = texts[language]
            return {
                "title": data["title"],
                "intro": data["intro"],
                "body": json.dumps(
                    [
                        {"type": "paragraph", "value": data["body"]},
                        {
                            "type": "follow_us",
                            "value": {
                                "heading": SHARING[language]["follow_heading"],
                                "text": SHARING[language]["follow_text"],
                            },
                        },
                    ]
                ),
            }

        about = self.ensure_child(
            home, StandardPage, "about", show_in_menus=True, image=image, **fields("en")
        )
        self.ensure_translation(about, **fields("zh-hans"))

    def build_contact(self, home):
        texts = content.SECTIONS["contact"]
        contact = home.get_children().filter(slug="contact").first()
        if contact is None:
            contact = ContactPage(
                slug="contact",
                show_in_menus=True,
                locale=home.locale,
                subject="New message from the website",
                **texts["en"],
            )
            home.add_child(instance=contact)
            for order, (kind, label_en, _zh, required, choices, _c) in enumerate(
                content.FORM_FIELDS
            ):
                FormField.objects.create(
                    page=contact,
                    sort_order=order,
                    field_type=kind,
                    label=label_en,
                    required=required,
                    choices=choices,
                )
            contact.save_revision().publish()
        contact = contact.specific
        if contact.get_translation_or_none(self.zh) is None:
            translated = contact.copy_for_translation(self.zh)
            for name, value in texts["zh-hans"].items():
                setattr(translated, name, value)
            translated.subject = "网站新留言"
            translated.save()
            for field, (_k, _en, label_zh, _r, _c, choices_zh) in zip(
                translated.form_fields.order_by("sort_order"),
                content.FORM_FIELDS,
                strict=True,
            ):
                field.label = label_zh
                field.choices = choices_zh
                field.save()
            translated.save_revision().publish()

    # Sharing: share buttons, own-media accounts, link-preview image

    def build_sharing(self):
        """The demo's sharing settings and its full set of own-media accounts,
        created once (an editor's later changes are left alone)."""

        site = Site.objects.get(is_default_site=True)
        settings_obj = SharingSettings.for_site(site)
        if not settings_obj.share_platforms:
            settings_obj.share_platforms = [
                ("platform", platform_id) for platform_id in DEMO_SHARE_PLATFORMS
            ]
            settings_obj.default_share_image = self.get_image(
                "Misty tea terraces at dawn",
                images.landscape,
                7,
                *content.LANDSCAPES[0],
            )
            settings_obj.save()
        if not settings_obj.button_sets.exists():
            # Chinese pages lead with the Chinese platforms, English pages
            # with the global ones; editors change them in Settings → Sharing.
            for order, (language, platform_ids) in enumerate(
                DEMO_LANGUAGE_SHARE_PLATFORMS.items()
            ):
                ShareButtonSet.objects.create(
                    settings=settings_obj,
                    sort_order=order,
                    language=language,
                    platforms=[
                        ("platform", platform_id) for platform_id in platform_ids
                    ],
                )
        if settings_obj.accounts.exists():
            return
        for order, (platform, handle, label, qr_text) in enumerate(DEMO_ACCOUNTS):
            qr_image = None
            if qr_text:
                qr_image = self.get_image(f"{label} QR code", images.qr_code, qr_text)
            OwnMediaAccount.objects.create(
                settings=settings_obj,
                sort_order=order,
                platform=platform,
                handle=handle,
                label=label,
                qr_image=qr_image,
                show_in_header=False,
                show_in_footer=True,
                show_in_follow_block=True,
            )

    def update_index(self, home):
        call_command("update_index", verbosity=0)

    def build_comments(self, home):
        with transaction.atomic():
            build_comments(
                ArticlePage.objects.descendant_of(home).order_by("-date").first(),
                ProductPage.objects.descendant_of(home).order_by("path").first(),
                self.zh,
            )

    def build_posts(self, home):
        with transaction.atomic():
            build_posts(
                home,
                ProductPage.objects.descendant_of(home).order_by("path").first(),
                self.zh,
                demo_members(),
            )

    def build_insights(self, home):

        build_insights(
            ArticlePage.objects.descendant_of(home).order_by("-date").first(),
            ProductPage.objects.descendant_of(home).order_by("path").first(),
            self.zh,
        )

    # Users

    def create_users(self):
        User = get_user_model()
        created = []
        for username, email, password, role, superuser in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                created.append((username, email, password, role, False))
                continue
            user = User(username=username, email=email, is_staff=superuser)
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            created.append((username, email, password, role, True))
        return created

    def create_member_profiles(self):
        """The demo visitor's community profile: avatar, bio, region, interests.
        Left as it is when it already has an avatar."""

        user = get_user_model().objects.filter(username="visitor").first()
        if user is None:
            return
        profile = Profile.for_user(user)
        if profile.avatar:
            return
        profile.display_name = "Lin Yu 林雨"
        profile.bio = (
            "Green tea every morning, pu'er on rainy evenings. "
            "每天早上一杯绿茶，雨夜一壶普洱。"
        )
        profile.region = "Hangzhou 杭州"
        profile.save()
        profile.interests.set(["green tea", "绿茶", "pu'er"])
        picture = io.BytesIO(
            images.tea_tin(7, (59, 122, 92), (247, 243, 234), size=(480, 480))
        )
        with transaction.atomic():
            profile.set_avatar(render_avatar(picture))

    def print_users(self, users):
        site = Site.objects.filter(is_default_site=True).first()
        base = site.root_url if site else ""
        self.stdout.write(self.style.SUCCESS("Demo site ready: Cloudmist Tea"))
        for username, email, password, role, new in users:
            state = "created" if new else "already there"
            where = f" — admin at {base}/admin/" if role == "editor" else ""
            self.stdout.write(
                f"  demo {role}: username {username!r}, e-mail {email}, "
                f"password {password!r} ({state}){where}"
            )
