"""Comments on pages and other objects: django-comments-xtd's threaded
comments with moderation, likes, flags and thread follows."""
