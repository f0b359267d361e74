"""The imitation servers, one per provider."""

from .oidc import OpenIDConnectServer
from .qq import QQServer
from .wechat import WeChatServer
from .weibo import WeiboServer

SERVERS = [WeChatServer(), QQServer(), WeiboServer(), OpenIDConnectServer()]
