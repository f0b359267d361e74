"""CSV and XLSX exports of the insights reports: one wide table per report
(a row per day or week, a column per number)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value):
    """Keep spreadsheets from running visitor text as a formula (also after
    leading spaces, and with full-width signs), and drop the control
    characters an XLSX file cannot hold."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def engagement_table(report):
    headings = ["period"]
    columns = []
    for metric in report.metrics:
        headings.append(metric.label)
        columns.append(metric.values)
        for key in metric.keys:
            headings.append(f"{metric.label}: {key.label}")
            columns.append(key.values)
    rows = [
        [slot.isoformat(), *(column[index] for column in columns)]
        for index, slot in enumerate(report.buckets)
    ]
    return headings, rows


def listening_table(report):
    """A row per day or week: the mentions of each keyword group, of each
    sentiment and from each source (the report's filters apply)."""
    columns = [
        *((entry.group.name, entry.values) for entry in report.groups),
        *((f"sentiment: {line.id}", line.values) for line in report.sentiments),
        *((f"source: {line.label}", line.values) for line in report.sources),
    ]
    headings = ["period", *(heading for heading, _values in columns)]
    rows = [
        [slot.isoformat(), *(values[index] for _heading, values in columns)]
        for index, slot in enumerate(report.buckets)
    ]
    return headings, rows


def mentions_table(mentions):
    """A row per mention: when, group, source, language, sentiment, author,
    reach, link and excerpt."""
    headings = [
        "date",
        "keyword group",
        "source",
        "language",
        "sentiment",
        "author",
        "reach",
        "url",
        "excerpt",
    ]
    rows = [
        [
            timezone.localtime(mention.created_at).isoformat(timespec="seconds"),
            mention.group.name,
            mention.source_label,
            mention.language,
            mention.sentiment,
            mention.author,
            mention.reach if mention.reach is not None else "",
            mention.external_url or mention.item_url,
            mention.excerpt,
        ]
        for mention in mentions
    ]
    return headings, rows


def respond(fmt, filename, headings, rows):
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([safe_cell(str(h)) for h in headings])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(str(h)) for h in headings])
        writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
