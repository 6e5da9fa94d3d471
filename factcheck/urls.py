from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from claims.views import ops
from reviews import api as reviews_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("linkcheck.urls")),  # archived copies (/archive/…) and the desk's links (/desk/links/…)
    path("desk/inbox/", include("notifications.urls")),
    path("desk/", include("board.urls")),  # the board, bulk actions, type-ahead, replies to tipsters
    path("desk/", include("claims.desk_urls")),
    # Before the claims API, which ends in a catch-all 404.
    path("api/v1/", include("linkcheck.api")),
    path("api/v1/", include("notifications.api")),
    # Before claims' API: the ClaimReview export's ?include=others (reviews/api.py); the rest is claims'.
    path("api/v1/claimreview/", reviews_api.ClaimReviewList.as_view(), name="claimreview-with-others"),
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
    # Fact-checks by others (the reviews app): theirs, on pages of their own.
    path("checked-elsewhere/", include("reviews.urls")),
    path("", include("sharecards.urls")),  # /claims/<id>/card.png
    path("", include("claims.public_urls")),
]

# Styled pages, and JSON under /api/ (claims/views/errors.py).
handler400 = "claims.views.errors.bad_request"
handler403 = "claims.views.errors.permission_denied"
handler404 = "claims.views.errors.page_not_found"
handler500 = "claims.views.errors.server_error"
