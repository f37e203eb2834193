"""Server-rendered pages with Jinja2: one environment, translated through :mod:`pelvio.web.i18n`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pelvio import __version__
from pelvio.features import feature_dirs
from pelvio.web import i18n
from pelvio.web.csrf import CSRF_COOKIE, csrf_token_for

__all__ = ["environment", "render"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared Jinja2 environment (autoescaping on, gettext installed)."""
    env = Environment(
        loader=FileSystemLoader([str(path) for path in feature_dirs("templates")]),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n.translations(i18n.current_locale.get()).gettext(message),
        lambda singular, plural, n: i18n.translations(i18n.current_locale.get()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.globals["version"] = __version__
    env.globals["locale_names"] = i18n.LOCALE_NAMES
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` with the user, locale and CSRF token of this request."""
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", "")
    secret_key: bytes = request.app.state.settings.effective_secret_key
    full = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "locale": i18n.current_locale.get(),
        "csrf_token": csrf_token_for(secret_key, nonce) if nonce else "",
        **(context or {}),
    }
    html = environment().get_template(template).render(full)
    return HTMLResponse(html, status_code=status_code)
