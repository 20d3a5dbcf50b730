"""The OpenAPI schema says which errors each operation can answer, and their JSON shape.

``document_error_responses`` is a drf-spectacular postprocessing hook (see
``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``): it adds to every ``/api/v1/`` operation the
JSON error responses of the API (README) that it can give, with their schema, so a client
(and schemathesis) knows every status code it may see.
"""

#: A single message: 401, 403, 404, 405, 406, 409, 412, 413, 415, 429.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
    "required": ["detail"],
    "example": {"detail": "Không tìm thấy."},
}
#: 400: a message list per field or query parameter (``non_field_errors`` for rules across
#: fields), or a single ``detail`` (a body that is not JSON).
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    # A real answer: /stats/wastewater-compliance/?as_of=14/12/2025 (a date not in ISO form),
    # in the default language, Vietnamese.
    "example": {
        "as_of": ["Ngày sai định dạng. Dùng một trong những định dạng sau để thay thế: YYYY-MM-DD."]
    },
}

DESCRIPTIONS = {
    "400": "Invalid input: messages per field or query parameter.",
    "401": "No or invalid credentials.",
    "403": "No permission for this operation, or a record outside your districts.",
    "404": "No such record in your scope, or no such page.",
    "409": "The record still has dependent records and cannot be deleted.",
    "412": "If-Match names an older version: the record changed meanwhile.",
    "413": "The request body is too large.",
    "406": "The format asked for (`format` or `Accept`) is not offered here.",
    "415": "The request body is not JSON.",
    "429": "Too many requests from this account (or, without credentials, this address); "
    "retry after Retry-After seconds.",
}

#: Parameters whose description the generator leaves empty, by name.
PARAMETER_DESCRIPTIONS = {
    "format": "`json` (the default) or `csv` (UTF-8 with a byte-order mark, for Excel; a list "
    "gives every matching row, not one page). `Accept: text/csv` does the same.",
    "code": "The record's code, e.g. CCN-NGOC-HOI.",
    "id": "The record's id.",
    "district": "District by its three-digit code, e.g. 017; repeat the parameter for several.",
    "cluster": "Cluster by its code; repeat the parameter for several.",
    "commune": "Commune or ward (since 1 July 2025) by its five-digit code, e.g. 00070; repeat "
    "the parameter for several.",
}

#: The rate-limit headers every answer carries (registry.api.ratelimit).
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "Requests allowed in the window.",
    "RateLimit-Remaining": "Requests left in the window (this one counted).",
    "RateLimit-Reset": "Seconds until the current window ends.",
}

#: Detail paths whose records carry a version (ETag / If-Match).
VERSIONED = ("/api/v1/clusters/{code}/", "/api/v1/inspections/{id}/", "/api/v1/markets/{code}/")


def error_codes(path: str, method: str) -> list[str]:
    codes = ["401", "403", "429"]
    is_detail = "{" in path
    if is_detail or method == "get":
        codes.append("404")  # a record, or a page number past the end
    if method in ("get", "post", "put", "patch"):
        codes.append("400")
    if method == "get":
        codes.append("406")
    if method in ("post", "put", "patch"):
        codes += ["413", "415"]
    if method in ("put", "patch", "delete") and path in VERSIONED:
        codes.append("412")
    if method == "delete":
        codes.append("409")
    return codes


def document_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in (
                    PARAMETER_DESCRIPTIONS
                ):
                    parameter["description"] = PARAMETER_DESCRIPTIONS[parameter["name"]]
            for code, response in operation["responses"].items():
                content = response.get("content", {})
                if "text/csv" in content:
                    content["text/csv"] = {"schema": {"type": "string"}}
                if code.startswith("2"):
                    response.setdefault("headers", {}).update(
                        {
                            name: {"schema": {"type": "integer"}, "description": text}
                            for name, text in RATE_LIMIT_HEADERS.items()
                        }
                    )
            for code in error_codes(path, method):
                name = "ValidationError" if code == "400" else "Error"
                operation["responses"].setdefault(
                    code,
                    {
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                        "description": DESCRIPTIONS[code],
                    },
                )
            if "429" in operation["responses"]:
                operation["responses"]["429"].setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
    return result
