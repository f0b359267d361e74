"""The moderation toolkit every community app shares: verdicts, blocklists,
moderators' decisions, and the registry of moderated models (see
`community.moderation.registry`)."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext, pgettext_lazy
from wagtail.log_actions import log

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass
class Verdict:
    held: bool = False
    reasons: list = field(default_factory=list)

    def hold(self, reason):
        self.held = True
        self.reasons.append(str(reason))


def blocklist_matches(text, entries):
    """The blocklist `entries` found in `text`."""
    found = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        if entry.startswith("re:"):
            pattern = re.compile(entry[3:], re.IGNORECASE)
        elif CJK.search(entry):
            # Chinese has no spaces between words: match anywhere.
            pattern = re.compile(re.escape(entry))
        else:
            pattern = re.compile(rf"\b{re.escape(entry)}\b", re.IGNORECASE)
        if pattern.search(text):
            found.append(entry)
    return found


def log_action_name(action):
    """The name of a moderator's decision in Wagtail's log (the item's
    history, the site history report)."""
    return f"community.moderation.{action}"


def decide(
    items, action, new_state, *, counter, reports, notify, prepare=None, user=None
):
    """A moderator's decision on comments or posts, in one transaction: each
    item takes `new_state` (on approval its report `counter` goes back to 0;
    `prepare(item)` may set more), its open reports (the related manager
    named `reports`) are resolved, the decision goes to Wagtail's log (by
    `user`, the moderator) and `notify(pk, action, previous state)` tells the
    authors of the items whose state changed, after the commit. Deciding the
    same again changes nothing more and tells nobody. Returns how many items
    were moderated."""
    items = list(items)
    changed = []
    with transaction.atomic():
        for item in items:
            previous = item.state
            item.state = new_state
            if action == "approve" and counter:
                setattr(item, counter, 0)
            if prepare is not None:
                prepare(item)
            item.save()
            if reports:
                getattr(item, reports).filter(resolved_at__isnull=True).update(
                    resolved_at=timezone.now()
                )
            if previous != new_state:
                changed.append((item.pk, previous))
                log(
                    item,
                    log_action_name(action),
                    user=user,
                    data={"previous_state": previous, "state": str(new_state)},
                )
        for pk, previous in changed:
            transaction.on_commit(
                lambda pk=pk, previous=previous: notify(pk, action, previous)
            )
    return len(items)


# The registry of moderated models


class Moderator:
    """How one model is moderated. Subclass it and register it with
    ``community.moderation.register(Model, MyModerator)`` in your app's
    ``AppConfig.ready()``: the model then has a queue in the Wagtail admin
    (Community → its verbose name), bulk actions for each of `actions`, a count
    on the admin's home page and e-mails to its authors (`notify()`).

    The model needs a `state` field with `published`/`pending` values (or say
    otherwise in `queue()`), a counter of open reports (`counter`) and a
    related manager of reports with a `resolved_at` field (`reports`), or
    neither (set both to None)."""

    #: action -> (the state it sets, its label in the admin). The action is
    #: also the bulk action's id: ``/admin/bulk/<app>/<model>/<action>_<model>s/``.
    actions = {
        "approve": ("published", pgettext_lazy("moderation", "Approve")),
        "remove": ("removed", pgettext_lazy("moderation", "Remove")),
    }
    #: action -> the question the moderator confirms in the admin (default:
    #: a generic one naming the action).
    questions = {}
    #: action -> ngettext_lazy(singular, plural, "count"), with %(count)d: what
    #: the moderator reads after the decision (default: a generic one).
    success_messages = {}
    #: action -> the form class (or its dotted path) the moderator fills in
    #: before deciding; its cleaned data goes to `moderate()` as options (e.g.
    #: a rejection reason, see `prepare()`).
    forms = {}
    #: the field that counts open reports, set to 0 on approval (or None).
    counter = None
    #: the related manager of reports resolved by a decision (or None).
    reports = None
    #: The bulk bar's words (Wagtail's JavaScript puts the number in
    #: %(objects)s): "SINGULAR", "PLURAL", "ALL", "ALL_IN_LISTING" and
    #: "SELECT_ALL_IN_LISTING"; missing ones are made from the model's
    #: verbose names (see `get_bulk_strings()`).
    bulk_strings = {}
    #: the queue's viewset class (a SnippetViewSet), or its dotted path; the
    #: toolkit's default serves any model (its `model` is set to the moderated
    #: one).
    viewset_class = "community.moderation.admin.ModerationViewSet"
    #: the field naming the member who wrote an item, and the field of its
    #: date (or None): a member's admin page lists what they wrote.
    author_field = None
    date_field = None

    def __init__(self, model):
        self.model = model

    def authored_by(self, member):
        """The items `member` wrote, newest first (none without
        `author_field`)."""
        manager = self.model._default_manager
        if self.author_field is None:
            return manager.none()
        order = [f"-{self.date_field}"] if self.date_field else []
        return manager.filter(**{self.author_field: member}).order_by(*order, "-pk")

    @property
    def permission(self):
        """The permission that lets an editor moderate."""
        opts = self.model._meta
        return f"{opts.app_label}.change_{opts.model_name}"

    def may_moderate(self, user):
        return user.has_perm(self.permission)

    def queue(self, queryset=None):
        """What waits for a moderator, among `queryset` (by default all the
        model's items)."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        return queryset.filter(state="pending")

    def prepare(self, item, action, **options):
        """Sets more on `item` before it is saved (e.g. a rejection reason)."""

    def moderate(self, items, action, moderator=None, **options):
        """Applies `action` to `items` in one transaction; returns how many."""
        return decide(
            items,
            action,
            self.actions[action][0],
            counter=self.counter,
            reports=self.reports,
            notify=self.notify,
            prepare=lambda item: self.prepare(item, action, **options),
            user=moderator,
        )

    def notify(self, pk, action, previous_state):
        """Tells the author of item `pk` of the decision (after the commit).
        The default tells nobody."""

    # What the admin shows

    def get_label(self, action):
        return self.actions[action][1]

    def get_question(self, action):
        if action in self.questions:
            return self.questions[action]
        return gettext("Apply “%(action)s” to the selected %(items)s?") % {
            "action": self.get_label(action),
            "items": self.model._meta.verbose_name_plural,
        }

    def get_success_message(self, action, count):
        if action in self.success_messages:
            return self.success_messages[action] % {"count": count}
        opts = self.model._meta
        return ngettext(
            "“%(action)s” applied to %(count)d %(item)s.",
            "“%(action)s” applied to %(count)d %(items)s.",
            count,
        ) % {
            "action": self.get_label(action),
            "count": count,
            "item": opts.verbose_name,
            "items": opts.verbose_name_plural,
        }

    def get_bulk_strings(self):
        """What the bulk bar of the queue says: "3 comments selected", never
        Wagtail's "3 snippets selected"."""
        opts = self.model._meta
        names = {
            "item": opts.verbose_name,
            "items": opts.verbose_name_plural,
            "objects": "%(objects)s",
        }
        strings = {
            "SINGULAR": gettext("1 %(item)s selected") % names,
            "PLURAL": gettext("%(objects)s %(items)s selected") % names,
            "ALL": gettext("All %(objects)s %(items)s on this screen selected") % names,
            "ALL_IN_LISTING": gettext("All %(items)s in listing selected") % names,
            "SELECT_ALL_IN_LISTING": gettext("Select all %(items)s in listing") % names,
        }
        strings.update({key: str(text) for key, text in self.bulk_strings.items()})
        return strings

    def get_form_class(self, action):
        """The form of `action` (a Django form class), or None."""
        form_class = self.forms.get(action)
        if isinstance(form_class, str):
            form_class = import_string(form_class)
        return form_class

    def get_viewset(self):
        """The queue's viewset class in the Community menu."""
        viewset = self.viewset_class
        if isinstance(viewset, str):
            viewset = import_string(viewset)
        if viewset.model is None:
            name = f"{self.model.__name__}ModerationViewSet"
            viewset = type(name, (viewset,), {"model": self.model})
        return viewset


class ModerationRegistry:
    def __init__(self):
        self._moderators = {}

    def register(self, model, moderator_class=Moderator):
        moderator = moderator_class(model)
        self._moderators[model] = moderator
        return moderator

    def unregister(self, model):
        self._moderators.pop(model, None)

    def get(self, model):
        return self._moderators.get(model)

    def __iter__(self):
        return iter(list(self._moderators.values()))

    def __contains__(self, model):
        return model in self._moderators


registry = ModerationRegistry()


def register(model, moderator_class=Moderator):
    """Puts `model` under moderation with `moderator_class`; returns the
    moderator."""
    return registry.register(model, moderator_class)
