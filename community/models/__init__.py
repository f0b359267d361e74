from .comments import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    CommentsMixin,
    ThreadFollow,
)
from .insights import DailyMetric, DigestSubscription, KeywordGroup, Mention
from .posts import (
    CommunityBoardPage,
    Post,
    PostImage,
    PostKind,
    PostReaction,
    PostReport,
    PostTag,
)
from .profiles import Profile, ProfileInterest

__all__ = [
    "Comment",
    "CommentFlagReport",
    "CommentReaction",
    "CommentsMixin",
    "CommunityBoardPage",
    "Post",
    "PostImage",
    "PostKind",
    "PostReaction",
    "PostReport",
    "PostTag",
    "DailyMetric",
    "DigestSubscription",
    "KeywordGroup",
    "Mention",
    "Profile",
    "ProfileInterest",
    "ThreadFollow",
]
