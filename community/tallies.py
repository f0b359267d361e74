"""Once-per-member rows with a counter kept beside them: likes (toggled) and
reports (added once), for comments and posts alike. The row model has a
unique constraint per member and item; the counter is a column of the item,
moved with an atomic UPDATE in the same transaction."""

from django.db import IntegrityError, transaction
from django.db.models import F


def toggle(rows, item, counter, **row):
    """Delete the member's row if it exists, else create it, moving the
    item's `counter` by one; returns (present, counter value). A concurrent
    click that created the row first counts once."""
    with transaction.atomic():
        deleted, _rows = rows.objects.filter(**row).delete()
        if deleted:
            delta, present = -1, False
        else:
            try:
                with transaction.atomic():
                    rows.objects.create(**row)
            except IntegrityError:
                return True, current(item, counter)
            delta, present = 1, True
        type(item).objects.filter(pk=item.pk).update(**{counter: F(counter) + delta})
    return present, current(item, counter)


def add_once(rows, item, counter, **row):
    """Create the member's row and add one to the item's `counter`; False
    (and nothing written) when the member's row already exists."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                rows.objects.create(**row)
        except IntegrityError:
            return False
        type(item).objects.filter(pk=item.pk).update(**{counter: F(counter) + 1})
    return True


def current(item, counter):
    return type(item).objects.values_list(counter, flat=True).get(pk=item.pk)
