import io

from django.core.management import call_command

from community.comments.models import Comment, CommentReaction, ThreadFollow


def counts():
    return (
        Comment.objects.count(),
        CommentReaction.objects.count(),
        ThreadFollow.objects.count(),
    )


def test_demo_threads_in_both_languages_with_a_brand_reply(demo_site, client):
    languages = set(Comment.objects.values_list("language", flat=True))
    assert languages == {"en", "zh-hans"}
    official = Comment.objects.filter(is_official=True).exclude(
        content_type__model="post"  # official answers to questions on boards
    )
    assert {c.language for c in official} == {"en", "zh-hans"}
    assert all(c.level == 1 for c in official)
    page = client.get(official.first().get_absolute_url().split("#")[0])
    assert "Official" in page.content.decode() or "官方" in page.content.decode()
    before = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == before
