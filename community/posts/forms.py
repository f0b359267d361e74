"""Forms of community posts. Every field is checked with a clear message;
pictures are checked by their header here (format, size, completeness) and
decoded later in the background (`community.posts.pictures`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.models import Page

from community.posts import app_settings
from community.posts.models import Post, PostImage, PostReport
from community.posts.pictures import (  # noqa: F401 (render_post_image: callers)
    DETAIL_SIDE,
    THUMBNAIL_SIDE,
    check_post_upload,
    render_post_image,
)
from community.posts.services import product_choices

MAX_TAGS = 8
RATING_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"multiple": True, "accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(item) for item in files if item]


class PostForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Kind of post"))
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Up to 8, separated by commas, e.g. green tea, tea ceremony"),
    )
    product = forms.TypedChoiceField(
        label=_("Product"), required=False, coerce=int, empty_value=None
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        required=False,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    images = MultipleImageField(
        label=_("Pictures"),
        help_text=_(
            "Up to 9 JPEG, PNG, WebP or GIF pictures. Location data is removed."
        ),
    )
    remove_images = forms.TypedMultipleChoiceField(
        label=_("Remove pictures"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Post
        fields = ["kind", "title", "body", "product", "rating"]
        labels = {"title": _("Title"), "body": pgettext_lazy("post body", "Text")}

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        self.fields["kind"].choices = board.allowed_kinds()
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.initial["tags"] = ", ".join(sorted(self.instance.tags.names()))
            self.fields["remove_images"].choices = [
                (image.pk, image.pk) for image in self.instance.images.all()
            ]
        else:
            del self.fields["remove_images"]
        products = product_choices(language=board.locale.language_code)
        if products:
            self.fields["product"].choices = [("", _("— none —"))] + products
        else:
            del self.fields["product"]
        self.fields["body"].max_length = app_settings.MAX_LENGTH
        self.fields["body"].widget.attrs.update(
            {"rows": 8, "maxlength": app_settings.MAX_LENGTH}
        )
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})

    def existing_images(self):
        if not self.instance.pk:
            return []
        return list(self.instance.images.all())

    def pending_count(self):
        """Pictures of this post still being processed."""
        if not self.instance.pk:
            return 0
        return PostImage.all_objects.filter(post=self.instance, image="").count()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise ValidationError(_("Write a title of at least 3 characters."))
        return title

    def clean_body(self):
        body = self.cleaned_data.get("body", "").strip()
        if len(body) > app_settings.MAX_LENGTH:
            raise ValidationError(
                _("Your text is too long: at most %(max)s characters.")
                % {"max": app_settings.MAX_LENGTH}
            )
        return body

    def clean_tags(self):
        names = []
        for raw in self.cleaned_data.get("tags", "").replace("，", ",").split(","):
            name = " ".join(raw.split())
            if not name:
                continue
            if len(name) > 40:
                raise ValidationError(_("A tag has at most 40 characters."))
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Use at most %(max)s tags.") % {"max": MAX_TAGS})
        return names

    def clean_images(self):
        """The uploads whose headers say they are pictures within the limits
        (nothing is decoded here)."""
        files = self.cleaned_data.get("images") or []
        if len(files) > app_settings.MAX_IMAGES:
            return files  # clean() says "at most 9"; no need to open them
        checked = []
        errors = []
        for number, uploaded in enumerate(files, start=1):
            try:
                check_post_upload(uploaded)
                checked.append(uploaded)
            except ValidationError as error:
                errors.append(
                    _("Picture %(number)s (%(name)s): %(error)s")
                    % {
                        "number": number,
                        "name": getattr(uploaded, "name", "?")[:60],
                        "error": " ".join(error.messages),
                    }
                )
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        removed = set(data.get("remove_images") or [])
        kept = [image for image in self.existing_images() if image.pk not in removed]
        images = data.get("images") or []
        total = len(kept) + self.pending_count() + len(images)
        limit = app_settings.MAX_IMAGES
        if total > limit:
            self.add_error(
                "images",
                ngettext(
                    "A post has at most %(max)d picture.",
                    "A post has at most %(max)d pictures.",
                    limit,
                )
                % {"max": limit},
            )
        if kind == Post.Kind.PHOTO and total == 0 and "images" not in self.errors:
            self.add_error("images", _("A photo post needs at least one picture."))
        if kind == Post.Kind.REVIEW:
            if "product" in self.fields and not data.get("product"):
                self.add_error("product", _("Choose the product you review."))
            if not data.get("rating"):
                self.add_error("rating", _("Give a rating from 1 to 5 stars."))
        else:
            data["rating"] = None
        if kind in (Post.Kind.STORY, Post.Kind.REVIEW, Post.Kind.QUESTION) and not (
            data.get("body") or ""
        ):
            self.add_error("body", _("Write a few words."))
        return data

    def clean_product(self):
        value = self.cleaned_data.get("product")
        if value is None:
            return None
        return Page.objects.filter(pk=value).first()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this post?"),
        choices=PostReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details (optional)"), max_length=300, required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=500,
        help_text=_("The author reads it in the e-mail and next to the post."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
