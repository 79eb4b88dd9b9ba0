"""Post-processing of the OpenAPI schema: every operation documents the errors it can answer.

Authentication, scope and parsing apply to every operation, so each can answer 400 (a malformed
parameter or body), 401 (no or a bad token), 403 (a role that may not) and 404 (nothing of that
id within the caller's units, or a page past the end); an operation's own description of one of
those is kept, and given the error body's schema."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error: `detail` for a refusal, or one list of messages per field or parameter.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "A parameter or the body is malformed (an empty or non-numeric number, a value outside its list, "
           "a body nested too deep).",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "The caller's role does not allow this.",
    "404": "Nothing with this id within the caller's units, or a page past the last one.",
}
METHODS = {"get", "put", "patch", "post", "delete", "head", "options"}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                response = responses.setdefault(code, {"description": description})
                response.setdefault("content", content)
    return result
