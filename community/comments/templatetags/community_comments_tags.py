from django import template

from community.comments.services import comment_form_context, comment_thread

register = template.Library()


@register.inclusion_tag("community_comments/includes/comments.html", takes_context=True)
def comments_for(context, target):
    """The comments of `target` (a page or object using CommentsMixin): the
    form, the threads and their actions. Renders nothing when hidden."""
    request = context["request"]
    if not getattr(target, "show_comments", True):
        return {"hidden": True}
    return {**comment_thread(request, target), **comment_form_context(request, target)}
