from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from claims.views import ops

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/", include("claims.desk_urls")),
    path("desk/", include("intake.desk_urls")),
    path("api/v1/", include("intake.api_urls")),  # before the register's API, whose last pattern is a JSON 404
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # Redoc runs its search index in a worker built from a blob: URL; only this page's policy allows that.
    path("api/redoc/", csp_update({"worker-src": ["'self'", "blob:"]})(SpectacularRedocView.as_view(url_name="schema")),
         name="api-redoc"),
    # Probes for load balancers: before the public site, outside its cache, no login.
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("", include("claims.public_urls")),
]
