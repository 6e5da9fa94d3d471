"""The board's addresses, under /desk/ (factcheck/urls.py)."""

from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/bulk/", views.bulk, name="bulk"),
    path("board/bulk/<str:key>/", views.bulk_results, name="bulk_results"),
    path("typeahead/claimants/", views.typeahead_claimants, name="typeahead_claimants"),
    path("typeahead/sources/", views.typeahead_sources, name="typeahead_sources"),
    path("claims/<int:pk>/reply/", views.tip_reply, name="tip_reply"),
]
