"""Signals of the sharing app."""

from django.dispatch import Signal

#: Sent by an app whose shareable objects are not Wagtail pages when one of
#: them changes in a way its share links show (title, summary, picture, URL,
#: published or hidden): ``shareable_changed.send(sender=Post, kind="post",
#: pk=post.pk)``. The share endpoint then forgets what it cached
#: (`sharing.snapshots`); pages are followed through Wagtail's own signals.
shareable_changed = Signal()
