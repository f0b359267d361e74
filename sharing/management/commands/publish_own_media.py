"""Send the own-media posts that are due: for task backends that cannot
defer (the immediate one of development), run it every minute from cron;
with a worker it only catches up after an outage."""

from django.core.management.base import BaseCommand

from sharing import publishing


class Command(BaseCommand):
    help = "Send the own-media posts that are due."

    def handle(self, *args, **options):
        count = publishing.publish_due()
        if options["verbosity"]:
            self.stdout.write(f"Tried {count} own-media post(s).")
