"""Community boards (Wagtail pages) and the posts members write on them:
stories, photos, reviews and questions."""
