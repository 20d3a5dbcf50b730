"""Refuse an oversized request before anything reads its body, with a message giving the limit.

Django itself limits form bodies (``DATA_UPLOAD_MAX_MEMORY_SIZE``) only when a view reads
``request.POST``; Django REST framework's JSON parser reads the stream without that check, and
uploaded files have no limit at all. This middleware looks at ``Content-Length`` once:

- a multipart upload (spreadsheet imports) may be up to ``REGISTRY_MAX_UPLOAD_BYTES``;
- any other body (JSON, forms) up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

Past either the answer is 413, in the visitor's language, as JSON under /api/.
"""

from django.conf import settings

from registry.errors import request_too_large


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            is_upload = request.content_type == "multipart/form-data"
            limit = (
                settings.REGISTRY_MAX_UPLOAD_BYTES
                if is_upload
                else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            )
            if limit is not None and length > limit:
                return request_too_large(request, limit)
        return self.get_response(request)
