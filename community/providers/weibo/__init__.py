"""Weibo login: allauth's `weibo` provider (same id, so existing Social
applications and accounts keep working) with endpoints that settings can move
(`API_URL`, e.g. to a sandbox) and Weibo's error answers reported as such."""
