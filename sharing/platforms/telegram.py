"""Telegram."""

from ..publishers.telegram import TelegramPublisher
from .base import Platform, handle_path, query


class TelegramPlatform(Platform):
    publisher = TelegramPublisher
    id = "telegram"
    name = "Telegram"
    color = "#26A5E4"
    login_provider = "telegram"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://t.me/share/url?{query(url=url, text=title)}"

    def follow_url(self, handle):
        return f"https://t.me/{handle_path(handle)}"
