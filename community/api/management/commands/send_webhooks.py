"""Send the webhook deliveries whose retry is due (for task backends that
cannot defer a task; run it every few minutes from cron)."""

from django.core.management.base import BaseCommand

from community.api.tasks import send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries whose retry is due."

    def handle(self, *args, **options):
        count = send_due()
        self.stdout.write(f"{count} deliveries attempted.")
