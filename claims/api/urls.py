"""/api/v1/: the URL map of DESIGN.md's API table. The schema and docs live at /api/schema/ and /api/docs/."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("claims/", views.ClaimList.as_view(), name="claims"),
    path("claims/similar/", views.SimilarClaims.as_view(), name="claims-similar"),
    path("claims/<int:claim_id>/", views.ClaimDetail.as_view(), name="claim"),
    path("claims/<int:claim_id>/evidence/", views.ClaimEvidence.as_view(), name="claim-evidence"),
    path("claims/<int:claim_id>/verdicts/", views.ClaimVerdicts.as_view(), name="claim-verdicts"),
    path("claims/<int:claim_id>/start/", views.StartClaim.as_view(), name="claim-start"),
    path("claims/<int:claim_id>/approve/", views.ApproveClaim.as_view(), name="claim-approve"),
    path("claims/<int:claim_id>/send-back/", views.SendBackClaim.as_view(), name="claim-send-back"),
    path("claims/<int:claim_id>/reopen/", views.ReopenClaim.as_view(), name="claim-reopen"),
    path("claims/<int:claim_id>/close/", views.CloseClaim.as_view(), name="claim-close"),
    path("claims/<int:claim_id>/approve-update/", views.ApproveUpdate.as_view(), name="claim-approve-update"),
    path("claims/<int:claim_id>/discard-draft/", views.DiscardDraft.as_view(), name="claim-discard-draft"),
    path("claims/<int:claim_id>/history/", views.ClaimHistory.as_view(), name="claim-history"),
    path("evidence/<int:evidence_id>/", views.EvidenceDetail.as_view(), name="evidence"),
    path("claimants/", views.ClaimantList.as_view(), name="claimants"),
    path("claimants/<int:claimant_id>/", views.ClaimantDetail.as_view(), name="claimant"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("sources/<int:source_id>/", views.SourceDetail.as_view(), name="source"),
    path("topics/", views.TopicList.as_view(), name="topics"),
    path("topics/<int:topic_id>/", views.TopicDetail.as_view(), name="topic"),
    path("ratings/", views.RatingList.as_view(), name="ratings"),
    path("claimreview/", views.ClaimReviewList.as_view(), name="claimreview"),
    # Last: anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^(?P<path>(?s:.*))$", views.not_found, name="not-found"),
]
