"""Imports of the exports of commercial monitoring tools (CSV or JSON) into a
listening source: the file is read (size limit; UTF-8, UTF-8 with a BOM or
GB18030), its columns are mapped to the mention fields by an editor, then
each row is checked on its own — a row with a NUL byte, a field too large,
an unreadable date or count is refused with its line number and reason; the
others are stored like fetched items (duplicates once)."""

import csv
import io
import json
import logging
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.insights import app_settings
from community.insights.ingest import store_items
from community.insights.models import ImportJob
from community.insights.sources.base import Item, as_int, parse_datetime

logger = logging.getLogger(__name__)

MAX_FIELD = 50_000
# Rows stored between two progress updates of a background import.
CHUNK = 200
# Refused rows kept (with their line and reason) on a background import.
MAX_JOB_ERRORS = 1000
MAX_COLUMNS = 200
ENCODINGS = ("utf-8-sig", "gb18030")

# The fields a column can be mapped to, with the column names that map to
# them by default (compared in lower case).
TARGETS = {
    "text": (
        gettext_lazy("Text"),
        ("text", "content", "body", "message", "snippet", "正文", "内容", "全文"),
    ),
    "url": (gettext_lazy("URL"), ("url", "link", "permalink", "链接", "原文链接")),
    "title": (gettext_lazy("Title"), ("title", "headline", "标题")),
    "author_handle": (
        gettext_lazy("Author handle"),
        ("author_handle", "handle", "screen_name", "username", "账号"),
    ),
    "author_name": (
        gettext_lazy("Author name"),
        ("author_name", "author", "name", "作者", "昵称"),
    ),
    "published_at": (
        gettext_lazy("Date"),
        ("published_at", "date", "published", "created_at", "time", "发布时间", "时间"),
    ),
    "language": (gettext_lazy("Language"), ("language", "lang", "语言")),
    "reach": (
        gettext_lazy("Reach"),
        ("reach", "followers", "audience", "impressions", "粉丝数", "影响力"),
    ),
}


class ImportProblem(ValueError):
    """The whole file cannot be imported; the message says why."""


@dataclass
class Table:
    columns: list
    rows: list  # one dict per row
    lines: list  # the line (or item) number of each row, for messages


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    mentions: int = 0
    errors: list = field(default_factory=list)  # (line, message)


def decode(data):
    """`data` (bytes) as text, trying UTF-8 (with or without BOM) then
    GB18030."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportProblem(_("The file is neither UTF-8 nor GB18030 text."))


def read(data, name=""):
    """A :class:`Table` from the bytes of a CSV or JSON export."""
    if len(data) > app_settings.IMPORT_MAX_BYTES:
        raise ImportProblem(
            _("The file is larger than %(size)s MB.")
            % {"size": app_settings.IMPORT_MAX_BYTES // (1024 * 1024) or 1}
        )
    text = decode(data)
    if not text.strip():
        raise ImportProblem(_("The file is empty."))
    if name.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return read_json(text)
    return read_csv(text)


def read_csv(text):
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportProblem(_("The file has no header row.")) from error
    columns = [name.replace("\x00", "").strip()[:100] for name in header]
    if len(columns) > MAX_COLUMNS or not any(columns):
        raise ImportProblem(_("The header row is not a list of column names."))
    rows, lines = [], []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportProblem(
                _("Line %(line)s cannot be read: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= app_settings.IMPORT_MAX_ROWS:
            raise ImportProblem(
                _("The file has more than %(rows)s rows.")
                % {"rows": app_settings.IMPORT_MAX_ROWS}
            )
        rows.append(dict(zip(columns, values, strict=False)))
        lines.append(reader.line_num)
    return Table(columns=[c for c in columns if c], rows=rows, lines=lines)


def flatten(value, prefix=""):
    """A JSON object as one level of "a.b" keys."""
    flat = {}
    for key, inner in value.items():
        name = f"{prefix}{key}"[:100]
        if isinstance(inner, dict) and not prefix:
            flat.update(flatten(inner, f"{name}."))
        elif isinstance(inner, (dict, list)):
            continue
        else:
            flat[name] = "" if inner is None else str(inner)
    return flat


def read_json(text):
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ImportProblem(_("The file is not valid JSON.")) from error
    if isinstance(data, dict):
        for key in ("items", "data", "results", "mentions", "posts"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise ImportProblem(_("The JSON file holds no list of items."))
    if len(data) > app_settings.IMPORT_MAX_ROWS:
        raise ImportProblem(
            _("The file has more than %(rows)s rows.")
            % {"rows": app_settings.IMPORT_MAX_ROWS}
        )
    rows, lines, columns = [], [], {}
    for number, value in enumerate(data, start=1):
        row = flatten(value) if isinstance(value, dict) else None
        rows.append(row)
        lines.append(number)
        for key in row or ():
            if len(columns) < MAX_COLUMNS:
                columns.setdefault(key, None)
    return Table(columns=list(columns), rows=rows, lines=lines)


def guess_mapping(columns):
    """{target field: column} from the columns' names."""
    mapping = {}
    lowered = {column.lower().strip(): column for column in columns}
    for target, (_label, names) in TARGETS.items():
        for name in names:
            if name in lowered and lowered[name] not in mapping.values():
                mapping[target] = lowered[name]
                break
    return mapping


def item_from_mapping(row, mapping):
    """(an :class:`Item`, None) for one row under `mapping` ({target field:
    column}), or (None, the reason it is refused)."""
    values = {}
    for target, column in mapping.items():
        if not column or target not in TARGETS:
            continue
        value = row.get(column, "")
        value = "" if value is None else str(value)
        if "\x00" in value:
            return None, _("The column %(column)s holds a NUL byte.") % {
                "column": column
            }
        if len(value) > MAX_FIELD:
            return None, _(
                "The column %(column)s is longer than %(size)s characters."
            ) % {"column": column, "size": MAX_FIELD}
        values[target] = value.strip()
    if not values.get("text") and not values.get("title"):
        return None, _("No text.")
    published = None
    if values.get("published_at"):
        published = parse_datetime(values["published_at"])
        if published is None:
            return None, _("The date %(value)s cannot be read.") % {
                "value": values["published_at"][:40]
            }
    reach = None
    if values.get("reach"):
        reach = as_int(values["reach"].replace(",", ""))
        if reach is None:
            return None, _("The reach %(value)s is not a whole number.") % {
                "value": values["reach"][:40]
            }
    return (
        Item(
            text=values.get("text", ""),
            title=values.get("title", ""),
            url=values.get("url", ""),
            author_handle=values.get("author_handle", ""),
            author_name=values.get("author_name", ""),
            published_at=published,
            language=values.get("language", ""),
            reach=reach,
        ),
        None,
    )


def run(source, table, mapping, *, progress=None):
    """Import `table` into `source` under `mapping`, CHUNK rows at a time;
    `progress(rows done, result so far)` is called after each chunk."""
    if not mapping.get("text") and not mapping.get("title"):
        raise ImportProblem(_("Choose the column that holds the text."))
    result = ImportResult()
    rows = list(zip(table.rows, table.lines, strict=True))
    for start in range(0, len(rows), CHUNK):
        items = []
        for row, line in rows[start : start + CHUNK]:
            if row is None:
                result.errors.append((line, _("The item is not an object.")))
                continue
            item, problem = item_from_mapping(row, mapping)
            if problem:
                result.errors.append((line, problem))
            else:
                items.append(item)
        stored = store_items(source, items)
        result.created += stored.created
        result.duplicates += stored.duplicates
        result.mentions += stored.mentions
        if progress is not None:
            progress(min(start + CHUNK, len(rows)), result)
    return result


def start_job(source, name, file_name, mapping, user=None):
    """An :class:`~community.insights.models.ImportJob` for the uploaded file
    stored as `name`, to be run by the background task."""
    return ImportJob.objects.create(
        source=source,
        user=user if user is not None and user.is_authenticated else None,
        file=name,
        file_name=file_name[:100],
        mapping=mapping,
    )


def run_job(job):
    """Run an import job, saving its progress after every chunk so that the
    admin's progress page follows it; its file is deleted at the end."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    job.status = ImportJob.Status.RUNNING

    def progress(done, result):
        job.done = done
        job.created = result.created
        job.duplicates = result.duplicates
        job.mentions = result.mentions
        job.refused = len(result.errors)
        job.errors = [[line, str(reason)] for line, reason in result.errors][
            :MAX_JOB_ERRORS
        ]
        job.save(
            update_fields=[
                "done",
                "created",
                "duplicates",
                "mentions",
                "refused",
                "errors",
            ]
        )

    try:
        with default_storage.open(job.file, "rb") as handle:
            data = handle.read()
        table = read(data, job.file_name)
        job.total = len(table.rows)
        job.save(update_fields=["total"])
        run(job.source, table, job.mapping, progress=progress)
        job.status = ImportJob.Status.DONE
    except ImportProblem as error:
        job.status = ImportJob.Status.FAILED
        job.message = str(error)[:500]
    except Exception as error:  # storage trouble, a bug: shown, not hidden
        logger.exception("Import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = _("The import stopped (%(error)s).") % {
            "error": type(error).__name__
        }
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    try:
        default_storage.delete(job.file)
    except Exception:
        logger.exception("Import job %s: its file could not be deleted", job.pk)
    return job
