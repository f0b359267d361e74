"""What takes which pages out of the page cache, for the changes Wagtail and
its settings make; connected in SharingConfig.ready(). The community apps
invalidate their comments and posts themselves.

A page (published, unpublished, moved, its slug changed, deleted) takes out:
itself, the pages below it when its URL changed or it went away, its
ancestors (index pages list their children, the home page the latest ones),
its translations and aliases (the language switcher links to it), and the
pages whose content links to it (Wagtail's reference index). A page in a
menu (or a top-level one, which menus list) takes out every page.
View restrictions take out the pages they cover; site settings (own-media
accounts, sharing settings) the pages of their site; sites, locales and
generic settings every page; images, documents and snippets the pages that
use them and those pages' ancestors (listings show their pictures)."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)
from wagtail.snippets.models import get_snippet_models

from . import ALL, invalidate, object_tag, site_tag, tree_tag


def _parent_url_path(url_path):
    parts = [part for part in url_path.split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts[:-1])


def in_menus(page):
    """In a menu, or a child of a site's home page (of any language), which
    menus list."""
    if page.show_in_menus:
        return True
    roots = {root.root_path for root in Site.get_site_root_paths()}
    return _parent_url_path(page.url_path) in roots


def page_ids(queryset):
    return list(queryset.values_list("pk", flat=True))


def ancestor_ids(page):
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen * 2, len(page.path), steplen)]
    return page_ids(Page.objects.filter(path__in=paths)) if paths else []


def referrer_ids(obj):
    """Pages whose content refers to `obj` (chooser fields and blocks, rich
    text links), from Wagtail's reference index."""
    page_type = ContentType.objects.get_for_model(Page)
    return list(
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        .distinct()
    )


def page_change_tags(page, *, below=False, url_path=None):
    """The tags a change of `page` takes out; `below`: its subtree too, at
    `url_path` (its URL path before the change) or its current one."""
    tags = {object_tag(page)}
    if below:
        tags.add(tree_tag(url_path or page.url_path))
    related = [
        *ancestor_ids(page),
        *page_ids(Page.objects.filter(translation_key=page.translation_key)),
        *page_ids(Page.objects.filter(alias_of_id=page.pk)),
        *referrer_ids(page),
    ]
    tags.update(object_tag(Page, pk) for pk in related)
    if in_menus(page):
        tags.add(ALL)
    return tags


def on_page_published(sender, instance, **kwargs):
    invalidate(*page_change_tags(instance))


def on_page_unpublished(sender, instance, **kwargs):
    invalidate(*page_change_tags(instance, below=True))


def on_slug_changed(sender, instance, instance_before, **kwargs):
    invalidate(
        *page_change_tags(instance, below=True, url_path=instance_before.url_path)
    )


def on_page_moved(sender, instance, parent_page_before, url_path_before, **kwargs):
    tags = page_change_tags(instance, below=True, url_path=url_path_before)
    tags.add(object_tag(parent_page_before))
    tags.update(object_tag(Page, pk) for pk in ancestor_ids(parent_page_before))
    invalidate(*tags)


def on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        invalidate(*page_change_tags(page, below=True))


def used_by_tags(obj):
    """The pages that use `obj` (an image, a document, a snippet) and their
    ancestors."""
    ids = referrer_ids(obj)
    tags = {object_tag(Page, pk) for pk in ids}
    for page in Page.objects.filter(pk__in=ids):
        tags.update(object_tag(Page, pk) for pk in ancestor_ids(page))
    return tags


def _setting_site(instance):
    """The site of a site setting, or of a row that belongs to one (an
    own-media account of the sharing settings)."""
    if isinstance(instance, BaseSiteSetting):
        return instance.site_id
    for field in instance._meta.concrete_fields:
        model = getattr(field, "related_model", None)
        if field.many_to_one and model and issubclass(model, BaseSiteSetting):
            parent = model.objects.filter(pk=getattr(instance, field.attname)).first()
            return parent.site_id if parent is not None else None
    return None


@functools.cache
def _belongs_to_setting(model):
    return any(
        field.many_to_one
        and isinstance(field.related_model, type)
        and issubclass(field.related_model, BaseSiteSetting)
        for field in model._meta.concrete_fields
    )


def used_models():
    """Models whose instances pages use: images, documents, snippets."""
    return (get_image_model(), get_document_model(), *get_snippet_models())


#: Fields Wagtail fills in on an image or document the first time it is
#: asked for them (maybe while rendering a page): nothing visible changes.
LAZY_FIELDS = frozenset({"file_size", "file_hash"})


def on_model_changed(
    sender, instance, raw=False, created=False, update_fields=None, **kwargs
):
    """post_save and post_delete of any model: settings, sites, locales and
    what pages use."""
    if raw or (update_fields and set(update_fields) <= LAZY_FIELDS):
        return
    if created and isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        return  # made with its defaults on first use (`for_site`): no change
    if isinstance(instance, (Site, Locale, BaseGenericSetting)):
        invalidate(ALL)
    elif isinstance(instance, BaseSiteSetting) or _belongs_to_setting(sender):
        site_id = _setting_site(instance)
        invalidate(site_tag(site_id) if site_id is not None else ALL)
    elif isinstance(instance, used_models()) and not isinstance(instance, Page):
        invalidate(*used_by_tags(instance))


def connect():
    uid = "sharing.pagecache"
    page_published.connect(on_page_published, dispatch_uid=uid)
    page_unpublished.connect(on_page_unpublished, dispatch_uid=uid)
    page_slug_changed.connect(on_slug_changed, dispatch_uid=uid)
    post_page_move.connect(on_page_moved, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid
        )
        signal.connect(on_model_changed, dispatch_uid=f"{uid}.models")
