"""/api/v1/analysis/ and /api/v1/sources/{id}/analysis/: intake for editors' tools."""

from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims.api.permissions import require
from claims.api.schema import READ_ERRORS, WRITE_ERRORS, errors
from claims.api.serializers import StrictCharField, StrictSerializerMixin
from claims.api.views import APIBase
from claims.models import Source, as_id
from claims.workflow import EDITOR_PERMISSION

from . import analysis, limits


class MatchSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The matched claim's id.")
    url = serializers.CharField(help_text="Its desk page.")
    score = serializers.FloatField(help_text="0 to 1: embedding cosine and BM25 combined.")
    origin = serializers.ChoiceField(["ours", "other_publisher"],
                                     help_text="Our fact-check, or another publisher's imported review.")


class SentenceSerializer(serializers.Serializer):
    start = serializers.IntegerField(allow_null=True, help_text="Offset in the text (null for given sentences).")
    end = serializers.IntegerField(allow_null=True, help_text="text[start:end] is the sentence.")
    text = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="Check-worthiness 0..1; null: not scored (not English).")
    matches = MatchSerializer(many=True)


class AnalysisResultSerializer(serializers.Serializer):
    sentences = SentenceSerializer(many=True)


class AnalysisRequestSerializer(StrictSerializerMixin, serializers.Serializer):
    # Strict as the register's own bodies: an unknown key is refused, and a number is no text.
    text = StrictCharField(required=False, allow_blank=True, trim_whitespace=False,
                           max_length=limits.MAX_TEXT_CHARACTERS)
    language = StrictCharField(required=False, default="en", max_length=35, help_text="BCP-47, e.g. en")
    sentences = serializers.ListField(
        child=StrictCharField(max_length=limits.MAX_SENTENCE_CHARACTERS), required=False,
        max_length=limits.MAX_SENTENCES,
    )

    class Meta:
        editor_only = ()

    def validate(self, data):
        if ("text" in data) == ("sentences" in data):
            raise serializers.ValidationError("Send either text or sentences.")
        return data


class AnalysisRequestSchema(OpenApiSerializerExtension):
    # The schema says what validate() enforces: exactly one of text and sentences.
    target_class = AnalysisRequestSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        # As "not both, and not neither": a generated client's models read ``not`` as a plain object, where
        # a top-level oneOf broke openapi-python-client's output.
        either = {"anyOf": [{"required": ["text"]}, {"required": ["sentences"]}]}
        return {**schema, "minProperties": 1,
                "not": {"anyOf": [{"required": ["text", "sentences"]}, {"not": either}]}}


@extend_schema(tags=["intake"])
class Analysis(APIBase):
    permission_classes = [IsAuthenticated]
    serializer_class = AnalysisRequestSerializer
    pagination_class = None

    @extend_schema(
        summary="Check-worthy sentences and repeats of checked claims in a text (editors)",
        description="Give `text` (split here, with offsets) or `sentences` (already split). Each sentence gets a "
                    "check-worthiness `score` (null when it is not English) and its likely repeats of claims in "
                    "the register.",
        request=AnalysisRequestSerializer,
        responses={200: AnalysisResultSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request):
        require(request.user, EDITOR_PERMISSION)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "text" in data:
            sentences = analysis.analyse_text(data["text"], language=data["language"])
        else:
            sentences = analysis.analyse_sentences(data["sentences"], language=data["language"])
        return Response(AnalysisResultSerializer({"sentences": sentences}).data)


@extend_schema(tags=["intake"])
class SourceAnalysis(APIBase):
    permission_classes = [IsAuthenticated]
    serializer_class = AnalysisResultSerializer
    pagination_class = None

    @extend_schema(
        summary="A source's full text analysed (editors)",
        description="The source's sentences with their offsets in its text, check-worthiness and matches.",
        responses={200: AnalysisResultSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request, source_id):
        require(request.user, EDITOR_PERMISSION)
        source = get_object_or_404(Source, pk=as_id(source_id) or 0)
        rows = analysis.with_matches(source, analysis.current_analysis(source))
        return Response(AnalysisResultSerializer({"sentences": rows}).data)
