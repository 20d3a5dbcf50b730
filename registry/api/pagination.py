"""Page-number pagination: ``{count, next, previous, results}``, ``page`` and ``page_size``."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """50 rows a page by default; ``page_size`` up to 500 (a larger value is capped, not an
    error; a value that is not a positive number falls back to the default)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
