"""/api/v1/evidence/{id}/link/ (read: the link's health and archived copies), /check/ and /capture/ (editors)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from claims.api.permissions import is_editor, require, visible_evidence
from claims.api.schema import READ_ERRORS, WRITE_ERRORS, errors
from claims.api.views import APIBase
from claims.workflow import EDITOR_PERMISSION

from . import services
from .models import Capture, Link


class CaptureSerializer(serializers.ModelSerializer):
    # Blank until the page answers; a read-only URLField would promise a URI.
    final_url = serializers.CharField(read_only=True, help_text="Where the last redirect led; blank before.")
    text_url = serializers.SerializerMethodField()
    warc_url = serializers.SerializerMethodField()

    class Meta:
        model = Capture
        fields = ["id", "state", "requested_at", "captured_at", "status", "final_url", "content_type", "size",
                  "sha256", "warc_sha256", "text_url", "warc_url", "error"]
        read_only_fields = fields

    def get_text_url(self, capture) -> str | None:
        return self.context["request"].build_absolute_uri(capture.get_absolute_url()) if capture.text else None

    def get_warc_url(self, capture) -> str | None:
        return self.context["request"].build_absolute_uri(capture.get_warc_url()) if capture.warc else None


class LinkSerializer(serializers.ModelSerializer):
    final_url = serializers.CharField(read_only=True, help_text="Where the last redirect led; blank before.")
    captures = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = ["url", "health", "status", "final_url", "content_type", "size", "sha256", "elapsed_ms",
                  "error_code", "error", "consecutive_failures", "last_checked_at", "last_ok_at", "next_check_at",
                  "captures"]
        read_only_fields = fields

    @extend_schema_field(CaptureSerializer(many=True))
    def get_captures(self, link):
        return CaptureSerializer(self.context["captures"], many=True, context=self.context).data


class EvidenceLinkView(APIBase):
    serializer_class = LinkSerializer

    def get_evidence(self):
        """The item as the caller sees it: the desk's working copy for editors, the approved copy for others,
        for whom a withheld item (its link and copies are the desk's) or one without a URL is a 404."""
        evidence = get_object_or_404(visible_evidence(self.request.user), pk=self.kwargs["evidence_id"])
        if not is_editor(self.request.user):
            evidence = evidence.public_version()
            if evidence.withheld:
                raise Http404
        if not evidence.url:
            raise Http404
        return evidence


class EvidenceLink(EvidenceLinkView):
    @extend_schema(summary="An evidence link's health and archived copies",
                   description="Withheld evidence answers 404 to anyone but editors. Copies newest first; the "
                               "public sees captured copies only.",
                   responses={200: LinkSerializer, **errors(*READ_ERRORS)})
    def get(self, request, evidence_id):
        evidence = self.get_evidence()
        link = Link.objects.filter(url=evidence.url).first() or Link(url=evidence.url)
        captures = Capture.objects.filter(link=link) if link.pk else Capture.objects.none()
        if not is_editor(request.user):
            captures = captures.captured()
        context = {"request": request, "captures": list(captures[:20])}
        return Response(LinkSerializer(link, context=context).data)


class EvidenceCheck(EvidenceLinkView):
    @extend_schema(summary="Check an evidence link again (editors)", request=None,
                   responses={202: None, **errors(*WRITE_ERRORS)})
    def post(self, request, evidence_id):
        evidence = self.get_evidence()
        require(request.user, EDITOR_PERMISSION)
        links, _created = services.links_for([evidence.url])
        services.request_check(link=links[evidence.url])
        return Response({"detail": "The link will be checked in a moment."}, status=status.HTTP_202_ACCEPTED)


class EvidenceCapture(EvidenceLinkView):
    @extend_schema(summary="Capture a new archived copy of an evidence page (editors)", request=None,
                   responses={202: CaptureSerializer, **errors(*WRITE_ERRORS)})
    def post(self, request, evidence_id):
        evidence = self.get_evidence()
        require(request.user, EDITOR_PERMISSION)
        capture = services.request_capture(evidence=evidence, actor=request.user)
        return Response(CaptureSerializer(capture, context={"request": request}).data,
                        status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("evidence/<int:evidence_id>/link/", EvidenceLink.as_view(), name="evidence-link"),
    path("evidence/<int:evidence_id>/check/", EvidenceCheck.as_view(), name="evidence-check"),
    path("evidence/<int:evidence_id>/capture/", EvidenceCapture.as_view(), name="evidence-capture"),
]
