"""Publishing to own media: an editor's posts become `PublishAttempt`s when
their page is published (or when another app asks, for any Shareable),
background tasks send them through each platform's publisher with retries
and exponential back-off, and the visits and sign-ups their links bring are
counted per post.

Nothing here raises into the page's publication: a post that cannot even be
queued is logged, and the page is published all the same."""

import datetime
import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from . import app_settings, tasks
from .models import OwnMediaPost, PublishAttempt
from .publishers.base import Message, NotConfigured, PublishError
from .shareables import Shareable

logger = logging.getLogger(__name__)

#: The session key that remembers which own-media post a signed-in (or
#: signing-up) visitor came from, for `record_signup`.
SESSION_KEY = "sharing_own_media_post"

#: The picture sent with a post (a WeChat cover, a Weibo or Telegram photo).
IMAGE_FILTER = "max-1200x1200|format-jpeg"


def campaign_link(url, platform_id, campaign):
    """`url` with the UTM tags of an own-media post: utm_source=<platform>,
    utm_medium=social (what share tracking counts), utm_campaign=<post>."""
    parts = urlsplit(url)
    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.startswith("utm_")
    ]
    params += [
        ("utm_source", platform_id),
        ("utm_medium", app_settings.UTM_MEDIUM),
        ("utm_campaign", campaign),
    ]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path or "/", urlencode(params), "")
    )


def image_loader(image):
    """A callable giving (file name, bytes, content type) of `image`'s
    rendition, read only when a publisher needs it."""
    if image is None:
        return None

    def load():
        try:
            rendition = image.get_rendition(IMAGE_FILTER)
            with rendition.file.open("rb") as handle:
                data = handle.read()
        except Exception:
            # A missing or broken file: the post goes without its picture.
            logger.warning("Image %s could not be read for a post", image.pk)
            return None
        return (f"cover-{image.pk}.jpg", data, "image/jpeg")

    return load


# Creating posts.


def create_attempt(
    obj, account, text, *, hashtags="", publish_at=None, post=None, user=None
):
    """Queue a post of `obj` (a Shareable) to `account`: the attempt, sent at
    `publish_at` or now. Call inside the caller's transaction: the task is
    enqueued when it commits."""
    platform = account.platform_obj
    if platform is None or not platform.can_publish:
        raise ValueError(f"{account.platform} cannot publish")
    kind, pk = obj.get_share_key()
    url = obj.get_share_url()
    image = obj.get_share_image()
    site = getattr(account, "settings", None)
    attempt = PublishAttempt.objects.create(
        post=post,
        site=site.site if site is not None else None,
        account=account,
        platform=platform.id,
        account_label=str(account.display_name)[:200],
        object_kind=kind,
        object_id=pk,
        title=str(obj.get_share_title() or "")[:255],
        summary=str(obj.get_share_description() or ""),
        image=image if getattr(image, "pk", None) else None,
        url=url,
        body=text,
        hashtags=hashtags,
        next_try_at=max(publish_at or timezone.now(), timezone.now()),
        created_by=user if getattr(user, "pk", None) else None,
    )
    attempt.link = campaign_link(url, platform.id, attempt.campaign)
    attempt.text = platform.get_publisher().compose(
        text, split_tags(hashtags), attempt.link
    )
    attempt.history = [{"at": timezone.now().isoformat(), "state": attempt.state}]
    attempt.save(update_fields=["link", "text", "history"])
    enqueue(attempt)
    return attempt


def split_tags(hashtags):
    return [tag for tag in (hashtags or "").replace(",", " ").split() if tag]


def queue_page_posts(page, user=None):
    """The attempts of `page`'s "Publish to own media" posts that have none
    yet (a post is sent once, however often its page is published)."""
    if not isinstance(page, Shareable):
        return []
    posts = OwnMediaPost.objects.filter(
        page_id=page.pk, attempt__isnull=True, account__isnull=False
    ).select_related("account__settings__site")
    created = []
    for post in posts:
        if not post.account.can_publish:
            logger.warning("Own-media post %s: its account cannot publish", post.pk)
            continue
        try:
            with transaction.atomic():
                created.append(
                    create_attempt(
                        page,
                        post.account,
                        post.text,
                        hashtags=post.hashtags,
                        publish_at=post.publish_at,
                        post=post,
                        user=user,
                    )
                )
        except IntegrityError:
            # Another process queued it at the same moment.
            continue
    return created


def on_page_published(sender, instance, revision=None, **kwargs):
    """Queue the page's own-media posts; a failure is logged, never raised
    into the publication."""
    try:
        queue_page_posts(instance, user=getattr(revision, "user", None))
    except Exception:
        logger.exception("Own-media posts of page %s were not queued", instance.pk)


def connect_signals():
    """Called by the app's ready()."""
    page_published.connect(on_page_published, dispatch_uid="sharing.publishing")


# Sending.


def enqueue(attempt):
    """Enqueue the task that sends `attempt` once the transaction commits,
    deferred to its `next_try_at` where the task backend can defer. With a
    backend that cannot (the immediate one of development), a post due
    later waits for ``manage.py publish_own_media`` (or the next retry of an
    editor)."""
    task = tasks.publish_post
    if attempt.next_try_at > timezone.now():
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=attempt.next_try_at)
    pk = attempt.pk

    def send():
        try:
            task.enqueue(pk)
        except Exception:
            logger.exception("Own-media post %s could not be enqueued", pk)

    transaction.on_commit(send)


def backoff(tries, retry_after=None):
    """Seconds before the next try after `tries` tries: the retry delay
    doubled each time, at least what a rate limit asked for, at most the
    maximum."""
    delay = app_settings.PUBLISH_RETRY_DELAY * 2 ** max(tries - 1, 0)
    if retry_after:
        delay = max(delay, retry_after)
    return min(delay, max(app_settings.PUBLISH_MAX_RETRY_DELAY, retry_after or 0))


def message_for(attempt):
    return Message(
        text=attempt.text,
        link=attempt.link,
        title=attempt.title,
        summary=attempt.summary,
        image=image_loader(attempt.image),
        key=f"socialsite-{attempt.pk}-{attempt.created_at:%Y%m%d%H%M%S}",
    )


def run(attempt_id, now=None):
    """Send one attempt if it is queued and due: the task's body. Returns
    the attempt (None when there is nothing to do)."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            PublishAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        )
        if (
            attempt is None
            or attempt.state != PublishAttempt.QUEUED
            or attempt.next_try_at > now
        ):
            return None
        attempt.move_to(PublishAttempt.SENDING, tries=attempt.tries + 1)
        attempt.save()
    attempt = PublishAttempt.objects.select_related("account", "image").get(
        pk=attempt_id
    )
    platform = attempt.platform_obj
    try:
        if attempt.account is None or platform is None or not platform.can_publish:
            raise NotConfigured(_("The account or its platform no longer exists."))
        result = platform.publish(attempt.account, message_for(attempt))
    except PublishError as error:
        return failed(attempt_id, error, now)
    except Exception as error:
        # A bug (ours or a third-party publisher's): the post may have gone
        # out, so it is not tried again by itself.
        logger.exception("Own-media post %s: the publisher failed", attempt_id)
        return failed(
            attempt_id,
            PublishError(_("Unexpected error: %(error)s") % {"error": error}),
            now,
        )
    with transaction.atomic():
        attempt = PublishAttempt.objects.select_for_update().get(pk=attempt_id)
        attempt.move_to(
            PublishAttempt.SENT,
            remote_id=result.remote_id,
            remote_url=result.remote_url,
            sent_at=now,
            error="",
            error_code="",
        )
        attempt.save()
    return attempt


def failed(attempt_id, error, now):
    with transaction.atomic():
        attempt = PublishAttempt.objects.select_for_update().get(pk=attempt_id)
        fields = {"error": error.message, "error_code": error.code}
        if error.retryable and attempt.tries < app_settings.PUBLISH_MAX_TRIES:
            delay = backoff(attempt.tries, getattr(error, "retry_after", None))
            attempt.move_to(
                PublishAttempt.QUEUED,
                next_try_at=now + datetime.timedelta(seconds=delay),
                **fields,
            )
            attempt.save()
            enqueue(attempt)
        else:
            attempt.move_to(PublishAttempt.FAILED, **fields)
            attempt.save()
    logger.info("Own-media post %s: %s (%s)", attempt_id, error.message, error.detail)
    return attempt


def retry(attempt):
    """An editor sends a failed or cancelled post again, now."""
    with transaction.atomic():
        attempt = PublishAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.can_retry:
            return attempt
        attempt.move_to(PublishAttempt.QUEUED, next_try_at=timezone.now())
        attempt.save()
        enqueue(attempt)
    return attempt


def cancel(attempt):
    """An editor stops a queued (or failed) post."""
    with transaction.atomic():
        attempt = PublishAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.can_cancel:
            return attempt
        attempt.move_to(PublishAttempt.CANCELLED)
        attempt.save()
    return attempt


def publish_due(now=None):
    """Send every queued post that is due (``manage.py publish_own_media``,
    for task backends that cannot defer, or after a worker was down).
    Returns how many were tried."""
    now = now or timezone.now()
    release_stuck(now)
    due = PublishAttempt.objects.filter(
        state=PublishAttempt.QUEUED, next_try_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:500]):
        if run(pk, now=now) is not None:
            count += 1
    return count


def release_stuck(now=None):
    """Mark "failed" the posts left in "sending" for longer than
    SHARING_PUBLISH_STUCK_AFTER seconds: the process sending them ended
    (a worker killed, a machine restarted) between the call and its answer.
    The platform may or may not have the post, so it is not sent again by
    itself; the editor sees it failed with this reason, checks the account
    and retries or cancels. Returns how many were released."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=app_settings.PUBLISH_STUCK_AFTER)
    released = 0
    stuck = PublishAttempt.objects.filter(
        state=PublishAttempt.SENDING, updated_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(stuck[:500]):
        with transaction.atomic():
            attempt = (
                PublishAttempt.objects.select_for_update()
                .filter(pk=pk, state=PublishAttempt.SENDING, updated_at__lt=cutoff)
                .first()
            )
            if attempt is None:
                continue
            attempt.move_to(
                PublishAttempt.FAILED,
                error=str(
                    _(
                        "Sending was interrupted before the platform answered: "
                        "the post may or may not be on the account. Check it "
                        "there, then retry or cancel."
                    )
                ),
                error_code="interrupted",
            )
            attempt.save()
            released += 1
            logger.warning("Own-media post %s: released from sending", pk)
    return released


# What the posts bring back.


def attempt_id_from_campaign(value):
    prefix = app_settings.PUBLISH_UTM_CAMPAIGN_PREFIX
    value = str(value or "")
    if not prefix or not value.startswith(prefix):
        return None
    digits = value[len(prefix) :]
    if not digits.isdigit() or len(digits) > 18:
        return None
    return int(digits)


def count_visit(request):
    """Add a visit to the own-media post named by the request's
    utm_campaign (share tracking calls it for a share-driven visit it
    counted, so bots and repeats are already left out). A visitor who
    already has a session keeps the post in it, for `record_signup`; no
    session is created for it."""
    pk = attempt_id_from_campaign(request.GET.get("utm_campaign"))
    if pk is None:
        return False
    platform = request.GET.get("utm_source", "")
    counted = PublishAttempt.objects.filter(pk=pk, platform=platform).update(
        visits=F("visits") + 1
    )
    session = getattr(request, "session", None)
    if counted and session is not None and session.session_key:
        session[SESSION_KEY] = pk
    return bool(counted)


def remember_campaign(request):
    """Keep in the session the own-media post a visitor about to sign up
    came from (the query string, else the page they came from): call it
    from the sign-up page."""
    pk = campaign_from_request(request)
    if pk is not None and getattr(request, "session", None) is not None:
        request.session[SESSION_KEY] = pk
    return pk


def campaign_from_request(request):
    pk = attempt_id_from_campaign(request.GET.get("utm_campaign"))
    if pk is None:
        referer = request.headers.get("Referer", "")[:2000]
        query = dict(parse_qsl(urlsplit(referer).query))
        pk = attempt_id_from_campaign(query.get("utm_campaign"))
    return pk


def record_signup(request):
    """Count a sign-up for the own-media post the visitor came from (the
    session, kept by `count_visit` or `remember_campaign`, else the request
    and its referrer). Another app's sign-up code calls it (`sharing` never
    imports it); returns the post's id, or None."""
    session = getattr(request, "session", None)
    pk = session.pop(SESSION_KEY, None) if session is not None else None
    if not isinstance(pk, int):
        pk = campaign_from_request(request)
    if pk is None:
        return None
    counted = PublishAttempt.objects.filter(pk=pk).update(signups=F("signups") + 1)
    return pk if counted else None
