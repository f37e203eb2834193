"""The web application: ``create_app(settings)`` wires storage, pages and middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware

from pelvio import __version__
from pelvio.accounts.access import AuditLog
from pelvio.db import create_db_engine, make_session_factory
from pelvio.settings import Settings, get_settings
from pelvio.web import i18n
from pelvio.web.csrf import CSRF_COOKIE, new_nonce
from pelvio.web.errors import install_error_handlers
from pelvio.web.i18n import LOCALE_COOKIE

__all__ = ["create_app"]

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; media-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class _RequestContext(BaseHTTPMiddleware):
    """Sets the locale, hands out the CSRF cookie, and adds the security headers."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        settings: Settings = request.app.state.settings
        locale = request.cookies.get(LOCALE_COOKIE, settings.locale)
        token = i18n.current_locale.set(locale if locale in i18n.LOCALES else settings.locale)
        nonce = request.cookies.get(CSRF_COOKIE)
        if not nonce:
            nonce = new_nonce()
            request.state.csrf_nonce = nonce
        try:
            response = await call_next(request)
        finally:
            i18n.current_locale.reset(token)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(
                CSRF_COOKIE,
                nonce,
                httponly=True,
                samesite="strict",
                secure=settings.cookies_secure,
            )
        response.headers.update(_SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run each feature's ``routes.lifespan(app)``, if it has one, around the app's life."""
    from pelvio.features import feature_modules

    async with AsyncExitStack() as stack:
        for routes in feature_modules("routes"):
            hook = getattr(routes, "lifespan", None)
            if hook is not None:
                await stack.enter_async_context(hook(app))
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: read from the environment)."""
    settings = settings or get_settings()
    engine = create_db_engine(settings.effective_database_url)
    app = FastAPI(
        title="Pelvio",
        version=__version__,
        docs_url="/api/docs" if settings.env != "production" else None,
        redoc_url=None,
        openapi_url="/api/openapi.json" if settings.env != "production" else None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.audit = AuditLog(app.state.session_factory)

    install_error_handlers(app)
    app.add_middleware(_RequestContext)
    from pelvio.features import feature_dirs

    for folder in feature_dirs("static"):
        feature = folder.parent.name
        if feature != "web":
            app.mount(f"/static/{feature}", StaticFiles(directory=folder), name=f"static-{feature}")
    static = resources.files("pelvio").joinpath("web", "static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    from pelvio.features import feature_modules
    from pelvio.web.pages import router as pages_router

    app.include_router(pages_router)
    for routes in feature_modules("routes"):
        app.include_router(routes.router)
    return app
