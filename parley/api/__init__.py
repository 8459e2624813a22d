"""The REST API at /api/v1/ (docs/api.md): a thin layer over the same services and the same
Guardian as the pages. Nothing below it imports it."""
