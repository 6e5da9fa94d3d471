from django.urls import path

from . import views

app_name = "linkcheck"

urlpatterns = [
    path("archive/<int:pk>/", views.capture_detail, name="capture"),
    path("archive/<int:pk>/warc/", views.capture_warc, name="capture_warc"),
    path("desk/links/", views.broken_links, name="broken_links"),
    path("desk/links/<int:pk>/check/", views.link_check, name="link_check"),
    path("desk/evidence/<int:pk>/check/", views.evidence_check, name="evidence_check"),
    path("desk/evidence/<int:pk>/capture/", views.evidence_capture, name="evidence_capture"),
]
