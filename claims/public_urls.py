from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .feeds import LatestFactChecks
from .sitemaps import SITEMAPS
from .views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("claims/", public.claim_index, name="claims"),
    path("claims/<int:pk>/", public.claim_detail, name="claim_short"),
    path("claims/<int:pk>/<str:slug>/", public.claim_detail, name="claim"),
    path("claimants/<str:slug>/", public.claimant_detail, name="claimant"),
    path("sources/<int:pk>/", public.source_detail, name="source"),
    path("topics/<slug:slug>/", public.topic_detail, name="topic"),
    path("corrections/", public.corrections, name="corrections"),
    path("methodology/", public.methodology, name="methodology"),
    path("submit/", public.submit, name="submit"),
    path("submit/thanks/", public.submit_thanks, name="submit_thanks"),
    path("feeds/latest/", LatestFactChecks(), name="feeds"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public.robots_txt, name="robots"),
    path("ratings.css", public.rating_styles, name="rating_styles"),
]
