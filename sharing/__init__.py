"""Socialsite sharing: platform registry, privacy-first share buttons,
own-media accounts, link previews and first-party share tracking, as a
reusable Wagtail app."""
