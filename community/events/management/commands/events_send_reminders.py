"""Send the event reminders that are due (a day and an hour before): run it
every few minutes from cron. Each reminder goes once, however often it runs."""

from django.core.management.base import BaseCommand

from community.events.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Send the event reminders that are due (run every few minutes)."

    def handle(self, *args, **options):
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Reminders queued ({result.id}).")
