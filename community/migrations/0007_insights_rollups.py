"""Weekly and monthly sums of the per-key insights metrics, built from the
daily rows already stored; posts' comment counts keyed "post:<id>" like
sharing's counters. (Posts and reactions on posts join the daily rows at the
next aggregation: ``manage.py insights_aggregate --start <first day>``.)"""

import datetime

from django.db import migrations

ROLLED_UP = ("contributor", "page_comments", "item_reactions")


def next_month(first):
    return (first + datetime.timedelta(days=32)).replace(day=1)


def build_rollups(apps, schema_editor):
    DailyMetric = apps.get_model("community", "DailyMetric")
    connection = schema_editor.connection
    rows = DailyMetric.objects.filter(
        metric="page_comments", key__startswith="community.post:"
    )
    for row in rows.iterator():
        row.key = "post:" + row.key.partition(":")[2]
        row.save(update_fields=["key"])
    days = set(
        DailyMetric.objects.filter(metric__in=ROLLED_UP)
        .values_list("day", flat=True)
        .distinct()
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
            DailyMetric.objects.filter(
                day=first, metric__in=[f"{m}/{period}" for m in ROLLED_UP]
            ).delete()
            for metric in ROLLED_UP:
                cursor.execute(
                    insert,
                    [adapt(first), f"{metric}/{period}", metric]
                    + [adapt(first), adapt(last)],
                )


class Migration(migrations.Migration):
    dependencies = [("community", "0006_post_sort_indexes")]

    operations = [migrations.RunPython(build_rollups, migrations.RunPython.noop)]
