import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from community.insights.aggregates import aggregate_insights


class Command(BaseCommand):
    help = (
        "Enqueue the recomputation of the insights' daily aggregates for recent "
        "days (cron, nightly) or for a date range (after an import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)
        parser.add_argument("--start", type=datetime.date.fromisoformat)
        parser.add_argument("--end", type=datetime.date.fromisoformat)

    def handle(self, *args, days, start, end, **options):
        end = end or timezone.localdate()
        start = start or end - datetime.timedelta(days=max(days, 1) - 1)
        if start > end:
            raise CommandError("--start is after --end.")
        aggregate_insights.enqueue(start.isoformat(), end.isoformat())
        self.stdout.write(f"Enqueued the aggregation of {start} to {end}.")
