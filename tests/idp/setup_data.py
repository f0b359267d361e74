"""Creates the IdP's users and the OAuth application (run in the IdP process:
`python -m django shell -c "import tests.idp.setup_data as s; s.run()"`)."""

import os


def run():
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import Application

    User = get_user_model()
    for username, email, name, last in [
        ("jade", "jade@example.com", "Jade Wu", ""),
        ("mallory", "victim@example.com", "Mallory", "unverified"),
    ]:
        user = User.objects.create_user(username, email, "idp-pass-1")
        user.first_name, user.last_name = name, last
        user.save()
    Application.objects.create(
        name="Cloudmist Tea",
        client_id="cloudmist",
        client_secret="cloudmist-secret",  # noqa: S106
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
