"""factory-boy factories shared by the test packages."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")


class MemberFactory(UserFactory):
    """A visitor who has verified their e-mail address: may take part."""

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if not create:
            return
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


class CommentFactory(factory.django.DjangoModelFactory):
    """A published comment by a member on `content_object` (pass a page)."""

    class Meta:
        model = "community_comments.Comment"

    user = factory.SubFactory(MemberFactory)
    user_name = factory.LazyAttribute(lambda c: c.user.username)
    user_email = factory.LazyAttribute(lambda c: c.user.email)
    comment = factory.Sequence(lambda n: f"Comment number {n}: *lovely* tea.")
    site_id = 1
    language = "en"


class PostFactory(factory.django.DjangoModelFactory):
    """A published post by a member on `board` (pass a CommunityBoardPage)."""

    class Meta:
        model = "community_posts.Post"

    author = factory.SubFactory(MemberFactory)
    kind = "story"
    state = "published"
    title = factory.Sequence(lambda n: f"Post number {n}")
    body = "A few words about **tea**."
    language = "en"
