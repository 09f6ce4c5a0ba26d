"""Pages of a list: `?page=2`, `?page_size=` up to 200 (50 by default)."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
