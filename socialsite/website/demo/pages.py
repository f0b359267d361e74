"""Pages the demo's loaders share."""


def ensure_index(model, home, locale_zh, index, intros):
    """The index page `model` under `home` (`index`: slug, English and Chinese
    titles; `intros`: English and Chinese intros) and its Chinese
    translation, both published: made once, found again on a second load."""
    slug, title, zh_title = index
    existing = home.get_children().filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug, title=title, locale=home.locale, intro=intros[0])
        home.add_child(instance=page)
        page.save_revision().publish()
    else:
        page = existing.specific
    zh_page = page.get_translation_or_none(locale_zh)
    if zh_page is None:
        zh_page = page.copy_for_translation(locale_zh)
        zh_page.title = zh_title
        zh_page.intro = intros[1]
        zh_page.save()
        zh_page.save_revision().publish()
    return page, zh_page.specific
