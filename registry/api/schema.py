"""The OpenAPI schema says which errors each operation can answer, and their JSON shape.

``document_error_responses`` is a drf-spectacular postprocessing hook (see
``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``): it adds to every ``/api/v1/`` operation the
JSON error responses of DESIGN.md section 6 that it can give, with their schema, so a client
(and schemathesis) knows every status code it may see.
"""

#: A single message: 401, 403, 404, 405, 409, 412, 413, 415, 429.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
    "required": ["detail"],
}
#: 400: a message list per field or query parameter (``non_field_errors`` for rules across
#: fields), or a single ``detail`` (a body that is not JSON).
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

DESCRIPTIONS = {
    "400": "Invalid input: messages per field or query parameter.",
    "401": "No or invalid credentials.",
    "403": "No permission for this operation, or a record outside your districts.",
    "404": "No such record in your scope, or no such page.",
    "409": "The record still has dependent records and cannot be deleted.",
    "412": "If-Match names an older version: the record changed meanwhile.",
    "413": "The request body is too large.",
    "415": "The request body is not JSON.",
    "429": "Too many requests with this token; retry after Retry-After seconds.",
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
    return result
