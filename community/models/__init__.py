from .profiles import Profile, ProfileInterest

__all__ = ["Profile", "ProfileInterest"]
