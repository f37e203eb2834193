"""The one place where errors become HTTP answers.

API requests (paths under ``/api/`` or asking for JSON) get ``application/problem+json``
(RFC 9457); pages get a friendly HTML page, and a request that needs a login is sent to it.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pelvio.errors import (
    AuthenticationError,
    ConflictError,
    DeviceError,
    InputError,
    NotFoundError,
    PelvioError,
    PermissionDeniedError,
    RateLimitedError,
)
from pelvio.web.i18n import N_
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["install_error_handlers", "wants_json"]

log = logging.getLogger("pelvio.web")

_STATUS: list[tuple[type[PelvioError], int, str]] = [
    (NotFoundError, 404, "not-found"),
    (AuthenticationError, 401, "not-authenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (RateLimitedError, 429, "rate-limited"),
    (InputError, 422, "invalid-input"),
    (DeviceError, 503, "device-unavailable"),
]

_TITLES = {
    400: N_("Bad request"),
    401: N_("Please log in"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not allowed"),
    409: N_("Conflict"),
    422: N_("Please check your input"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("Device unavailable"),
}


def wants_json(request: Request) -> bool:
    """True for API calls, which get problem+json instead of a page."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _problem(status: int, kind: str, detail: str, **extra: object) -> JSONResponse:
    body = {
        "type": f"https://pelvio.invalid/problems/{kind}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **{key: value for key, value in extra.items() if value is not None},
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _page(request: Request, status: int, detail: str) -> Response:
    return render(
        request,
        "error.html",
        {"status": status, "title": _(_TITLES.get(status, "Error")), "detail": detail},
        status_code=status,
    )


async def _pelvio_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PelvioError)
    status, kind = 400, "bad-request"
    for cls, code, name in _STATUS:
        if isinstance(exc, cls):
            status, kind = code, name
            break
    headers = {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after_s)
    if wants_json(request):
        field = exc.field if isinstance(exc, InputError) else None
        response: Response = _problem(status, kind, str(exc), field=field)
    elif isinstance(exc, AuthenticationError):
        return RedirectResponse("/login", status_code=303)
    else:
        response = _page(request, status, _friendly(exc, status))
    response.headers.update(headers)
    return response


def _friendly(exc: PelvioError, status: int) -> str:
    if status == 404:
        return _("This page does not exist, or it is not yours to see.")
    if status == 403:
        return _("You may not do this with your account.")
    if status == 429:
        return _("Too many attempts. Wait a quarter of an hour and try again.")
    return str(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if wants_json(request):
        return _problem(exc.status_code, "http", str(exc.detail))
    detail = (
        _("This page does not exist, or it is not yours to see.")
        if exc.status_code == 404
        else _("Something went wrong with this request.")
    )
    return _page(request, exc.status_code, detail)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(part) for part in error["loc"][1:]), "message": error["msg"]}
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    if wants_json(request):
        return _problem(422, "invalid-input", detail, errors=errors)
    return _page(request, 422, detail)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    if wants_json(request):
        return _problem(500, "internal", "an unexpected error happened; it has been logged")
    return _page(request, 500, _("Something went wrong on our side. Please try again later."))


def install_error_handlers(app: FastAPI) -> None:
    """Register every error handler on ``app``."""
    app.add_exception_handler(PelvioError, _pelvio_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
