"""LinkedIn: the Posts API (POST /rest/posts) as the account's author URN
(the handle, e.g. urn:li:organization:123), sharing the link as an article;
the new post's URN comes back in the x-restli-id header."""

from django.utils.translation import gettext_lazy as _

from .base import MalformedResponse, OAuth2Publisher, Result

API_VERSION = "202401"


class LinkedInPublisher(OAuth2Publisher):
    api_base = "https://api.linkedin.com"
    post_url = "https://www.linkedin.com/feed/update/{id}/"
    max_length = 3000
    link_in_text = False
    needs = ("handle", "access_token")
    refresh_path = "/oauth/v2/accessToken"

    def refresh_base(self):
        return self.base().replace("://api.", "://www.", 1)

    def send_with_token(self, account, message):
        body = {
            "author": account.handle,
            "commentary": message.text,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if message.link:
            body["content"] = {
                "article": {
                    "source": message.link,
                    "title": message.title[:200],
                    "description": message.summary[:250],
                }
            }
        response = self.request(
            "POST",
            f"{self.base()}/rest/posts",
            json=body,
            headers={
                "Authorization": f"Bearer {account.access_token}",
                "LinkedIn-Version": API_VERSION,
                "X-Restli-Protocol-Version": "2.0.0",
            },
        )
        data = self.json(response) if response.status_code >= 400 else {}
        self.check_status(response, data)
        urn = response.headers.get("x-restli-id", "")
        if not urn.startswith("urn:li:"):
            raise MalformedResponse(
                _("LinkedIn's answer has no post id."), detail=dict(response.headers)
            )
        remote_id = self.remote_id(urn)
        return Result(remote_id, self.remote_url(remote_id))
