"""The registration form: one field per question of the event (none: one
click), answers kept as JSON on the registration."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ANSWER = 2000


def clean_text(value):
    if "\x00" in value:
        raise forms.ValidationError(_("Remove the NUL character from your answer."))
    return value.strip()


def question_field(block):
    value = block.value
    common = {
        "label": value["label"],
        "help_text": value.get("help_text") or "",
        "required": bool(value.get("required")),
    }
    kind = block.block.kind
    if kind == "textarea":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_ANSWER, **common
        )
    if kind == "choice":
        choices = [(choice, choice) for choice in value["choices"]]
        if not common["required"]:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if kind == "checkbox":
        return forms.BooleanField(**common)
    return forms.CharField(max_length=200, **common)


class RegistrationForm(forms.Form):
    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = {}
        for block in event.questions:
            name = f"q_{block.id}"
            self.fields[name] = question_field(block)
            self.questions[name] = block

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                try:
                    data[name] = clean_text(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def answers(self):
        """{question id: {"question": label, "answer": value}}."""
        return {
            block.id: {
                "question": str(block.value["label"]),
                "answer": self.cleaned_data.get(name),
            }
            for name, block in self.questions.items()
        }
