"""Notifications: a desk inbox and email for the people a claim's events concern. They are derived from the
ClaimEvent history after it commits (and from broken links), never written by the workflow itself; a
notification's ``key`` makes each one unique per person, so processing an event again never notifies twice."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    ASSIGNED = "assigned", "A claim is assigned to me"
    SENT_BACK = "sent_back", "My verdict is sent back to me"
    AWAITING_REVIEW = "awaiting_review", "A verdict awaits my review"
    APPROVED = "approved", "My verdict is approved"
    PUBLISHED = "published", "A claim I worked on is published"
    LINK_BROKEN = "link_broken", "A link I cited is broken"


class NotificationQuerySet(models.QuerySet):
    def for_inbox(self, user):
        """The inbox page and API list: a person's notifications, newest first, with their claims."""
        return self.filter(recipient=user).select_related("claim").order_by("-created_at", "-id")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Email(models.TextChoices):
        PENDING = "pending", "To send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not wanted"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100, help_text="What it is about, unique per person, e.g. event:42")
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to act, e.g. /desk/claims/12/")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.SKIPPED)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_person")]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["email"], name="notification_email",
                         condition=models.Q(email="pending")),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """Whether a person gets a kind of notification by email too (the inbox always has it). No row: yes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {'email' if self.email else 'inbox only'}"


class EventCursor(models.Model):
    """One row: events from before ``since`` (when notifications were first processed) notify nobody, so that
    turning notifications on does not email the past. Its lock also keeps two sweeps from running at once."""

    since = models.DateTimeField()

    def __str__(self):
        return f"notifying of events since {self.since:%Y-%m-%d %H:%M:%S}"


class ProcessedEvent(models.Model):
    """An event the sweep has turned into notifications already. An event that commits late (its transaction
    ran long) is simply one not here yet, whenever it shows up."""

    event = models.OneToOneField("claims.ClaimEvent", on_delete=models.CASCADE, primary_key=True, related_name="+")
    processed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"event {self.event_id}"
