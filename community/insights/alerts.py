"""Listening alerts: rules per keyword group (a spike of mentions, a surge of
negative ones, a mention by a listed or far-reaching account), sent by e-mail
and by a signed webhook, at most once per window per rule, with the mentions
that raised them. :func:`evaluate` runs after every fetch and import and
periodically (``manage.py listen``)."""

import datetime
import hashlib
import hmac
import json
import logging

import requests
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.insights import app_settings
from community.insights.models import Alert, AlertRule, Mention
from community.insights.sources import network

logger = logging.getLogger(__name__)

MAX_MENTIONS = 50
SIGNATURE_HEADER = "X-Socialsite-Signature"


def sign(secret, body):
    """The signature header value of a webhook body: ``sha256=<hex>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def handles_of(rule):
    """The rule's accounts, compared without case and leading "@"."""
    return {
        line.strip().lstrip("@").casefold()
        for line in rule.handles.splitlines()
        if line.strip().lstrip("@")
    }


def check(rule, now):
    """(count, baseline per hour, mentions) when `rule` fires at `now`, else
    None."""
    start = now - datetime.timedelta(minutes=rule.window)
    mentions = Mention.objects.filter(
        group_id=rule.group_id, created_at__gt=start, created_at__lte=now
    )
    if rule.kind == AlertRule.Kind.ACCOUNT:
        handles = handles_of(rule)
        if not handles and rule.min_reach is None:
            return None
        wanted = Q(pk__in=[])
        if handles:
            wanted |= ~Q(author="")
        if rule.min_reach is not None:
            wanted |= Q(reach__gte=rule.min_reach)
        found = [
            mention
            for mention in mentions.filter(wanted)
            .exclude(alerts__rule=rule)
            .order_by("-created_at")[:1000]
            if mention.author.lstrip("@").casefold() in handles
            or (rule.min_reach is not None and (mention.reach or 0) >= rule.min_reach)
        ]
        return (len(found), None, found[:MAX_MENTIONS]) if found else None
    if rule.kind == AlertRule.Kind.NEGATIVE:
        mentions = mentions.filter(sentiment=Mention.Sentiment.NEGATIVE)
    count = mentions.count()
    if count < rule.min_count:
        return None
    baseline_start = start - datetime.timedelta(hours=rule.baseline_hours)
    before = Mention.objects.filter(
        group_id=rule.group_id, created_at__gt=baseline_start, created_at__lte=start
    )
    if rule.kind == AlertRule.Kind.NEGATIVE:
        before = before.filter(sentiment=Mention.Sentiment.NEGATIVE)
    before = before.count()
    baseline = before / rule.baseline_hours
    per_hour = count / (rule.window / 60)
    if per_hour <= float(rule.ratio) * baseline:
        return None
    return count, baseline, list(mentions.order_by("-created_at")[:MAX_MENTIONS])


def summary(rule, count, baseline):
    if rule.kind == AlertRule.Kind.ACCOUNT:
        return _("%(group)s: %(count)s mention(s) by watched accounts") % {
            "group": rule.group.name,
            "count": count,
        }
    if rule.kind == AlertRule.Kind.NEGATIVE:
        text = _(
            "%(group)s: %(count)s negative mentions in %(window)s min "
            "(usually %(baseline).1f per hour)"
        )
    else:
        text = _(
            "%(group)s: %(count)s mentions in %(window)s min "
            "(usually %(baseline).1f per hour)"
        )
    return text % {
        "group": rule.group.name,
        "count": count,
        "window": rule.window,
        "baseline": baseline or 0,
    }


def evaluate(now=None):
    """Check every active rule at `now`; returns the alerts sent."""
    now = now or timezone.now()
    sent = []
    rules = AlertRule.objects.filter(active=True, group__active=True).select_related(
        "group"
    )
    for rule in rules:
        if rule.last_alert_at and now - rule.last_alert_at < datetime.timedelta(
            minutes=rule.window
        ):
            continue
        found = check(rule, now)
        if found is None:
            continue
        count, baseline, mentions = found
        with transaction.atomic():
            # Claim the window: another worker evaluating at once sends nothing.
            claimed = AlertRule.objects.filter(
                pk=rule.pk, last_alert_at=rule.last_alert_at
            ).update(last_alert_at=now)
            if not claimed:
                continue
            alert = Alert.objects.create(
                rule=rule,
                created_at=now,
                summary=summary(rule, count, baseline)[:300],
                count=count,
                baseline=baseline,
            )
            alert.mentions.set(mentions)
        deliver(alert, mentions)
        sent.append(alert)
    return sent


def payload(alert, mentions):
    rule = alert.rule
    return {
        "alert": alert.pk,
        "rule": rule.name,
        "kind": rule.kind,
        "keyword_group": rule.group.name,
        "created_at": alert.created_at.isoformat(),
        "summary": alert.summary,
        "count": alert.count,
        "baseline_per_hour": alert.baseline,
        "mentions": [
            {
                "created_at": mention.created_at.isoformat(),
                "sentiment": mention.sentiment,
                "author": mention.author,
                "url": mention.url,
                "reach": mention.reach,
                "language": mention.language,
                "excerpt": mention.excerpt,
            }
            for mention in mentions
        ],
    }


def deliver(alert, mentions):
    """Send `alert` by e-mail and webhook; each outcome is recorded on it,
    a failure of one does not stop the other."""
    rule = alert.rule
    recipients = [u.email for u in rule.recipients.filter(is_active=True) if u.email]
    if recipients:
        lines = [alert.summary, ""]
        for mention in mentions:
            lines.append(
                f"- {mention.created_at:%Y-%m-%d %H:%M} {mention.author} "
                f"[{mention.get_sentiment_display()}] {mention.excerpt}"
            )
            if mention.url:
                lines.append(f"  {mention.url}")
        try:
            send_mail(
                (_("Listening alert: %(summary)s") % {"summary": alert.summary})[:200],
                "\n".join(lines),
                None,
                recipients,
            )
            alert.email_status = _("Sent to %(count)s") % {"count": len(recipients)}
        except Exception as error:
            logger.exception("Alert %s: the e-mail failed", alert.pk)
            alert.email_status = _("Failed (%(error)s)") % {
                "error": type(error).__name__
            }
    if rule.webhook_url:
        body = json.dumps(payload(alert, mentions), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if rule.webhook_secret:
            headers[SIGNATURE_HEADER] = sign(rule.webhook_secret, body)
        try:
            response = network.session().post(
                rule.webhook_url,
                data=body,
                headers=headers,
                timeout=app_settings.ALERT_TIMEOUT,
                allow_redirects=False,
            )
            alert.webhook_status = f"HTTP {response.status_code}"
        except network.AddressRefused as error:
            alert.webhook_status = (_("Refused: %(reason)s") % {"reason": error})[:200]
        except requests.RequestException as error:
            alert.webhook_status = _("Failed (%(error)s)") % {
                "error": type(error).__name__
            }
    alert.save(update_fields=["email_status", "webhook_status"])
