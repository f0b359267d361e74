"""The question blocks of a survey (a campaign's or a `SurveyPage`'s
`survey` StreamField). Each question has a short key, unique in its survey,
that exports and conditions name; a question may be shown only when an
earlier one got a given answer. A page break splits the survey in steps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class QuestionBlock(blocks.StructBlock):
    key = blocks.RegexBlock(
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        label=_("key"),
        help_text=_(
            "A short name, unique in this survey: lowercase letters, digits "
            "and _ (e.g. favourite_tea). Exports and conditions use it."
        ),
        error_messages={"invalid": _("Use lowercase letters, digits and _.")},
    )
    question = blocks.CharBlock(label=_("question"), max_length=300)
    help_text = blocks.CharBlock(label=_("help text"), required=False, max_length=300)
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    show_if_key = blocks.CharBlock(
        label=_("show only if the question with key"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to always show this question."),
    )
    show_if_answer = blocks.CharBlock(
        label=_("was answered"), required=False, max_length=200
    )

    class Meta:
        icon = "help"


class ChoicesQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("choice")), label=_("choices")
    )

    def clean(self, value):
        value = super().clean(value)
        choices = [choice.strip() for choice in value["choices"] if choice.strip()]
        if len(choices) < 2:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Give at least two."))}
            )
        return value


class SingleChoiceBlock(ChoicesQuestionBlock):
    class Meta:
        label = _("Single choice")
        icon = "radio-full"


class MultipleChoiceBlock(ChoicesQuestionBlock):
    class Meta:
        label = _("Multiple choice")
        icon = "tasks"


class RatingBlock(QuestionBlock):
    scale = blocks.IntegerBlock(
        label=_("highest rating"), min_value=3, max_value=10, default=5
    )
    low_label = blocks.CharBlock(label=_("label of 1"), required=False, max_length=60)
    high_label = blocks.CharBlock(
        label=_("label of the highest"), required=False, max_length=60
    )

    class Meta:
        label = _("Rating scale")
        icon = "pick"


class NPSBlock(QuestionBlock):
    """ "How likely are you to recommend …" from 0 to 10."""

    class Meta:
        label = _("Net Promoter Score (0–10)")
        icon = "order"


class FreeTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("most characters"), min_value=10, max_value=5000, default=1000
    )

    class Meta:
        label = _("Free text")
        icon = "pilcrow"


class MatrixBlock(QuestionBlock):
    """Several statements (rows) rated on one shared scale (columns), e.g.
    "Taste", "Price", "Packaging" each from "Poor" to "Excellent". Required:
    every row needs an answer; optional: any rows may stay empty."""

    rows = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("row")),
        label=pgettext_lazy("survey matrix", "rows"),
    )
    columns = blocks.ListBlock(
        blocks.CharBlock(max_length=60, label=_("point of the scale")),
        label=_("scale (columns)"),
    )

    class Meta:
        label = _("Matrix (rows on one scale)")
        icon = "table"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name, least in (("rows", 1), ("columns", 2)):
            items = [item.strip() for item in value[name] if item.strip()]
            if len(items) < least:
                errors[name] = ValidationError(
                    _("Give at least %(count)s.") % {"count": least}
                )
            elif len(set(items)) != len(items):
                errors[name] = ValidationError(_("Each one only once."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class PageBreakBlock(blocks.StaticBlock):
    class Meta:
        label = _("Page break")
        icon = "horizontalrule"
        admin_text = _("The questions after this one are on the next step.")


SURVEY_BLOCKS = [
    ("single_choice", SingleChoiceBlock()),
    ("multiple_choice", MultipleChoiceBlock()),
    ("rating", RatingBlock()),
    ("nps", NPSBlock()),
    ("free_text", FreeTextBlock()),
    ("matrix", MatrixBlock()),
    ("page_break", PageBreakBlock()),
]
