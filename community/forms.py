from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from community.avatars import check_avatar, keep_upload
from community.models import Profile
from community.tasks import process_avatar


class ProfileForm(forms.ModelForm):
    """The member's own settings: public profile and avatar."""

    interests = TagField(
        label=_("Interests"),
        required=False,
        help_text=_("Comma-separated, e.g. green tea, tea ceremony"),
        max_length=300,
    )
    avatar_upload = forms.FileField(
        label=_("New avatar"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF. We crop it to a square."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "region"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            names = sorted(self.instance.interests.names())
            self.initial["interests"] = ", ".join(names)
        self.avatar_pending = False

    def clean_interests(self):
        names = self.cleaned_data.get("interests") or []
        names = [name.strip()[:50] for name in names if name.strip()]
        if len(names) > 10:
            raise forms.ValidationError(_("Choose at most 10 interests."))
        return names

    def clean_avatar_upload(self):
        uploaded = self.cleaned_data.get("avatar_upload")
        if uploaded:
            # Only the header is read here: the picture is decoded in the
            # background (community.tasks.process_avatar), never in a request.
            check_avatar(uploaded)
        return uploaded

    def save(self, commit=True):
        profile = super().save(commit=commit)
        if commit:
            profile.interests.set(self.cleaned_data.get("interests") or [])
            uploaded = self.cleaned_data.get("avatar_upload")
            if uploaded:
                name = keep_upload(uploaded)
                self.avatar_pending = True
                process_avatar.enqueue(profile.pk, name)
            elif self.cleaned_data.get("remove_avatar"):
                profile.remove_avatar()
        return profile


class DeleteAccountForm(forms.Form):
    """Confirmation: the password, or (accounts without one, e.g. social login
    only) a phrase typed out."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    phrase = forms.CharField(label=_("Type the phrase above"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.uses_password = user.has_usable_password()
        if self.uses_password:
            del self.fields["phrase"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["phrase"].required = True

    @staticmethod
    def expected_phrase():
        return str(_("delete my account"))

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean_phrase(self):
        phrase = self.cleaned_data["phrase"]
        if phrase.strip().lower() != self.expected_phrase().lower():
            raise forms.ValidationError(
                _("Type “%(phrase)s” to confirm.") % {"phrase": self.expected_phrase()}
            )
        return phrase
