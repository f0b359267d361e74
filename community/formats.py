"""How the community apps show values to people: dates and times in one
human format (the active language's DATE_FORMAT / DATETIME_FORMAT) in the
site's time zone (TIME_ZONE, or the editor's own in the Wagtail admin),
"Yes"/"No" for booleans and a dash for nothing, never "None" or "True"."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

EMPTY = "—"


def human_datetime(value):
    """A date or datetime as people read it, or "—"."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def human_value(value):
    """Any value of a model field as people read it: dates and times by
    `human_datetime`, booleans as "Yes"/"No", nothing as "—"."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return human_datetime(value)
    return value
