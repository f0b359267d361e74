"""Background work of the events app (django-tasks): the e-mails about a
registration, the reminders a day and an hour before an event, and the
post-event survey link after it."""

from django_tasks import task

from community.events import notifications


@task()
def send_registration_email(registration_id, message):
    """E-mail a member about their registration: "confirmation" (with the
    ticket and the .ics), "waitlisted" or "promoted" (with the ticket)."""
    return notifications.send_registration_email(registration_id, message)


@task()
def send_due_reminders():
    """Send the reminders that are due now (`manage.py events_send_reminders`
    enqueues it every few minutes from cron). Each is sent once."""
    return notifications.send_due_reminders()


@task()
def send_due_surveys():
    """Send the post-event survey links that are due now (`manage.py
    events_send_surveys` enqueues it from cron). Each is sent once."""
    return notifications.send_due_surveys()
