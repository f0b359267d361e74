"""E-mails to members, sent from background tasks (django-tasks) in the
recipient's language, with a plain-text and an HTML part. The apps keep their
own messages (`community.comments.notifications`, ...) and send them here."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from community.sites import site_root_url


def site_root(target):
    """The root URL of the Wagtail Site `target` (a page) belongs to, else of
    the default site: links in e-mails start with it (`community.sites`)."""
    return site_root_url(page=target)


def target_url(target):
    url = getattr(target, "get_full_url", lambda: None)()
    return url or site_root(target) + target.get_absolute_url()


def send(template, to, language, context, headers=None):
    """Render `template`.txt/.html/_subject.txt in `language` and send them,
    with extra `headers` (e.g. List-Unsubscribe) if given."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
