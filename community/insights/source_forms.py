"""Admin forms of listening beyond the site: a source (its connector chosen
from the registry, its settings checked by the connector), an alert rule
(recipients among the editors), an import upload and its column mapping."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from community.insights import app_settings
from community.insights.imports import TARGETS
from community.insights.sources.registry import connector_choices, registry

MAX_CONFIG_VALUE = 1000


def config_help():
    lines = []
    for connector in registry.all():
        keys = ", ".join(
            f'"{key}"' for key, _label, _required in connector.config_fields
        )
        lines.append(f"{connector.name}: {keys or '—'}")
    return " · ".join(lines)


class SourceForm(WagtailAdminModelForm):
    connector = forms.ChoiceField(label=_("Connector"), choices=connector_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "config" in self.fields:
            self.fields["config"].help_text = _(
                'The connector\'s settings as JSON, e.g. {"url": '
                '"https://example.com/feed.xml"}. Keys per connector: %(keys)s'
            ) % {"keys": config_help()}
        if "interval" in self.fields:
            self.fields["interval"].min_value = app_settings.FETCH_MIN_INTERVAL
            self.fields["interval"].widget.attrs["min"] = (
                app_settings.FETCH_MIN_INTERVAL
            )

    def clean_interval(self):
        interval = self.cleaned_data["interval"]
        if interval < app_settings.FETCH_MIN_INTERVAL:
            raise forms.ValidationError(
                _("At least %(minutes)s minutes, to stay polite.")
                % {"minutes": app_settings.FETCH_MIN_INTERVAL}
            )
        return interval

    def clean_config(self):
        config = self.cleaned_data.get("config") or {}
        if not isinstance(config, dict):
            raise forms.ValidationError(_("Give an object of settings: {...}."))
        for key, value in config.items():
            if (
                not isinstance(value, str | int | float | bool)
                or len(str(value)) > MAX_CONFIG_VALUE
                or "\x00" in f"{key}{value}"
            ):
                raise forms.ValidationError(
                    _("The setting %(key)s must be a short text or number.")
                    % {"key": key[:40]}
                )
        return config

    def clean(self):
        cleaned = super().clean()
        connector = registry.get(cleaned.get("connector", ""))
        if connector is not None and "config" in cleaned:
            for problem in connector.validate_config(cleaned["config"]):
                self.add_error("config", problem)
        return cleaned


def editors():
    """The users who can open the Wagtail admin: who alerts may go to."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="access_admin")
            | Q(user_permissions__codename="access_admin")
        )
        .distinct()
        .order_by("username")
    )


class AlertRuleForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "recipients" in self.fields:
            self.fields["recipients"].queryset = editors()
            self.fields["recipients"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["recipients"].choices
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "account" and not (
            (cleaned.get("handles") or "").strip()
            or cleaned.get("min_reach") is not None
        ):
            self.add_error(
                "handles", _("List accounts or give a minimum reach (or both).")
            )
        for name in ("handles",):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, _("Remove the NUL characters."))
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("CSV or JSON; UTF-8 (with or without BOM) or GB18030."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > app_settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": app_settings.IMPORT_MAX_BYTES // (1024 * 1024) or 1}
            )
        return upload


class MappingForm(forms.Form):
    """One choice of column per mention field, plus the signed token of the
    uploaded file."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(none)")), *((column, column) for column in columns)]
        for target, (label, _names) in TARGETS.items():
            self.fields[f"map_{target}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )

    def mapping(self):
        return {
            target: self.cleaned_data.get(f"map_{target}", "")
            for target in TARGETS
            if self.cleaned_data.get(f"map_{target}")
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("map_text") or cleaned.get("map_title")):
            raise forms.ValidationError(_("Choose the column that holds the text."))
        return cleaned
