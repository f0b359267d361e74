from django.core.management.base import BaseCommand, CommandError

from sharing import counters


class Command(BaseCommand):
    help = (
        "Add the share counts waiting in Redis to the database now, each "
        "exactly once (cron, every minute: the safety net of the flush task). "
        "Nothing to do with the database counter backend."
    )

    def handle(self, *args, **options):
        try:
            result = counters.flush()
        except Exception as error:
            raise CommandError(f"Share counts not flushed: {error}") from error
        self.stdout.write(
            f"Flushed {result.counts} counts into {result.counters} counters "
            f"from {result.batches} batches."
        )
