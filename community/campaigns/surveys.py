"""Surveys as plain functions: the questions of a page's survey, reading and
checking a response, saving it once per member or browser, and the results
(counts per question, CSV and XLSX exports).

Answers are stored as JSON by question key: a string (single choice, free
text), a list of strings (multiple choice) or a number (rating, NPS). A
question shown only on an earlier answer is neither required nor kept when
that answer was not given."""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook  # Wagtail's own dependency (its list exports)

from community import ratelimit
from community.campaigns import app_settings
from community.campaigns.models import SurveyResponse
from community.campaigns.services import Refused

BROWSER_COOKIE = "campaigns_survey"
BROWSER_SALT = "community.campaigns.survey"
CHOICE_KINDS = ("single_choice", "multiple_choice")


@dataclass
class Question:
    kind: str
    key: str
    text: str
    help_text: str = ""
    required: bool = True
    choices: list = field(default_factory=list)
    scale: int = 0
    low_label: str = ""
    high_label: str = ""
    max_length: int = 1000
    show_if_key: str = ""
    show_if_answer: str = ""
    step: int = 0

    @property
    def field_name(self):
        return f"q_{self.key}"

    @property
    def options(self):
        """The values a rating or NPS answer may take."""
        if self.kind == "nps":
            return list(range(0, 11))
        if self.kind == "rating":
            return list(range(1, self.scale + 1))
        return []


def questions(page):
    """The page's survey questions in order, each with its step number
    (page breaks start a new step)."""
    result, step = [], 0
    for block in page.survey:
        if block.block_type == "page_break":
            if result and result[-1].step == step:
                step += 1
            continue
        value = block.value
        question = Question(
            kind=block.block_type,
            key=value["key"],
            text=value["question"],
            help_text=value.get("help_text") or "",
            required=bool(value.get("required")),
            show_if_key=value.get("show_if_key") or "",
            show_if_answer=value.get("show_if_answer") or "",
            step=step,
        )
        if block.block_type in CHOICE_KINDS:
            question.choices = [c.strip() for c in value["choices"] if c.strip()]
        if block.block_type == "rating":
            question.scale = value.get("scale") or 5
            question.low_label = value.get("low_label") or ""
            question.high_label = value.get("high_label") or ""
        if block.block_type == "free_text":
            question.max_length = value.get("max_length") or 1000
        result.append(question)
    return result


def steps(page):
    """[[Question]] per step."""
    grouped = {}
    for question in questions(page):
        grouped.setdefault(question.step, []).append(question)
    return [grouped[key] for key in sorted(grouped)]


def _matches(answer, expected):
    if answer is None or answer == "":
        return False
    if isinstance(answer, list):
        return expected in answer
    return str(answer) == expected


def _clean_text(value):
    return "".join(ch for ch in value if ch == "\n" or ch == "\t" or ch >= " ").strip()


def parse(page, data):
    """(answers, errors) from submitted form `data` (a QueryDict): answers by
    key; errors by key, in the active language."""
    answers, errors = {}, {}
    for question in questions(page):
        if question.show_if_key and not _matches(
            answers.get(question.show_if_key), question.show_if_answer
        ):
            continue
        name = question.field_name
        value = None
        if question.kind == "multiple_choice":
            picked = [v for v in data.getlist(name) if v in question.choices]
            if len(picked) != len(data.getlist(name)):
                errors[question.key] = _("Choose among the choices given.")
                continue
            value = [c for c in question.choices if c in picked] or None
        elif question.kind == "single_choice":
            raw = data.get(name, "")
            if raw and raw not in question.choices:
                errors[question.key] = _("Choose one of the choices given.")
                continue
            value = raw or None
        elif question.kind in ("rating", "nps"):
            raw = data.get(name, "").strip()
            if raw:
                if (
                    not (raw.isascii() and raw.isdigit() and len(raw) <= 2)
                    or int(raw) not in question.options
                ):
                    errors[question.key] = _("Choose a number on the scale.")
                    continue
                value = int(raw)
        else:
            raw = _clean_text(data.get(name, ""))
            if len(raw) > question.max_length:
                errors[question.key] = _("Write at most %(count)s characters.") % {
                    "count": question.max_length
                }
                continue
            value = raw or None
        if value is None:
            if question.required:
                errors[question.key] = _("This question needs an answer.")
            continue
        answers[question.key] = value
    return answers, errors


def browser_key(request):
    """The anonymous browser's key from its signed cookie, or None."""
    raw = request.COOKIES.get(BROWSER_COOKIE, "")
    try:
        return signing.loads(raw, salt=BROWSER_SALT) if raw else None
    except signing.BadSignature:
        return None


def new_browser_key():
    key = uuid.uuid4().hex
    return key, signing.dumps(key, salt=BROWSER_SALT)


def already_answered(page, request):
    user = request.user
    if user.is_authenticated:
        return SurveyResponse.objects.filter(page_id=page.pk, user=user).exists()
    key = browser_key(request)
    return (
        bool(key)
        and SurveyResponse.objects.filter(page_id=page.pk, browser=key).exists()
    )


def respond(page, request, answers, *, browser=None):
    """Save one response; Refused when this member or browser answered
    already, or is over the rate limit."""
    if not ratelimit.consume(request, "survey_response", app_settings.RATE_LIMITS):
        raise Refused(_("Too many responses from here. Try again later."), 429)
    user = request.user if request.user.is_authenticated else None
    profile = getattr(user, "community_profile", None) if user else None
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                page_id=page.pk,
                user=user,
                browser="" if user else (browser or ""),
                answers=answers,
                region=(profile.region if profile else "")[:80],
            )
    except IntegrityError:
        raise Refused(
            _("You have already answered this survey. Thank you!"), 409
        ) from None


# Results


def results(page, responses=None):
    """[{"question", "answered", "rows": [(label, count, percent)], "average",
    "texts"}] per question."""
    if responses is None:
        responses = SurveyResponse.objects.filter(page_id=page.pk)
    answers = list(responses.values_list("answers", flat=True))
    report = []
    for question in questions(page):
        given = [
            a[question.key]
            for a in answers
            if a.get(question.key) not in (None, "", [])
        ]
        item = {"question": question, "answered": len(given), "rows": [], "texts": []}
        if question.kind in CHOICE_KINDS:
            counts = dict.fromkeys(question.choices, 0)
            for value in given:
                for choice in value if isinstance(value, list) else [value]:
                    if choice in counts:
                        counts[choice] += 1
            item["rows"] = [
                (label, n, round(100 * n / len(given)) if given else 0)
                for label, n in counts.items()
            ]
        elif question.kind in ("rating", "nps"):
            numbers = [v for v in given if isinstance(v, int)]
            counts = dict.fromkeys(question.options, 0)
            for value in numbers:
                if value in counts:
                    counts[value] += 1
            item["rows"] = [
                (str(label), n, round(100 * n / len(numbers)) if numbers else 0)
                for label, n in counts.items()
            ]
            item["average"] = round(sum(numbers) / len(numbers), 2) if numbers else None
            if question.kind == "nps" and numbers:
                promoters = sum(1 for v in numbers if v >= 9)
                detractors = sum(1 for v in numbers if v <= 6)
                item["nps"] = round(100 * (promoters - detractors) / len(numbers))
        else:
            item["texts"] = [str(v) for v in given[-50:]][::-1]
        report.append(item)
    return report


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(page):
    """The header and one row per response (date, region, answers by key)."""
    keys = [q.key for q in questions(page)]
    yield ["answered_at", "region", *keys]
    for response in (
        SurveyResponse.objects.filter(page_id=page.pk)
        .order_by("created_at", "pk")
        .iterator()
    ):
        yield [
            response.created_at.isoformat(),
            _cell(response.region),
            *[_cell(response.answers.get(key)) for key in keys],
        ]


def export_csv(page):
    out = io.StringIO()
    csv.writer(out).writerows(export_rows(page))
    return out.getvalue()


def export_xlsx(page):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in export_rows(page):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
