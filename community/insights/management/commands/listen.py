from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from community.insights import alerts, ingest
from community.insights.models import Source
from community.insights.tasks import fetch_due_sources


class Command(BaseCommand):
    help = (
        "Fetch the listening sources that are due and evaluate the alert rules: "
        "enqueued for the task worker by default (run every 5 minutes from cron), "
        "or at once in this process with --sync."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Fetch in this process instead of enqueuing tasks.",
        )
        parser.add_argument(
            "--source",
            type=int,
            action="append",
            default=[],
            help="Fetch this source now (its id), due or not; repeatable.",
        )

    def handle(self, *args, sync, source, **options):
        if source:
            sources = list(Source.objects.filter(pk__in=source))
            if len(sources) != len(set(source)):
                raise CommandError("No such source.")
            for item in sources:
                self.report(ingest.fetch(item))
            self.stdout.write(f"Alerts sent: {len(alerts.evaluate())}")
            return
        if not sync:
            result = fetch_due_sources.enqueue()
            self.stdout.write(f"Enqueued the fetch of the due sources ({result.id}).")
            return
        for item in ingest.due_sources():
            if ingest.claim(item, timezone.now()):
                self.report(ingest.fetch(item))
        self.stdout.write(f"Alerts sent: {len(alerts.evaluate())}")

    def report(self, result):
        if result["ok"]:
            self.stdout.write(
                "Source {source}: {created} new, {duplicates} duplicates, "
                "{mentions} mentions".format(**result)
            )
        else:
            self.stdout.write(f"Source {result['source']} failed: {result['error']}")
