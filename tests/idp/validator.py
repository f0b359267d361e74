from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            # Users whose last name is "unverified" have an unproven address.
            "email_verified": user.last_name != "unverified",
            "name": user.first_name,
            "preferred_username": user.username,
        }
