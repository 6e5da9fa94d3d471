from django.urls import path

from . import api

app_name = "intake-api"

urlpatterns = [
    path("analysis/", api.Analysis.as_view(), name="analysis"),
    path("sources/<int:source_id>/analysis/", api.SourceAnalysis.as_view(), name="source-analysis"),
]
