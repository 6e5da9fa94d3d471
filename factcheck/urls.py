from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/", include("claims.desk_urls")),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.public_urls")),
]
