"""WeChat (微信): no web share intent. Outside WeChat the button shows a QR
code of the page to scan; inside WeChat's browser it explains the ··· menu.
An official account is followed by scanning its QR code."""

from django.utils.translation import gettext_lazy as _

from ..publishers.wechat import WeChatPublisher
from .base import Platform


class WeChatPlatform(Platform):
    publisher = WeChatPublisher
    id = "wechat"
    name = _("WeChat")
    color = "#07C160"
    region = "cn"
    share_action = "dialog"
    login_provider = "weixin"
    follow_by_qr = True
