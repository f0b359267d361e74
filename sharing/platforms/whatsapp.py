"""WhatsApp: the text carries the link; a "handle" is a phone number."""

from .base import Platform, handle_path, query


class WhatsAppPlatform(Platform):
    id = "whatsapp"
    name = "WhatsApp"
    color = "#25D366"

    def share_url(self, url, title="", summary="", image=""):
        text = f"{title} {url}" if title else url
        return f"https://wa.me/?{query(text=text)}"

    def follow_url(self, handle):
        return f"https://wa.me/{handle_path(handle).lstrip('+')}"
