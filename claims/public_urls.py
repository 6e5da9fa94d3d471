from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("claims/<int:pk>/<slug:slug>/", public.claim_detail, name="claim"),
    path("claimants/<slug:slug>/", public.claimant_detail, name="claimant"),
    path("sources/<int:pk>/", public.source_detail, name="source"),
    path("topics/<slug:slug>/", public.topic_detail, name="topic"),
]
