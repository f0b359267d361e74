from .comments import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    CommentsMixin,
    ThreadFollow,
)
from .profiles import Profile, ProfileInterest

__all__ = [
    "Comment",
    "CommentFlagReport",
    "CommentReaction",
    "CommentsMixin",
    "Profile",
    "ProfileInterest",
    "ThreadFollow",
]
