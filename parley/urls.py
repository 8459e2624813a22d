from django.contrib import admin
from django.urls import include, path, re_path

from parley.api.site import api
from parley.core.media import serve_media
from parley.core.views import healthz

# A database that cannot be reached is a 503 with Retry-After, not a 500 (docs/security.md).
handler500 = "parley.core.failures.server_error"

admin.site.site_header = "Parley administration"
admin.site.site_title = "Parley admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The REST API (docs/api.md): its documents at /api/v1/openapi.json and /api/v1/docs/.
    path("api/v1/", api.urls),
    path("", include("parley.api.urls")),
    # Uploaded and fetched images (link-card pictures, the demo photograph), read through the
    # storage API: a local folder, or an S3-compatible bucket (docs/servers.md).
    re_path(r"^media/(?P<path>.+)$", serve_media),
    path("", include("parley.moderation.urls")),
    path("", include("parley.people.urls")),
    path("", include("parley.members.urls")),
    path("", include("parley.links.urls")),
    path("", include("parley.search.urls")),
    path("", include("parley.stories.urls")),
    path("", include("parley.sources.urls")),
    path("", include("parley.engagement.urls")),
    path("", include("parley.tags.urls")),
    path("", include("parley.polls.urls")),
    path("", include("parley.liveevents.urls")),
    path("", include("parley.conversations.urls")),
    path("", include("parley.webpush.urls")),
    path("", include("parley.alerts.urls")),
    path("", include("parley.editor.urls")),
    path("", include("parley.attachments.urls")),
    path("", include("parley.feeds.urls")),
    path("", include("parley.forums.urls")),
]
