"""The OpenAPI schema says every status an operation can answer, each with the body it has.

drf-spectacular documents the success response a view declares; the errors come from layers it does not see
(authentication, permissions, the query-string and body middlewares, paging, throttles). This AutoSchema adds
them from what the view is: who may call it, whether it reads a path id, a body, pages, or is throttled.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny
from rest_framework.relations import RelatedField

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, in a sentence.",
}
# A 400 is `{"<field or path>": ["problem", ...]}` (nested for nested fields) or, for a body that cannot be
# parsed, `{"detail": "..."}`.
PROBLEMS = {
    "type": "object",
    "additionalProperties": {},
    "description": "`{field: [problem, ...]}` (nested for nested fields), or `{detail}` for an unreadable body.",
}
CONFLICT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "current_version": {"type": "integer"}},
    "required": ["detail", "current_version"],
    "description": "The version given is stale; nothing was written.",
}

DESCRIPTIONS = {
    "400": "Invalid input (a parameter, the body, or text no database can hold), named by field.",
    "401": "No credentials, or a token that is wrong or has expired.",
    "403": "The user's role does not allow this (or the user has no role; a session without its CSRF token).",
    "404": "No such item visible to this user, or no such page.",
    "409": "The version given is stale: `{detail, current_version}`; nothing was written.",
    "413": "The request body is larger than the limit.",
    "415": "The body's media type is not one this operation reads.",
    "429": "Too many requests or failed log-ins from this address; see `Retry-After` when throttled.",
}

BODY_METHODS = {"POST", "PUT", "PATCH"}


def empty_allowed(schema: dict) -> dict:
    """An empty query value means "no filter" (as an HTML form sends an unset field): say so for the choices
    and ids, whose schema would otherwise refuse ""."""
    if "enum" in schema and "" not in schema["enum"]:
        return schema | {"enum": [*schema["enum"], ""]}
    if schema.get("format") == "uuid":
        return {"oneOf": [schema, {"type": "string", "maxLength": 0}]}
    return schema


class ErrorAwareAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                parameter["schema"] = empty_allowed(parameter["schema"])
        responses = operation.setdefault("responses", {})
        for status in self.error_statuses(operation):
            if status not in responses or "content" not in responses[status]:
                description = responses.get(status, {}).get("description") or DESCRIPTIONS[status]
                responses[status] = {
                    "content": {"application/json": {"schema": self._error_component(status)}},
                    "description": description,
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, RelatedField) and field.allow_null:
            # DRF reads "" as null for a relation (RelatedField.run_validation), so "" is a valid input.
            schema.pop("minLength", None)
        return schema

    def error_statuses(self, operation) -> list[str]:
        # Every operation reads a query string, which may hold text no database can store: 400.
        statuses = ["400"]
        if self._needs_credentials():
            statuses += ["401", "403"]
        parameters = operation.get("parameters", [])
        # A path id, a page, or a project the user is not a member of (`project`) may be not found.
        if any(p["in"] == "path" for p in parameters) or any(p["name"] in ("page", "project") for p in parameters):
            statuses.append("404")
        if "409" in operation.get("responses", {}):  # declared by the views that check a version
            statuses.append("409")
        if self.method in BODY_METHODS:
            statuses += ["413", "415"]
        if self.view.get_throttles():
            statuses.append("429")
        return statuses

    def _needs_credentials(self) -> bool:
        permissions = self.view.get_permissions()
        return bool(permissions) and not all(isinstance(p, AllowAny) for p in permissions)

    def _error_component(self, status: str) -> dict:
        name, schema = {"400": ("ValidationProblems", PROBLEMS), "409": ("StaleVersion", CONFLICT)}.get(
            status, ("Error", ERROR)
        )
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref
