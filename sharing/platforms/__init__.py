"""Built-in platforms, one module each. See `base.Platform`."""

BUILTIN_PLATFORMS = [
    # Share platforms, Chinese first.
    "sharing.platforms.wechat.WeChatPlatform",
    "sharing.platforms.weibo.WeiboPlatform",
    "sharing.platforms.qq.QQPlatform",
    "sharing.platforms.qzone.QzonePlatform",
    "sharing.platforms.douban.DoubanPlatform",
    "sharing.platforms.x.XPlatform",
    "sharing.platforms.facebook.FacebookPlatform",
    "sharing.platforms.linkedin.LinkedInPlatform",
    "sharing.platforms.reddit.RedditPlatform",
    "sharing.platforms.telegram.TelegramPlatform",
    "sharing.platforms.whatsapp.WhatsAppPlatform",
    "sharing.platforms.pinterest.PinterestPlatform",
    "sharing.platforms.bluesky.BlueskyPlatform",
    "sharing.platforms.email.EmailPlatform",
    "sharing.platforms.copylink.CopyLinkPlatform",
    "sharing.platforms.native.NativeSharePlatform",
    # Follow-only platforms (own media).
    "sharing.platforms.douyin.DouyinPlatform",
    "sharing.platforms.bilibili.BilibiliPlatform",
    "sharing.platforms.xiaohongshu.XiaohongshuPlatform",
    "sharing.platforms.zhihu.ZhihuPlatform",
    "sharing.platforms.kuaishou.KuaishouPlatform",
    "sharing.platforms.youtube.YouTubePlatform",
    "sharing.platforms.instagram.InstagramPlatform",
    "sharing.platforms.tiktok.TikTokPlatform",
    "sharing.platforms.github.GitHubPlatform",
]
