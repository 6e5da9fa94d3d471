"""/api/v1/notifications/: the caller's inbox; POST …/{id}/read/ marks one read."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims.api.schema import READ_ERRORS, WRITE_ERRORS, errors
from claims.api.views import APIBase

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "claim", "url", "created_at", "read_at", "email", "emailed_at"]
        read_only_fields = fields


UNREAD, ALL = ("1", "true", "yes"), ("0", "false", "no")


class NotificationList(APIBase):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    pagination_class = None  # a plain list of the latest 100; the schema said a paginated page

    @extend_schema(summary="My notifications, newest first (the latest 100)",
                   parameters=[OpenApiParameter("unread", bool, description="Only unread ones.")],
                   responses={200: NotificationSerializer(many=True), **errors(*READ_ERRORS, 400)})
    def get(self, request):
        notifications = Notification.objects.for_inbox(request.user)
        unread = request.query_params.get("unread")
        if unread not in (None, *UNREAD, *ALL):
            raise ValidationError({"unread": ["Give true or false."]})
        if unread in UNREAD:
            notifications = notifications.unread()
        return Response(NotificationSerializer(notifications[:100], many=True).data)


class NotificationRead(APIBase):
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    @extend_schema(summary="Mark a notification read", request=None,
                   responses={200: NotificationSerializer, **errors(*WRITE_ERRORS)})
    def post(self, request, notification_id):
        notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notifications"),
    path("notifications/<int:notification_id>/read/", NotificationRead.as_view(), name="notification-read"),
]
