from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from community.providers.qq.provider import QQProvider

urlpatterns = default_urlpatterns(QQProvider)
