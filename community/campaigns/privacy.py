"""What the campaigns app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`)."""

from django.db.models import Count, F
from django.db.models.functions import Greatest

from community.campaigns.models import (
    Entry,
    ReferralCode,
    ReferralSignup,
    SurveyResponse,
    Vote,
)
from community.privacy import Section, iso


class CampaignsData(Section):
    """The member's votes, survey responses and personal share code (with
    what it brought). Their entries are posts (the posts' section)."""

    def export(self, user):
        code = ReferralCode.objects.filter(user=user).first()
        return {
            "votes": [
                {
                    "entry": vote.entry_id,
                    "title": vote.entry.post.title,
                    "voted_at": iso(vote.created_at),
                    "voided": vote.voided,
                }
                for vote in Vote.objects.filter(user=user)
                .select_related("entry__post")
                .order_by("pk")
            ],
            "survey_responses": [
                {
                    "page": response.page_id,
                    "answers": response.answers,
                    "answered_at": iso(response.created_at),
                }
                for response in SurveyResponse.objects.filter(user=user).order_by("pk")
            ],
            "referral_code": code.code if code else None,
            "referral_visits": code.visits.count() if code else 0,
            "referral_signups": code.signups.count() if code else 0,
            "referred_by": ReferralSignup.objects.filter(user=user).exists(),
        }

    def erase(self, user, mode):
        """The share code and its numbers go in either mode. Votes and
        survey responses are kept without the member ("anonymise"), or
        deleted with the votes taken off their entries' counts ("remove")."""
        ReferralCode.objects.filter(user=user).delete()
        if mode == "remove":
            counted = (
                Vote.objects.filter(user=user, voided=False)
                .values("entry_id")
                .annotate(n=Count("pk"))
            )
            for row in counted:
                Entry.objects.filter(pk=row["entry_id"]).update(
                    vote_count=Greatest(F("vote_count") - row["n"], 0)
                )
            Vote.objects.filter(user=user).delete()
            SurveyResponse.objects.filter(user=user).delete()
        else:
            Vote.objects.filter(user=user).update(user=None)
            SurveyResponse.objects.filter(user=user).update(user=None)
        return []
