"""The questions an event asks at registration: simple form blocks, whose
answers are stored on the registration as JSON ({block id: answer})."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=False)

    #: The form field this question becomes: "text", "textarea", "choice"
    #: or "checkbox" (see `community.events.forms.question_field`).
    kind = "text"

    class Meta:
        icon = "form"


class ShortAnswerBlock(QuestionBlock):
    class Meta:
        label = _("Short answer")


class LongAnswerBlock(QuestionBlock):
    kind = "textarea"

    class Meta:
        label = _("Long answer")


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=100), label=_("Choices"), min_num=1
    )
    kind = "choice"

    class Meta:
        label = _("Choice")


class CheckboxQuestionBlock(QuestionBlock):
    kind = "checkbox"

    class Meta:
        label = _("Yes/no")


QUESTION_BLOCKS = [
    ("short_answer", ShortAnswerBlock()),
    ("long_answer", LongAnswerBlock()),
    ("choice", ChoiceQuestionBlock()),
    ("checkbox", CheckboxQuestionBlock()),
]
