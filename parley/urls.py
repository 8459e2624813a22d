from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from parley.core.views import healthz

# A database that cannot be reached is a 503 with Retry-After, not a 500 (docs/security.md).
handler500 = "parley.core.failures.server_error"

admin.site.site_header = "Parley administration"
admin.site.site_title = "Parley admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Uploaded and fetched images (link-card pictures, the demo photograph). One machine
    # serves them itself; a scaled-out site points MEDIA_URL at its storage instead.
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("parley.moderation.urls")),
    path("", include("parley.members.urls")),
    path("", include("parley.links.urls")),
    path("", include("parley.engagement.urls")),
    path("", include("parley.conversations.urls")),
    path("", include("parley.webpush.urls")),
    path("", include("parley.alerts.urls")),
    path("", include("parley.forums.urls")),
]
