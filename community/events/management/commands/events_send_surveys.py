"""Send the post-event survey links that are due (after an event ends, to the
members who were checked in): run it from cron, e.g. hourly. Each link goes
once, however often it runs."""

from django.core.management.base import BaseCommand

from community.events.tasks import send_due_surveys


class Command(BaseCommand):
    help = "Send the post-event survey links that are due (run e.g. hourly)."

    def handle(self, *args, **options):
        result = send_due_surveys.enqueue()
        self.stdout.write(f"Survey links queued ({result.id}).")
