"""The NinjaAPI instance: version 1, its routers, its error shape and its documents.

Why django-ninja (docs/api.md): it builds the OpenAPI 3.1 document from the type hints the
routes already need for validation (pydantic 2), ships Swagger UI's files so the
documentation page needs no CDN, runs inside Django (sessions, CSRF, middleware, the same
Guardian and services), and is small and actively kept. Django REST framework would bring
a second serialisation and permission system beside the Guardian.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Swagger

from . import auth, errors
from .routers import (
    alerts,
    attachments,
    conversations,
    editor,
    forums,
    links,
    members,
    moderation,
    polls,
    posts,
    preferences,
    search,
    tags,
    threads,
    timeline,
    watching,
    whatsnew,
)

VERSION = "1"


class ParleyAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        _mark_guest_operations(self, schema)
        return schema


def _mark_guest_operations(api: NinjaAPI, schema: Any) -> None:
    """Operations guests may call list the empty requirement `{}` beside the token and the
    session, which is how OpenAPI says "authentication optional"."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if not any(isinstance(a, auth.Guest) for a in operation.auth_callbacks or []):
                    continue
                for item in schema["paths"].values():
                    for op in item.values():
                        if isinstance(op, dict) and op.get("operationId") == operation.operation_id:
                            op.setdefault("security", []).append({})


api = ParleyAPI(
    title="Parley API",
    version=VERSION,
    description=(
        "Everything a member can do in the browser, through the same permissions. "
        "Authenticate with a personal API token (`Authorization: Bearer parley_…`, created on "
        "/account/api-tokens/) or the browser session (send the CSRF token on writes). "
        'Errors always look like `{"error": {"code", "message", "fields"}}`; long lists '
        "are paged by `?cursor=`."
    ),
    urls_namespace="api_v1",
    docs=Swagger(settings={"persistAuthorization": True, "tryItOutEnabled": False}),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/forums", forums.router)
api.add_router("/threads", threads.router)
api.add_router("/threads", polls.router)
api.add_router("/posts", posts.router)
api.add_router("", posts.types_router)
api.add_router("/conversations", conversations.router)
api.add_router("/moderation", moderation.router)
api.add_router("/search", search.router)
api.add_router("/members", members.router)
api.add_router("", members.me_router)
api.add_router("/alerts", alerts.router)
api.add_router("", watching.router)
api.add_router("", whatsnew.router)
api.add_router("", tags.router)
api.add_router("/links", links.router)
api.add_router("", editor.router)
api.add_router("", preferences.router)
api.add_router("/attachments", attachments.router)
api.add_router("/threads", timeline.router)


class Index(Schema):
    version: str
    openapi: str
    docs: str


@api.get("/", response=Index, auth=None, summary="Where the API's documents are", tags=["index"])
def index(request: HttpRequest) -> Index:
    return Index(version=VERSION, openapi="/api/v1/openapi.json", docs="/api/v1/docs/")
