from .comments import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    CommentsMixin,
    ThreadFollow,
)
from .insights import DailyMetric, DigestSubscription, KeywordGroup, Mention
from .profiles import Profile, ProfileInterest

__all__ = [
    "Comment",
    "CommentFlagReport",
    "CommentReaction",
    "CommentsMixin",
    "DailyMetric",
    "DigestSubscription",
    "KeywordGroup",
    "Mention",
    "Profile",
    "ProfileInterest",
    "ThreadFollow",
]
