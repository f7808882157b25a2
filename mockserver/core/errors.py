"""One error hierarchy, rendered by one handler as InsurUp's problem body.

The fields are those the .NET SDK and the TypeScript SDK read (``type``, ``title``, ``status``,
``detail``, ``codes``, ``validationErrors``, ``traceId``, ``suggestions``), plus ``message`` and
``errors`` (a list of strings) because a real B2C site reads those (real-b2c-site.md §1.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROBLEM_BASE = "https://api.insurup.com/problems/"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input: ``propertyName`` is the camelCase path of the field as sent."""

    property_name: str
    message: str
    attempted_value: Any = None

    def to_wire(self) -> dict[str, Any]:
        value = self.attempted_value
        if not isinstance(value, (str, int, float, bool, type(None))):
            value = None
        return {"propertyName": self.property_name, "errorMessage": self.message, "attemptedValue": value}


class SandboxError(Exception):
    """Base of every error the API answers with. Subclasses fix type, title and status."""

    status = 500
    slug = "internal"
    title = "Internal error"

    def __init__(
        self,
        detail: str,
        *,
        codes: list[str] | tuple[str, ...] = (),
        field_errors: list[FieldError] | tuple[FieldError, ...] = (),
        suggestions: list[str] | tuple[str, ...] = (),
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.codes = list(codes)
        self.field_errors = list(field_errors)
        self.suggestions = list(suggestions)
        if status is not None:
            self.status = status
        self.headers = headers or {}

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def to_problem(self, trace_id: str, instance: str | None = None) -> dict[str, Any]:
        messages = [fe.message if fe.property_name in fe.message else f"{fe.property_name}: {fe.message}"
                    for fe in self.field_errors]
        return {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "codes": self.codes,
            "validationErrors": [fe.to_wire() for fe in self.field_errors],
            "suggestions": self.suggestions,
            "traceId": trace_id,
            "message": self.detail,
            "errors": messages or [self.detail],
        }


class BadRequest(SandboxError):
    """The request could not be read at all (malformed JSON, wrong content type)."""

    status = 400
    slug = "input-validation"
    title = "Malformed request"


class InputValidation(SandboxError):
    status = 422
    slug = "input-validation"
    title = "One or more fields are invalid"

    def __init__(self, detail: str, **kwargs: Any):
        fields = kwargs.get("field_errors") or ()
        if fields and not any(fe.property_name in detail for fe in fields):
            detail = f"{detail} " + "; ".join(f"{fe.property_name}: {fe.message}" for fe in fields)
        super().__init__(detail, **kwargs)


class BusinessValidation(SandboxError):
    status = 422
    slug = "business-validation"
    title = "A business rule was violated"


class NotFound(SandboxError):
    status = 404
    slug = "resource-not-found"
    title = "Resource not found"


class EndpointNotFound(SandboxError):
    status = 404
    slug = "endpoint-not-found"
    title = "Endpoint not found"


class MethodNotAllowed(SandboxError):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"


class Unauthorized(SandboxError):
    status = 401
    slug = "unauthorized"
    title = "Unauthorized"


class AccessDenied(SandboxError):
    status = 403
    slug = "access-denied"
    title = "Access denied"


class Duplicate(SandboxError):
    status = 409
    slug = "resource-duplicate"
    title = "Resource already exists"


class InvalidState(SandboxError):
    status = 409
    slug = "resource-invalid-state"
    title = "Resource is not in a state that allows this"


class PayloadTooLarge(SandboxError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnsupportedMediaType(SandboxError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class RequestTimeout(SandboxError):
    status = 408
    slug = "request-timeout"
    title = "Request timeout"


class TooManyRequests(SandboxError):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


class MisdirectedRequest(SandboxError):
    status, slug, title = 421, "misdirected-request", "Misdirected request"


class FeatureNotSupported(SandboxError):
    status = 501
    slug = "feature-not-supported"
    title = "Not implemented by the sandbox"


class Upstream(SandboxError):
    status = 502
    slug = "upstream-service"
    title = "An upstream service failed"


def field_error(path: str, message: str, value: Any = None, *, code: str | None = None) -> InputValidation:
    """Shorthand for a 422 about one field."""
    return InputValidation(f"{path}: {message}", codes=[code] if code else [],
                           field_errors=[FieldError(path, message, value)])


def same_as_path(given: Any, key: str, expected: str, *, code: str | None = None) -> None:
    """A body that repeats the path's id (``{"id": …}``, ``{"policyId": …}``) must repeat it right."""
    if given not in (None, "") and str(given) != expected:
        raise field_error(key, f"is '{given}' but the path names '{expected}'", given, code=code)


def listing(errors: list[FieldError]) -> str:
    """``a is required; b must be …``: field errors as one sentence."""
    return "; ".join(f"{e.property_name} {e.message}" for e in errors)


def refuse_fields(what: str, errors: list[FieldError], code: str) -> None:
    """A 422 listing every field error of ``what`` (``The webhook is not valid: url is required.``), if any."""
    if errors:
        raise InputValidation(f"The {what} is not valid: {listing(errors)}.", codes=[code], field_errors=errors)
