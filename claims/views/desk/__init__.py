"""Desk pages: where editors capture claims, gather evidence and sign off verdicts.

Every view needs an editor (anonymous visitors go to log in; other users get a 403); reviewer actions need a
reviewer. Views parse input, call a QuerySet verb or one workflow function, and render or redirect.
"""

from .accounts import profile, token_create, token_revoke
from .claims import (
    appearance_add,
    appearance_remove,
    approve,
    approve_update,
    assign,
    claim_detail,
    claim_new,
    close,
    discard_draft,
    evidence_add,
    evidence_edit,
    evidence_remove,
    reopen,
    send_back,
    verdict_propose,
)
from .dashboard import dashboard
from .preview import claim_preview
from .reference import claimant_edit, claimant_list, source_annotated, source_edit, source_list

__all__ = [
    "appearance_add",
    "appearance_remove",
    "approve",
    "approve_update",
    "assign",
    "claim_detail",
    "claim_new",
    "claim_preview",
    "claimant_edit",
    "claimant_list",
    "close",
    "dashboard",
    "discard_draft",
    "evidence_add",
    "evidence_edit",
    "evidence_remove",
    "profile",
    "reopen",
    "send_back",
    "source_annotated",
    "source_edit",
    "source_list",
    "token_create",
    "token_revoke",
    "verdict_propose",
]
