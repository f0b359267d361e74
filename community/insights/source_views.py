"""Admin views of the listening sources besides Wagtail's generic ones:
"fetch now", the import of an export (upload → preview and map the columns
→ import, with a reason for each refused row) and the index, inspect views
that show each source's state."""

import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.views.snippets import IndexView

from community.insights import app_settings, imports
from community.insights.models import ImportJob, Source
from community.insights.source_forms import MappingForm, UploadForm
from community.insights.tasks import enqueue, evaluate_alerts, fetch_source, run_import
from community.moderation.admin import HumanInspectView

NAMESPACE = "wagtailsnippets_community_insights_source"
UPLOAD_SIGNING = "community_insights.import"
UPLOADS = "community_insights/imports/"
PREVIEW_ROWS = 10
SHOWN_ERRORS = 200


def can_change(user):
    return user.has_perm("community_insights.change_source")


class SourceIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not can_change(self.request.user):
            return buttons
        connector = instance.get_connector()
        if connector is not None and connector.fetches:
            buttons.append(
                MenuItem(
                    gettext_lazy("Fetch now"),
                    url=reverse(f"{NAMESPACE}:fetch", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=40,
                )
            )
        if instance.connector == "import":
            buttons.append(
                MenuItem(
                    gettext_lazy("Import a file"),
                    url=reverse(f"{NAMESPACE}:import", args=[instance.pk]),
                    icon_name="upload",
                    priority=40,
                )
            )
        return buttons


class SourceInspectView(HumanInspectView):
    """The source's settings and state; a webhook source also shows its
    address and secret (to whoever may change the source)."""

    def get_fields(self):
        source = self.get_object()
        fields = [
            "name",
            "site",
            "connector",
            "config",
            "active",
            "interval",
            "last_fetched_at",
            "last_ok_at",
            "next_fetch_at",
            "failures",
            "last_error",
        ]
        if source.connector == "webhook" and can_change(self.request.user):
            fields += ["webhook_url", "secret"]
        return fields

    def get_connector_display_value(self):
        connector = self.object.get_connector()
        return connector.name if connector else self.object.connector

    def get_webhook_url_display_value(self):
        return self.request.build_absolute_uri(
            reverse("community_insights_public:source_webhook", args=[self.object.pk])
        )

    def get_field_label(self, field_name, field):
        if field_name == "webhook_url":
            return _("Webhook address")
        return super().get_field_label(field_name, field)


class SourceMixin:
    """The source of the URL, for editors who may change sources."""

    def dispatch(self, request, *args, **kwargs):
        if not can_change(request.user):
            raise PermissionDenied
        self.source = get_object_or_404(Source, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def listing(self):
        return reverse(f"{NAMESPACE}:list")


class FetchNowView(SourceMixin, View):
    http_method_names = ["post", "get"]

    def get(self, request, *args, **kwargs):
        return redirect(self.listing())

    def post(self, request, *args, **kwargs):
        connector = self.source.get_connector()
        if connector is None or not connector.fetches:
            raise Http404
        now = timezone.now()
        Source.objects.filter(pk=self.source.pk).update(next_fetch_at=now)
        enqueue(fetch_source, self.source.pk)
        messages.success(
            request,
            _("The fetch of %(source)s has started; its state shows here when done.")
            % {"source": self.source.name},
        )
        return redirect(self.listing())


class ImportView(SourceMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "community_insights/admin/source_import.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("Import into %(source)s") % {"source": self.source.name}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": self.listing(), "label": _("Listening sources")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if self.source.connector != "import":
            raise Http404
        return self.render_to_response(self.get_context_data(upload=UploadForm()))

    def post(self, request, *args, **kwargs):
        if self.source.connector != "import":
            raise Http404
        if "token" in request.POST:
            return self.map_and_import(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(upload=form))
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            table = imports.read(data, upload.name)
        except imports.ImportProblem as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(upload=form))
        name = default_storage.save(
            f"{UPLOADS}{uuid.uuid4().hex}.upload", ContentFile(data)
        )
        token = signing.dumps(
            {"name": name, "source": self.source.pk, "file": upload.name[:100]},
            salt=UPLOAD_SIGNING,
        )
        mapping = imports.guess_mapping(table.columns)
        form = MappingForm(
            columns=table.columns,
            initial={"token": token, **{f"map_{k}": v for k, v in mapping.items()}},
        )
        return self.render_to_response(
            self.get_context_data(mapping=form, table=table, preview=preview(table))
        )

    def map_and_import(self, request):
        try:
            token = signing.loads(
                request.POST.get("token", ""), salt=UPLOAD_SIGNING, max_age=3600
            )
        except signing.BadSignature:
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect(request.path)
        if token.get("source") != self.source.pk or not str(
            token.get("name", "")
        ).startswith(UPLOADS):
            raise PermissionDenied
        name = token["name"]
        if not default_storage.exists(name):
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect(request.path)
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        table = imports.read(data, token.get("file", ""))
        form = MappingForm(request.POST, columns=table.columns)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(mapping=form, table=table, preview=preview(table))
            )
        if len(table.rows) > app_settings.IMPORT_BACKGROUND_ROWS:
            job = imports.start_job(
                self.source, name, token.get("file", ""), form.mapping(), request.user
            )
            enqueue(run_import, job.pk)
            return redirect(
                reverse(f"{NAMESPACE}:import_job", args=[self.source.pk, job.pk])
            )
        result = imports.run(self.source, table, form.mapping())
        default_storage.delete(name)
        if result.created:
            enqueue(evaluate_alerts)
        return self.render_to_response(
            self.get_context_data(
                result=result,
                errors=result.errors[:SHOWN_ERRORS],
                more_errors=max(0, len(result.errors) - SHOWN_ERRORS),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.source
        context["listing_url"] = self.listing()
        return context


class ImportJobView(SourceMixin, WagtailAdminTemplateMixin, TemplateView):
    """The progress of a background import: rows done of the total, what was
    stored, the refused rows with their line and reason. The page reloads
    itself every few seconds until the import has finished."""

    template_name = "community_insights/admin/source_import_job.html"
    header_icon = "upload"
    refresh_seconds = 3

    def get(self, request, *args, **kwargs):
        self.job = get_object_or_404(
            ImportJob, pk=kwargs["job"], source_id=self.source.pk
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import into %(source)s") % {"source": self.source.name}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": self.listing(), "label": _("Listening sources")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            source=self.source,
            job=job,
            listing_url=self.listing(),
            import_url=reverse(f"{NAMESPACE}:import", args=[self.source.pk]),
            refresh_seconds=None if job.finished else self.refresh_seconds,
            errors=job.errors[:SHOWN_ERRORS],
            more_errors=max(0, job.refused - min(len(job.errors), SHOWN_ERRORS)),
        )
        return context


def preview(table):
    """The first rows of `table`, each value cut to 200 characters."""
    rows = []
    for row in table.rows[:PREVIEW_ROWS]:
        row = row or {}
        rows.append([str(row.get(column, ""))[:200] for column in table.columns])
    return rows
