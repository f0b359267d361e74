"""GitHub: an organisation or user. Follow only."""

from .base import Platform, handle_path


class GitHubPlatform(Platform):
    id = "github"
    name = "GitHub"
    color = "#181717"
    region = "global"
    can_share = False
    login_provider = "github"

    def follow_url(self, handle):
        return f"https://github.com/{handle_path(handle)}"
