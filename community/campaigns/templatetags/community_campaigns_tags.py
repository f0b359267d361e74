"""Template helpers of the campaigns' survey form."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def answer_of(answers, question):
    """What the visitor answered to `question` (a form shown again with its
    errors): the text of a free-text answer, {row field: point} of a matrix,
    else a list of strings."""
    if question.kind == "free_text":
        return answers.get(question.field_name, "") if answers else ""
    if question.kind == "matrix":
        if not answers:
            return {}
        return {name: answers.get(name, "") for _n, _row, name in question.matrix_rows}
    if not answers:
        return []
    return [str(value) for value in answers.getlist(question.field_name)]


@register.filter
def campaign_state(campaign, now):
    """(state, label) of a campaign at `now`."""
    state = campaign.state(now)
    return state, campaign.State(state).label
