"""The REST API's root: /api/v1/, its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Hemma API",
    version="1",
    description="Programmes for promoting integration: read, import and export.",
    urls_namespace="api",
)
