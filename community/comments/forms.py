"""The comment form: comments-xtd's form (security hash, timestamp, honeypot,
reply_to, follow-up) with the community's length limit and, for members, the
name and e-mail taken from the account."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm

from community.comments import app_settings
from community.comments.models import CommentFlagReport


class CommentForm(XtdCommentForm):
    as_brand = forms.BooleanField(required=False, label=_("Reply as the brand"))

    def __init__(self, target_object, *args, user=None, **kwargs):
        super().__init__(target_object, *args, **kwargs)
        self.user = user
        max_length = app_settings.MAX_LENGTH
        comment = self.fields["comment"]
        comment.label = _("Your comment")
        comment.error_messages["required"] = _("Write something first.")
        comment.max_length = max_length
        comment.validators = [
            v for v in comment.validators if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(max_length)]
        comment.widget.attrs.update(
            {
                "maxlength": max_length,
                "rows": 4,
                "class": "comments__textarea",
                "placeholder": _("Share your thoughts…"),
                "data-comments-counter": "",
            }
        )
        comment.help_text = _(
            "Markdown: *emphasis*, **bold**, [link](https://…), lists, > quotes, "
            "`code`. No images or HTML."
        )
        # A new thread needs no reply_to (comments-xtd requires 0).
        self.fields["reply_to"].required = False
        self.fields["followup"].label = _("E-mail me when someone replies")
        self.fields["followup"].widget.attrs.pop("class", None)
        self.fields["honeypot"].label = _("Leave this field empty")
        for name in ("name", "email", "url"):
            self.fields[name].widget.attrs.pop("class", None)
        self.fields["email"].help_text = _(
            "We send a link to confirm your comment; the address is not shown."
        )
        if user is not None and user.is_authenticated:
            # Members: the name and address come from the account.
            for name in ("name", "email", "url"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
            if not user.has_perm("community_comments.reply_as_brand"):
                del self.fields["as_brand"]
            else:
                self.fields["as_brand"].initial = True
        else:
            del self.fields["as_brand"]
            self.fields["url"].widget = forms.HiddenInput()

    def clean_comment(self):
        text = super().clean_comment().strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text

    def clean_reply_to(self):
        return self.cleaned_data.get("reply_to") or 0

    def clean_url(self):
        return self.cleaned_data.get("url", "") or ""

    def get_comment_create_data(self, site_id=None):
        data = super().get_comment_create_data(site_id=site_id)
        data.setdefault("user_url", "")
        if self.user is not None and self.user.is_authenticated:
            data["user_name"] = self.user.get_username()[:50]
            data["user_email"] = self.user.email
            data["user_url"] = ""
        return data


class EditCommentForm(forms.Form):
    comment = forms.CharField(label=_("Your comment"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_length = app_settings.MAX_LENGTH
        field = self.fields["comment"]
        field.max_length = max_length
        field.error_messages["required"] = _("Write something first.")
        field.validators.append(MaxLengthValidator(max_length))
        field.widget.attrs.update(
            {
                "maxlength": max_length,
                "rows": 5,
                "class": "comments__textarea",
                "data-comments-counter": "",
            }
        )

    def clean_comment(self):
        text = self.cleaned_data["comment"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"),
        choices=CommentFlagReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything to add (optional)"), max_length=300, required=False
    )


def rejection_reason_choices():
    return [("", _("— no template: write the reason below —"))] + list(
        app_settings.REJECTION_REASONS.items()
    )


class RejectForm(forms.Form):
    """Why a moderator rejects comments: a reason template, their own words, or
    both; the author reads it in their language, by e-mail."""

    template = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=rejection_reason_choices,
        help_text=_("The author reads it in their own language."),
    )
    reason = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added after the reason, as you write it."),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("reason") and not self.errors:
            self.add_error(
                "reason", _("Tell the author why their comment is rejected.")
            )
        return data
