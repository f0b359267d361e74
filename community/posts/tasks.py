"""Background work of community posts (django-tasks)."""

from django_tasks import task

from community.posts.pictures import process_pending


@task()
def process_post_pictures(post_id):
    """Decode and render the pictures a member just uploaded to a post (see
    `community.posts.pictures`), then show the post."""
    process_pending(post_id)
