"""The intake workspace, under the desk's sources."""

from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("sources/<int:pk>/intake/", views.workspace, name="workspace"),
    path("sources/<int:pk>/intake/capture/", views.capture, name="capture"),
    path("sources/<int:pk>/intake/appearance/", views.record_appearance, name="appearance"),
]
