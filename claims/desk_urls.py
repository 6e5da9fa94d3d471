"""The desk's addresses (DESIGN.md's URL map): /desk/, claims, sources, claimants and the editor's profile."""

from django.urls import path

from .views import desk

app_name = "desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("claims/new/", desk.claim_new, name="claim_new"),
    path("claims/<int:pk>/", desk.claim_detail, name="claim"),
    path("claims/<int:pk>/evidence/", desk.evidence_add, name="evidence_add"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/", desk.evidence_edit, name="evidence_edit"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/remove/", desk.evidence_remove, name="evidence_remove"),
    path("claims/<int:pk>/verdict/", desk.verdict_propose, name="verdict_propose"),
    path("claims/<int:pk>/preview/", desk.claim_preview, name="claim_preview"),
    path("claims/<int:pk>/approve/", desk.approve, name="approve"),
    path("claims/<int:pk>/send-back/", desk.send_back, name="send_back"),
    path("claims/<int:pk>/reopen/", desk.reopen, name="reopen"),
    path("claims/<int:pk>/close/", desk.close, name="close"),
    path("claims/<int:pk>/assign/", desk.assign, name="assign"),
    path("claims/<int:pk>/update/approve/", desk.approve_update, name="approve_update"),
    path("claims/<int:pk>/update/discard/", desk.discard_draft, name="discard_draft"),
    path("claims/<int:pk>/appearances/", desk.appearance_add, name="appearance_add"),
    path("claims/<int:pk>/appearances/<int:appearance_pk>/remove/", desk.appearance_remove,
         name="appearance_remove"),
    path("sources/", desk.source_list, name="sources"),
    path("sources/new/", desk.source_edit, name="source_new"),
    path("sources/<int:pk>/", desk.source_edit, name="source"),
    path("sources/<int:pk>/annotated/", desk.source_annotated, name="source_annotated"),
    path("claimants/", desk.claimant_list, name="claimants"),
    path("claimants/new/", desk.claimant_edit, name="claimant_new"),
    path("claimants/<int:pk>/", desk.claimant_edit, name="claimant"),
    path("profile/", desk.profile, name="profile"),
    path("profile/token/", desk.token_create, name="token_create"),
    path("profile/token/revoke/", desk.token_revoke, name="token_revoke"),
]
