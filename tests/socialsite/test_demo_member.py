from community.models import Profile


def test_demo_visitor_has_a_profile_with_avatar(demo_site, client):
    profile = Profile.objects.get(user__username="visitor")
    assert profile.avatar and profile.avatar_small and profile.bio
    assert "绿茶" in profile.interests.names()
    page = client.get(f"/zh-hans/community/members/{profile.user_id}/")
    assert page.status_code == 200
    assert profile.avatar.url in page.content.decode()
