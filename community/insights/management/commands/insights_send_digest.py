from django.core.management.base import BaseCommand

from community.insights.digest import send_insights_digest


class Command(BaseCommand):
    help = (
        "Enqueue the listening digest for the editors subscribed at a frequency "
        "(run daily, and weekly with --frequency weekly, from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=["daily", "weekly"], default="daily")

    def handle(self, *args, frequency, **options):
        result = send_insights_digest.enqueue(frequency)
        self.stdout.write(f"Enqueued the {frequency} digest ({result.id}).")
