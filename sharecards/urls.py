from django.urls import path

from . import views

app_name = "sharecards"

urlpatterns = [
    path("claims/<int:pk>/card.png", views.card, name="card"),
]
