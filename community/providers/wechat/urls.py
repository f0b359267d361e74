from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import WeChatProvider

urlpatterns = default_urlpatterns(WeChatProvider)
