"""E-mails about posts: the outcome of a moderator's decision."""

from django_tasks import task

from community.notifications import send
from community.posts.models import Post

POST_OUTCOMES = {"approve": "approved", "reject": "rejected", "remove": "removed"}


@task()
def send_post_moderation_outcome(post_id, action, previous_state):
    """Tell the author that their post was published after being held,
    rejected (with the reason) or removed."""
    post = Post.objects.select_related("author", "board").filter(pk=post_id).first()
    if post is None or post.author is None or not post.author.email:
        return False
    if action == "approve" and previous_state != Post.State.PENDING:
        return False
    board_url = post.board.get_full_url() or ""
    send(
        f"community_posts/email/post_{POST_OUTCOMES[action]}",
        post.author.email,
        post.language,
        {
            "post": post,
            "post_url": board_url + post.board.reverse_subpage("post", args=[post.pk]),
            "board_url": board_url,
        },
    )
    return True


def notify_post_moderation(post_id, action, previous_state):
    send_post_moderation_outcome.enqueue(post_id, action, previous_state)
