"""Protection against cross-site request forgery: a synchronizer token bound to a cookie.

Every browser gets a random ``pelvio_csrf`` cookie (HttpOnly, SameSite=Strict). Forms carry
``csrf_token`` = HMAC(secret key, cookie value), and scripts send it as ``X-CSRF-Token``. A
state-changing request without a matching token is refused (OWASP CSRF Prevention Cheat Sheet,
signed double-submit cookie).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from pelvio.errors import PermissionDeniedError

__all__ = ["CSRF_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "csrf_token_for", "verify_csrf"]

CSRF_COOKIE = "pelvio_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_nonce() -> str:
    """A fresh random cookie value."""
    return secrets.token_urlsafe(32)


def csrf_token_for(secret_key: bytes, nonce: str) -> str:
    """The token that forms must carry for this cookie value."""
    return hmac.new(secret_key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose token does not match the browser's cookie."""
    if request.method in SAFE_METHODS:
        return
    nonce = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    secret_key: bytes = request.app.state.settings.effective_secret_key
    if not nonce or not sent or not hmac.compare_digest(sent, csrf_token_for(secret_key, nonce)):
        raise PermissionDeniedError(
            "the form has expired or came from another site; reload the page and try again"
        )
