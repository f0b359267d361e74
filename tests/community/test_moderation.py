"""The moderation toolkit: any model registered with
`community.moderation.register()` (here the test app's `Testimonial`) gets a
queue in the Community menu, bulk actions, a count on the admin's home page
and its moderator's `notify()` after each decision."""

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission

from community import moderation
from community.moderation import Moderator
from tests.factories import UserFactory
from tests.testapp import models as testapp

pytestmark = pytest.mark.django_db

QUEUE = "/admin/community/moderation/testapp/testimonial/"
BULK = "/admin/bulk/testapp/testimonial/"


def editor_with(*codenames):
    """A staff member who may use the admin, with only these permissions."""
    group = Group.objects.create(name=f"Editors {'-'.join(codenames) or 'none'}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    user = UserFactory(is_staff=True)
    user.save()
    user.groups.add(group)
    return user


@pytest.fixture
def superuser():
    user = UserFactory(username="chief", is_superuser=True, is_staff=True)
    user.save()
    return user


@pytest.fixture
def testimonials():
    return {
        "pending": testapp.Testimonial.objects.create(text="Held back for a look"),
        "other": testapp.Testimonial.objects.create(text="Another one waiting"),
        "published": testapp.Testimonial.objects.create(
            text="Already on the site", state="published"
        ),
        "removed": testapp.Testimonial.objects.create(
            text="Taken down", state="removed"
        ),
    }


def states():
    return dict(testapp.Testimonial.objects.values_list("text", "state"))


def test_every_registered_model_has_a_moderator():
    registered = {moderator.model._meta.label for moderator in moderation.registry}
    assert {
        "community_comments.Comment",
        "community_posts.Post",
        "testapp.Testimonial",
    } <= registered
    assert type(moderation.registry.get(testapp.Testimonial)) is Moderator


def test_the_community_menu_has_an_entry_per_moderated_model(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    for url in (
        QUEUE,
        "/admin/community/comments/",
        "/admin/community/posts/",
        "/admin/community/members/",
    ):
        assert url in html
    assert "Testimonials" in html


def test_an_editor_sees_only_the_queues_they_may_moderate(client):
    client.force_login(editor_with("change_comment"))
    response = client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/admin/community/comments/" in html
    assert QUEUE not in html and "/admin/community/posts/" not in html
    assert client.get("/admin/community/comments/").status_code == 200
    assert client.get(QUEUE).status_code in (302, 403)


def test_the_queue_lists_pending_testimonials_and_filters_by_state(
    client, superuser, testimonials
):
    client.force_login(superuser)
    queue = client.get(QUEUE).content.decode()
    assert "Held back for a look" in queue and "Another one waiting" in queue
    assert "Already on the site" not in queue and "Taken down" not in queue
    everything = client.get(QUEUE, {"state": "all"}).content.decode()
    assert "Already on the site" in everything and "Taken down" in everything
    removed = client.get(QUEUE, {"state": "removed"}).content.decode()
    assert "Taken down" in removed and "Held back for a look" not in removed
    pk = testimonials["pending"].pk
    inspect = client.get(f"{QUEUE}inspect/{pk}/")
    assert inspect.status_code == 200
    assert "Held back for a look" in inspect.content.decode()


def test_nobody_adds_or_copies_testimonials_in_the_admin(
    client, superuser, testimonials
):
    client.force_login(superuser)
    assert client.get(f"{QUEUE}add/").status_code in (302, 403, 404)
    pk = testimonials["pending"].pk
    # (A 404 outside the language prefix redirects into it first.)
    assert client.get(f"{QUEUE}copy/{pk}/", follow=True).status_code == 404


def test_generated_bulk_actions_approve_and_remove(client, superuser, testimonials):
    client.force_login(superuser)
    pending, other = testimonials["pending"], testimonials["other"]
    approve = f"{BULK}approve_testimonials/?id={pending.pk}&next={QUEUE}"
    page = client.get(approve).content.decode()
    assert "Apply “Approve” to the selected testimonials?" in page
    assert "Held back for a look" in page
    response = client.post(approve, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "“Approve” applied to 1 testimonial." in response.content.decode()
    response = client.post(f"{BULK}remove_testimonials/?id={other.pk}")
    assert response.status_code == 302
    assert states() == {
        "Held back for a look": "published",
        "Another one waiting": "removed",
        "Already on the site": "published",
        "Taken down": "removed",
    }
    # The listing offers the moderator's actions.
    queue = client.get(QUEUE, {"state": "all"}).content.decode()
    assert "approve_testimonials" in queue and "remove_testimonials" in queue


def test_select_all_never_reaches_beyond_the_queue(client, superuser, testimonials):
    client.force_login(superuser)
    client.post(f"{BULK}approve_testimonials/?id=all")
    assert states() == {
        "Held back for a look": "published",
        "Another one waiting": "published",
        "Already on the site": "published",
        "Taken down": "removed",
    }


def test_ids_that_are_not_ids_are_not_found(client, superuser, testimonials):
    client.force_login(superuser)
    # (A 404 outside the language prefix redirects into it first.)
    url = f"{BULK}approve_testimonials/?id=abc"
    assert client.get(url, follow=True).status_code == 404
    response = client.post(f"{BULK}approve_testimonials/?id=abc&id=9999999")
    assert response.status_code in (302, 404)
    assert client.get(response.url).status_code == 404
    assert states()["Held back for a look"] == "pending"


def test_the_dashboard_panel_counts_each_queue(client, superuser, testimonials):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "<strong>2</strong> testimonials wait in moderation." in html
    assert f'href="{QUEUE}"' in html
    assert "Open the testimonials queue" in html
    assert "comments wait in moderation." in html
    assert "posts wait in moderation." in html


def test_editors_without_the_permission_see_no_queue_and_no_count(client, testimonials):
    client.force_login(editor_with("change_comment"))
    html = client.get("/admin/").content.decode()
    assert "comments wait in moderation." in html
    assert "testimonials wait" not in html and "testimonial waits" not in html
    assert QUEUE not in html


def test_the_no_permission_list_shows_ids_not_held_text(client, testimonials):
    """A held item's text is not for editors who may not moderate it."""
    held = testimonials["pending"]
    client.force_login(editor_with("change_comment"))
    url = f"{BULK}approve_testimonials/?id={held.pk}"
    page = client.get(url).content.decode()
    assert "You don&#x27;t have permission to moderate these testimonials" in page
    assert f"#{held.pk}" in page
    assert "Held back for a look" not in page
    client.post(url)
    held.refresh_from_db()
    assert held.state == "pending"
    # Nor through Wagtail's bulk delete.
    page = client.get(f"{BULK}delete/?id={held.pk}").content.decode()
    assert "permission to delete this testimonial" in page
    assert "Held back for a look" not in page
    client.post(f"{BULK}delete/?id={held.pk}")
    assert testapp.Testimonial.objects.filter(pk=held.pk).exists()


class NoteForm(forms.Form):
    note = forms.CharField(label="Note for the author")


class NotingModerator(Moderator):
    """Asks for a note on removal and keeps it on the item."""

    forms = {"remove": NoteForm}
    questions = {"remove": "Take these down?"}

    def prepare(self, item, action, note="", **options):
        item.text = f"{item.text} [{note}]"


@pytest.fixture
def swap_moderator():
    """Registers another moderator for testimonials for one test."""
    original = moderation.registry.get(testapp.Testimonial)
    yield lambda moderator_class: moderation.register(
        testapp.Testimonial, moderator_class
    )
    moderation.register(testapp.Testimonial, type(original))


def test_a_moderator_may_ask_for_a_form_and_use_its_data(
    client, superuser, testimonials, swap_moderator
):
    swap_moderator(NotingModerator)
    client.force_login(superuser)
    url = f"{BULK}remove_testimonials/?id={testimonials['pending'].pk}"
    page = client.get(url).content.decode()
    assert "Take these down?" in page and "Note for the author" in page
    assert client.post(url, {"note": ""}).status_code == 200  # the note is required
    assert states()["Held back for a look"] == "pending"
    client.post(url, {"note": "off topic"})
    assert states()["Held back for a look [off topic]"] == "removed"


class RecordingModerator(Moderator):
    """Tells the authors (here: a list) of each decision."""

    told = []

    def notify(self, pk, action, previous_state):
        self.told.append((pk, action, previous_state))


@pytest.fixture
def recording_moderator(swap_moderator):
    RecordingModerator.told = []
    return swap_moderator(RecordingModerator)


def test_the_moderator_is_told_after_the_commit(
    client,
    superuser,
    testimonials,
    recording_moderator,
    django_capture_on_commit_callbacks,
):
    client.force_login(superuser)
    pending, published = testimonials["pending"], testimonials["published"]
    url = f"{BULK}approve_testimonials/?id={pending.pk}&id={published.pk}"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url)
    # Nothing said before the commit; only the item whose state changed.
    assert recording_moderator.told == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert recording_moderator.told == [(pending.pk, "approve", "pending")]
    with django_capture_on_commit_callbacks(execute=True):
        recording_moderator.moderate([published], "remove")
    assert recording_moderator.told[-1] == (published.pk, "remove", "published")
