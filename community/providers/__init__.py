"""allauth provider packages for login services allauth does not cover (QQ) or
covers only in part (WeChat inside its own browser)."""
