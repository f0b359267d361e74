from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from community import ratelimit
from community.cjk import cjk_index_terms
from community.comments.models import CommentsMixin
from community.comments.services import annotate_comment_counts
from sharing.models import ShareablePageMixin
from sharing.restrictions import public

from . import navigation, structured_data
from .blocks import BodyBlock

PAGE_SIZE = 9

# Messages sent through the contact form, counted per client address with
# community's rate limiter; a project overrides (or adds) limits with the
# setting CONTACT_FORM_RATE_LIMITS in the same notation.
CONTACT_FORM_RATE_LIMITS = {"contact": "3/m/ip,20/h/ip"}


def contact_form_rate_limits():
    """The contact form's limits, read on access so tests can override them."""
    return {
        **CONTACT_FORM_RATE_LIMITS,
        **getattr(settings, "CONTACT_FORM_RATE_LIMITS", {}),
    }


def query_text(request, name):
    """The query-string parameter `name`, stripped ("" when absent). A NUL
    byte is never part of a word or a tag, and PostgreSQL refuses it in a
    query: such a request is a bad request (400), not a server error."""
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(f"NUL byte in the {name!r} parameter")
    return value.strip()


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of `queryset` for the `?page=` of the request; bad numbers fall back
    to the first or the last page instead of failing."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", 1)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class CJKSearchMixin:
    """Adds a search field with the CJK terms of the page's text (see cjk.py).
    `cjk_search_fields` names the fields whose text is indexed."""

    cjk_search_fields = ("title",)

    def cjk_search_text(self):
        parts = []
        for name in self.cjk_search_fields:
            value = getattr(self, name, "")
            field = self._meta.get_field(name)
            if isinstance(field, StreamField):
                parts.extend(field.get_searchable_content(value))
            else:
                parts.append(str(value or ""))
        return cjk_index_terms(" ".join(parts))


CJK_SEARCH_FIELD = index.SearchField("cjk_search_text")


class ImageFieldMixin(models.Model):
    """The page's main picture, used in listings and link previews."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )

    class Meta:
        abstract = True

    def get_listing_image(self):
        return self.image


class HomePage(CJKSearchMixin, ShareablePageMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    hero_cta_text = models.CharField(_("hero button text"), max_length=40, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero button links to"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldRowPanel(
                    [FieldPanel("hero_cta_text"), FieldPanel("hero_cta_page")]
                ),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("body"),
        CJK_SEARCH_FIELD,
    ]
    cjk_search_fields = ("title", "hero_title", "hero_text", "body")
    parent_page_types = ["wagtailcore.Page"]
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    share_description_fallbacks = ("search_description", "hero_text")
    share_image_fallbacks = ("hero_image",)

    class Meta:
        verbose_name = _("home page")

    def get_listing_image(self):
        return self.hero_image

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Cached until the page tree changes (socialsite.website.navigation).
        context.update(navigation.cached(f"home:{self.pk}", self.listings))
        return context

    def listings(self):
        """The newest products and articles below this page, and the index
        pages they are listed on."""
        products = list(
            public(ProductPage.objects.live().descendant_of(self))
            .order_by("-first_published_at")
            .select_related("image")[:3]
        )
        articles = list(
            public(ArticlePage.objects.live().descendant_of(self))
            .order_by("-date", "-pk")
            .select_related("image")[:3]
        )
        return {
            "featured_products": products,
            "products_index": products[0].get_parent() if products else None,
            "latest_articles": articles,
            "news_index": articles[0].get_parent() if articles else None,
        }


class StandardPage(CJKSearchMixin, ImageFieldMixin, ShareablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        CJK_SEARCH_FIELD,
    ]
    cjk_search_fields = ("title", "intro", "body")
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    share_description_fallbacks = ("search_description", "intro")

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def articles(self):
        return (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .select_related("image")
        )

    @path("")
    def index(self, request):
        articles = self.articles()
        tag = query_text(request, "tag")[:100]
        if tag:
            articles = articles.filter(tags__name=tag)
        articles = annotate_comment_counts(articles)
        return self.render(
            request,
            context_overrides={
                "articles": paginate(request, articles.prefetch_related("tags")),
                "tag": tag,
                "pagination_query": urlencode({"tag": tag}) if tag else "",
            },
        )

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "website.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(
    CommentsMixin, CJKSearchMixin, ImageFieldMixin, ShareablePageMixin, Page
):
    date = models.DateField(_("date"))
    author = models.CharField(_("author"), max_length=80)
    intro = models.TextField(_("introduction"), max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(
        through=ArticleTag, blank=True, verbose_name=_("tags")
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    settings_panels = Page.settings_panels + CommentsMixin.comments_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        CJK_SEARCH_FIELD,
    ]
    cjk_search_fields = ("title", "intro", "body", "author")
    parent_page_types = ["website.NewsIndexPage"]
    subpage_types = []
    promote_panels = (
        Page.promote_panels
        + ShareablePageMixin.sharing_panels
        + ShareablePageMixin.own_media_panels
    )
    share_description_fallbacks = ("search_description", "intro")
    og_type = "article"

    class Meta:
        verbose_name = _("article page")

    def get_json_ld(self, request=None):
        return structured_data.article_json_ld(self, request)


class ProductIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.ProductPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("product index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        products = (
            ProductPage.objects.child_of(self)
            .live()
            .public()
            .order_by("path")
            .select_related("image")
        )
        context["products"] = paginate(request, products, per_page=12)
        return context


class ProductPage(
    CommentsMixin, CJKSearchMixin, ImageFieldMixin, ShareablePageMixin, Page
):
    intro = models.CharField(_("tagline"), max_length=200)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    weight = models.CharField(_("net weight"), max_length=40, blank=True)
    origin = models.CharField(_("origin"), max_length=120, blank=True)
    description = RichTextField(
        _("description"), features=["bold", "italic", "link", "ul", "ol"]
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("more"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("currency")]),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("origin")]),
        FieldPanel("image"),
        InlinePanel("gallery_images", label=_("Gallery"), max_num=12),
        FieldPanel("description"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + CommentsMixin.comments_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("origin"),
        CJK_SEARCH_FIELD,
    ]
    cjk_search_fields = ("title", "intro", "description", "origin")
    parent_page_types = ["website.ProductIndexPage"]
    subpage_types = []
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    share_description_fallbacks = ("search_description", "intro")

    class Meta:
        verbose_name = _("product page")

    def gallery(self):
        return [item.image for item in self.gallery_images.select_related("image")]

    def get_json_ld(self, request=None):
        return structured_data.product_json_ld(self, request)


class ProductGalleryImage(Orderable):
    page = ParentalKey(
        ProductPage, related_name="gallery_images", on_delete=models.CASCADE
    )
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class FormField(AbstractFormField):
    page = ParentalKey(
        "website.ContactPage", related_name="form_fields", on_delete=models.CASCADE
    )


class ContactPage(AbstractEmailForm):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    thank_you_text = RichTextField(_("thank-you text"), blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail notification"),
        ),
    ]
    subpage_types = []

    class Meta:
        verbose_name = _("contact page")

    def serve(self, request, *args, **kwargs):
        """Wagtail's form view, with a rate limit on messages: a valid message
        over CONTACT_FORM_RATE_LIMITS is neither stored nor e-mailed, and the
        form comes back as it was typed with a message (429). Invalid
        submissions do not count: they store and send nothing."""
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        status = 200
        if form.is_valid():
            if ratelimit.consume(request, "contact", contact_form_rate_limits()):
                submission = self.process_form_submission(form)
                return self.render_landing_page(request, submission, *args, **kwargs)
            form.add_error(
                None,
                gettext(
                    "You have sent several messages in a short time. Please "
                    "wait a few minutes, then send yours again."
                ),
            )
            status = 429
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(
            request, self.get_template(request), context, status=status
        )
