"""Socialsite community: visitor accounts and profiles, user posts, comments,
reactions, moderation and listening, as a reusable Wagtail app."""
