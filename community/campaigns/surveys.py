"""Surveys as plain functions: the questions of a page's survey, reading and
checking a response, saving it once per member or browser, and the results
(counts per question, CSV and XLSX exports).

Answers are stored as JSON by question key: a string (single choice, free
text), a list of strings (multiple choice), a number (rating, NPS) or an
object {row: point of the scale} (matrix). A question shown only on an
earlier answer is neither required nor kept when that answer was not given.

Results are read for a segment of the responses (the member's region and
interests when they answered, a date range, words in the free-text answers),
with the cross-tabulation of two questions and, when the insights app is
installed, the free-text answers counted by its listening keyword groups."""

import csv
import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook  # Wagtail's own dependency (its list exports)

from community import ratelimit
from community.campaigns import app_settings
from community.campaigns.models import SurveyResponse
from community.campaigns.services import Refused

BROWSER_COOKIE = "campaigns_survey"
BROWSER_SALT = "community.campaigns.survey"
CHOICE_KINDS = ("single_choice", "multiple_choice")
SCALE_KINDS = ("rating", "nps")
#: The questions a cross-tabulation can take (one answer among a few).
CROSSTAB_KINDS = ("single_choice", "multiple_choice", "rating", "nps")


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
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)

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

    def row_field_name(self, index):
        """A matrix row's form field."""
        return f"{self.field_name}__{index}"

    @property
    def matrix_rows(self):
        """[(index, row, field name)] of a matrix question."""
        return [(n, row, self.row_field_name(n)) for n, row in enumerate(self.rows)]

    @property
    def labels(self):
        """The answers a cross-tabulation counts, in order."""
        if self.kind in CHOICE_KINDS:
            return list(self.choices)
        return [str(option) for option in self.options]


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
        if block.block_type == "matrix":
            question.rows = _unique(value.get("rows") or [])
            question.columns = _unique(value.get("columns") or [])
        result.append(question)
    return result


def _unique(items):
    result = []
    for item in items:
        item = str(item).strip()
        if item and item not in result:
            result.append(item)
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
    if isinstance(answer, dict):
        # A matrix: "row: point" names one row's answer.
        return expected in {f"{row}: {point}" for row, point in answer.items()}
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
        elif question.kind == "matrix":
            value, bad = {}, False
            for _index, row, row_name in question.matrix_rows:
                raw = data.get(row_name, "")
                if raw and raw not in question.columns:
                    bad = True
                elif raw:
                    value[row] = raw
            if bad:
                errors[question.key] = _("Choose a point of the scale for each row.")
                continue
            if question.required and value and len(value) < len(question.rows):
                errors[question.key] = _("Answer every row.")
                continue
            value = value or None
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
    interests = sorted(profile.interests.names())[:50] if profile else []
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                page_id=page.pk,
                user=user,
                browser="" if user else (browser or ""),
                answers=answers,
                region=(profile.region if profile else "")[:80],
                interests=[name[:100] for name in interests],
            )
    except IntegrityError:
        raise Refused(
            _("You have already answered this survey. Thank you!"), 409
        ) from None


# Results


@dataclass
class Segment:
    """Which responses a result counts: by the region and an interest the
    member had when answering, a date range (days of the site's time zone,
    both included) and words in the free-text answers."""

    region: str = ""
    interest: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    search: str = ""

    def __bool__(self):
        return bool(
            self.region or self.interest or self.since or self.until or self.search
        )


def _day_start(day):
    return datetime.datetime.combine(
        day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def segment_responses(page, segment=None):
    """[{"pk", "created_at", "region", "interests", "answers"}] of the page's
    responses in `segment` (all without one), oldest first."""
    segment = segment or Segment()
    rows = SurveyResponse.objects.filter(page_id=page.pk)
    if segment.region:
        rows = rows.filter(region__iexact=segment.region)
    if segment.since:
        rows = rows.filter(created_at__gte=_day_start(segment.since))
    if segment.until:
        rows = rows.filter(
            created_at__lt=_day_start(segment.until + datetime.timedelta(days=1))
        )
    rows = list(
        rows.order_by("created_at", "pk").values(
            "pk", "created_at", "region", "interests", "answers"
        )
    )
    if segment.interest:
        wanted = segment.interest.casefold()
        rows = [
            row
            for row in rows
            if wanted in {str(name).casefold() for name in row["interests"] or []}
        ]
    if segment.search:
        keys = [q.key for q in questions(page) if q.kind == "free_text"]
        needle = segment.search.casefold()
        rows = [
            row
            for row in rows
            if any(
                needle in str(row["answers"].get(key) or "").casefold() for key in keys
            )
        ]
    return rows


def segment_choices(page):
    """(regions, interests) the page's responses name, for the filters."""
    regions, interests = set(), set()
    for region, names in SurveyResponse.objects.filter(page_id=page.pk).values_list(
        "region", "interests"
    ):
        if region:
            regions.add(region)
        interests.update(str(name) for name in names or [])
    return sorted(regions, key=str.casefold), sorted(interests, key=str.casefold)


def _given(answers, key):
    return [a[key] for a in answers if a.get(key) not in (None, "", [], {})]


def _percent(count, total):
    return round(100 * count / total) if total else 0


def results(page, responses=None):
    """[{"question", "answered", "rows": [(label, count, percent)], "average",
    "matrix", "texts"}] per question, for `responses` (a queryset of
    SurveyResponse, or rows of `segment_responses`; default: all)."""
    if responses is None:
        responses = SurveyResponse.objects.filter(page_id=page.pk)
    if hasattr(responses, "values_list"):
        answers = list(responses.values_list("answers", flat=True))
    else:
        answers = [row["answers"] for row in responses]
    report = []
    for question in questions(page):
        given = _given(answers, question.key)
        item = {
            "question": question,
            "answered": len(given),
            "rows": [],
            "texts": [],
            "matrix": [],
        }
        if question.kind in CHOICE_KINDS:
            counts = dict.fromkeys(question.choices, 0)
            for value in given:
                for choice in value if isinstance(value, list) else [value]:
                    if choice in counts:
                        counts[choice] += 1
            item["rows"] = [
                (label, n, _percent(n, len(given))) for label, n in counts.items()
            ]
        elif question.kind in SCALE_KINDS:
            numbers = [v for v in given if isinstance(v, int)]
            counts = dict.fromkeys(question.options, 0)
            for value in numbers:
                if value in counts:
                    counts[value] += 1
            item["rows"] = [
                (str(label), n, _percent(n, len(numbers)))
                for label, n in counts.items()
            ]
            item["average"] = round(sum(numbers) / len(numbers), 2) if numbers else None
            if question.kind == "nps" and numbers:
                promoters = sum(1 for v in numbers if v >= 9)
                detractors = sum(1 for v in numbers if v <= 6)
                item["nps"] = round(100 * (promoters - detractors) / len(numbers))
        elif question.kind == "matrix":
            for row in question.rows:
                picked = [v[row] for v in given if isinstance(v, dict) and row in v]
                item["matrix"].append(
                    (
                        row,
                        [
                            (column, n, _percent(n, len(picked)))
                            for column in question.columns
                            for n in [picked.count(column)]
                        ],
                        len(picked),
                    )
                )
        else:
            item["texts"] = [str(v) for v in given[-50:]][::-1]
        report.append(item)
    return report


def _labels_of(question, value):
    """The answer labels a cross-tabulation counts for one answer."""
    if value in (None, "", []):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def crosstab(page, row_key, column_key, responses=None):
    """The answers to question `row_key` against those to `column_key`:
    {"row", "column", "cells": [(row label, [counts], total)],
    "totals": [counts]}; None when a key names no question that can be
    crossed. A multiple-choice answer counts once per choice."""
    by_key = {q.key: q for q in questions(page) if q.kind in CROSSTAB_KINDS}
    row_q, column_q = by_key.get(row_key), by_key.get(column_key)
    if row_q is None or column_q is None or row_key == column_key:
        return None
    if responses is None:
        responses = segment_responses(page)
    row_labels, column_labels = row_q.labels, column_q.labels
    counts = {label: dict.fromkeys(column_labels, 0) for label in row_labels}
    for response in responses:
        answers = response["answers"]
        columns = [
            c
            for c in _labels_of(column_q, answers.get(column_key))
            if c in column_labels
        ]
        for row in _labels_of(row_q, answers.get(row_key)):
            if row in counts:
                for column in columns:
                    counts[row][column] += 1
    cells = [
        (label, [counts[label][c] for c in column_labels], sum(counts[label].values()))
        for label in row_labels
    ]
    totals = [sum(counts[label][c] for label in row_labels) for c in column_labels]
    return {
        "row": row_q,
        "column": column_q,
        "columns": column_labels,
        "cells": cells,
        "totals": totals,
    }


def keyword_groups():
    """The insights app's active listening keyword groups, or [] when that
    app is not installed (campaigns do not need it)."""
    if not apps.is_installed("community.insights"):
        return []
    group_model = apps.get_model("community_insights", "KeywordGroup")
    return list(group_model.objects.filter(active=True))


def keyword_counts(page, responses, groups=None):
    """{question key: [(group, count)]} of the free-text answers among
    `responses` that name each keyword group (most named first, groups named
    by none left out)."""
    groups = keyword_groups() if groups is None else groups
    patterns = [(group, group.pattern()) for group in groups]
    patterns = [(group, pattern) for group, pattern in patterns if pattern]
    result = {}
    for question in questions(page):
        if question.kind != "free_text" or not patterns:
            continue
        texts = [
            strip_tags(str(row["answers"].get(question.key) or "")) for row in responses
        ]
        counted = [
            (group, sum(1 for text in texts if text and pattern.search(text)))
            for group, pattern in patterns
        ]
        result[question.key] = sorted(
            [(group, n) for group, n in counted if n], key=lambda item: -item[1]
        )
    return result


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(page, segment=None):
    """The header and one row per response of `segment` (date, region,
    interests, answers by key; a matrix question has one column per row)."""
    columns = []
    for question in questions(page):
        if question.kind == "matrix":
            columns.extend(
                (f"{question.key}[{row}]", question.key, row) for row in question.rows
            )
        else:
            columns.append((question.key, question.key, None))
    yield ["answered_at", "region", "interests", *[_cell(c[0]) for c in columns]]
    for response in segment_responses(page, segment):
        answers = response["answers"]
        values = []
        for _header, key, row in columns:
            value = answers.get(key)
            if row is not None:
                value = value.get(row) if isinstance(value, dict) else None
            values.append(_cell(value))
        yield [
            response["created_at"].isoformat(),
            _cell(response["region"]),
            _cell(list(response["interests"] or [])),
            *values,
        ]


def export_csv(page, segment=None):
    out = io.StringIO()
    csv.writer(out).writerows(export_rows(page, segment))
    return out.getvalue()


def export_xlsx(page, segment=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in export_rows(page, segment):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
