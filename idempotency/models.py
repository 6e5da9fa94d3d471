"""One row per create request that carried a key: who sent it, a fingerprint of what they sent, and what it
made. Kept in the database (not a process's memory) so that a retry reaching another app server is still
recognised, and a double click racing the first post meets the unique constraint."""

from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, help_text="e.g. 5f0c9b3e-… from an Idempotency-Key header or a form")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request: path, If-Match and body.")
    status_code = models.PositiveSmallIntegerField(help_text="The answer's status, e.g. 201.")
    body = models.TextField(blank=True, help_text="The answer's JSON body (API) or empty (desk).")
    location = models.CharField(max_length=500, blank=True,
                                help_text="The record made: its API Location or desk page, e.g. /desk/claims/42/.")
    etag = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_key_once_per_user")]

    def __str__(self):
        return f"{self.key} ({self.user_id})"
