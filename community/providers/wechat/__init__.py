"""WeChat login: the QR-code login on desktop browsers and WeChat's in-app
OAuth flow inside WeChat's browser, chosen from the user agent; the unionid is
the account id when WeChat returns one."""
