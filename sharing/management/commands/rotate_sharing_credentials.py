"""Re-encrypt the own-media accounts' secrets with the first key of
SHARING_CREDENTIALS_KEYS (after putting a new key first); then the old key
can be removed."""

from django.core.management.base import BaseCommand
from django.db import transaction

from sharing.models import OwnMediaAccount

FIELDS = ("client_secret", "access_token", "refresh_token")


class Command(BaseCommand):
    help = "Re-encrypt the own-media accounts' secrets with the newest key."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            # Read as plaintext (decrypted with any key), written back
            # encrypted with the first; a value no key reads stays as it is.
            rows = OwnMediaAccount.objects.select_for_update().values_list(
                "pk", *FIELDS
            )
            for pk, *values in rows.iterator():
                rotated = {}
                for name, value in zip(FIELDS, values, strict=True):
                    if value:
                        rotated[name] = value
                if rotated:
                    OwnMediaAccount.objects.filter(pk=pk).update(**rotated)
                    count += 1
        if options["verbosity"]:
            self.stdout.write(f"Re-encrypted the secrets of {count} account(s).")
