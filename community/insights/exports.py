"""CSV and XLSX exports of the insights reports: one wide table per report
(a row per day or week, a column per number)."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Keep spreadsheets from running visitor text as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
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
    headings = ["period", *(entry.group.name for entry in report.groups)]
    rows = [
        [slot.isoformat(), *(entry.values[index] for entry in report.groups)]
        for index, slot in enumerate(report.buckets)
    ]
    return headings, rows


def respond(fmt, filename, headings, rows):
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([str(h) for h in headings])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(h) for h in headings])
        writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
