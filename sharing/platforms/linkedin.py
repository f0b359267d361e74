"""LinkedIn: company pages are followed at /company/<handle>."""

from ..publishers.linkedin import LinkedInPublisher
from .base import Platform, handle_path, query


class LinkedInPlatform(Platform):
    publisher = LinkedInPublisher
    id = "linkedin"
    name = "LinkedIn"
    color = "#0A66C2"
    login_provider = "linkedin_oauth2"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://www.linkedin.com/sharing/share-offsite/?{query(url=url)}"

    def follow_url(self, handle):
        return f"https://www.linkedin.com/company/{handle_path(handle)}/"
