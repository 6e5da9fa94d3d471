from django.urls import path

from .views import desk

app_name = "desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("claims/<int:pk>/", desk.claim_detail, name="claim"),
]
