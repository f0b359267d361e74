"""Telegram channel: the Bot API's sendMessage, or sendPhoto with the picture
(its caption holds up to 1024 characters). The account's handle is the
channel (@name or its numeric id), the access token the bot's token."""

from django.utils.translation import gettext_lazy as _

from .base import MalformedResponse, Publisher, RateLimited, Result, TokenExpired

CAPTION_LENGTH = 1024


class TelegramPublisher(Publisher):
    api_base = "https://api.telegram.org"
    post_url = "https://t.me/{user}/{id}"
    max_length = 4096
    needs = ("handle", "access_token")

    def send(self, account, message):
        base = f"{self.base()}/bot{account.access_token}"
        image = message.image_file()
        if image and len(message.text) <= CAPTION_LENGTH:
            response = self.request(
                "POST",
                f"{base}/sendPhoto",
                data={"chat_id": account.handle, "caption": message.text},
                files={"photo": image},
            )
        else:
            response = self.request(
                "POST",
                f"{base}/sendMessage",
                json={"chat_id": account.handle, "text": message.text},
            )
        data = self.json(response)
        if not data.get("ok"):
            code = data.get("error_code")
            parameters = data.get("parameters")
            if code == 429 or response.status_code == 429:
                wait = (
                    (parameters or {}).get("retry_after")
                    if isinstance(parameters, dict)
                    else None
                )
                raise RateLimited(
                    retry_after=wait if isinstance(wait, int) else None, detail=data
                )
            if code in {401, 404} or response.status_code in {401, 404}:
                raise TokenExpired(_("Telegram refused the bot token."), detail=data)
            data.setdefault("error", data.get("description"))
            self.check_status(response, data)
            raise MalformedResponse(
                _("Telegram's answer could not be read."), detail=data
            )
        result = data.get("result")
        if not isinstance(result, dict):
            raise MalformedResponse(
                _("Telegram's answer could not be read."), detail=data
            )
        remote_id = self.remote_id(result.get("message_id"))
        chat = result.get("chat") if isinstance(result.get("chat"), dict) else {}
        user = chat.get("username") or account.handle.lstrip("@")
        return Result(remote_id, self.remote_url(remote_id, user))
