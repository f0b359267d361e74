from .profiles import Profile

__all__ = ["Profile"]
