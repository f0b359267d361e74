from .comments import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    CommentsMixin,
    ThreadFollow,
)
from .profiles import Profile

__all__ = ["Profile"]
__all__ += [
    "Comment",
    "CommentFlagReport",
    "CommentReaction",
    "CommentsMixin",
    "ThreadFollow",
]
