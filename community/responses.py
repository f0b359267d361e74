"""How the community's member actions answer: JSON for the page's script
(which asks with ``Accept: application/json``), else a message and a
redirect back to where the member was."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def refuse(request, message, status=400, back=None):
    """A failure: JSON with the message, or back to the page with it."""
    if wants_json(request):
        return JsonResponse({"ok": False, "message": str(message)}, status=status)
    messages.error(request, message)
    if back:
        return redirect(back)
    return render(
        request,
        "community_comments/comment_message.html",
        {"message": message},
        status=status,
    )
