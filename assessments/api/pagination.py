"""Pages of a list: `?page=2`, `?page_size=` up to 200 (50 by default)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """DRF's, with `next` and `previous` null on the last and first page, as OpenAPI 3.1
        spells it (`nullable` is OpenAPI 3.0 and means nothing to a 3.1 validator)."""
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }
