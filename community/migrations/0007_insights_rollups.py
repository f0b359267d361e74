"""Weekly and monthly sums of the per-key insights metrics, built from the
daily rows already stored; posts' comment counts keyed "post:<id>" like
sharing's counters. (Posts and likes of posts join the daily rows at the
next range aggregation: ``manage.py insights_aggregate --start <first day>``.)"""

import datetime

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

ROLLED_UP = ("contributor", "page_comments", "item_reactions")
OLD_POST_KEY = "community.post:"


def next_month(first):
    return (first + datetime.timedelta(days=32)).replace(day=1)


def build_rollups(apps, schema_editor):
    DailyMetric = apps.get_model("community", "DailyMetric")
    connection = schema_editor.connection
    metrics = DailyMetric.objects.using(connection.alias)
    metrics.filter(metric="page_comments", key__startswith=OLD_POST_KEY).update(
        key=Concat(Value("post:"), Substr("key", len(OLD_POST_KEY) + 1))
    )
    days = set(
        metrics.filter(metric__in=ROLLED_UP).values_list("day", flat=True).distinct()
    )
    periods = {("week", day - datetime.timedelta(days=day.weekday())) for day in days}
    periods |= {("month", day.replace(day=1)) for day in days}
    quote = connection.ops.quote_name
    table = quote(DailyMetric._meta.db_table)
    insert = (
        f"INSERT INTO {table} ({quote('day')}, {quote('metric')}, {quote('key')}, "  # noqa: S608 (our names)
        f"{quote('value')}) SELECT %s, %s, {quote('key')}, SUM({quote('value')}) "
        f"FROM {table} WHERE {quote('metric')} = %s AND {quote('day')} >= %s "
        f"AND {quote('day')} <= %s GROUP BY {quote('key')}"
    )
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for period, first in sorted(periods):
            if period == "week":
                last = first + datetime.timedelta(days=6)
            else:
                last = next_month(first) - datetime.timedelta(days=1)
            metrics.filter(
                day=first, metric__in=[f"{m}/{period}" for m in ROLLED_UP]
            ).delete()
            for metric in ROLLED_UP:
                cursor.execute(
                    insert,
                    [adapt(first), f"{metric}/{period}", metric]
                    + [adapt(first), adapt(last)],
                )


class Migration(migrations.Migration):
    dependencies = [("community", "0006_indexes_for_feeds_queues_and_insights")]

    operations = [migrations.RunPython(build_rollups, migrations.RunPython.noop)]
