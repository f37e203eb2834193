"""Login, logout, profile and language: thin routes over :mod:`pelvio.accounts.service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pelvio.accounts import service
from pelvio.errors import AuthenticationError, InputError, RateLimitedError
from pelvio.settings import Settings
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import SESSION_COOKIE, CurrentUser, Db, OptionalUser, get_settings
from pelvio.web.i18n import LOCALE_COOKIE, LOCALES
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])

SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/login")
def login_page(request: Request, user: OptionalUser) -> Response:
    """The login form (or home, when already logged in)."""
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"email": ""})


@router.post("/login")
def login(
    request: Request,
    db: Db,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Check the credentials and start a fresh session."""
    client = request.client.host if request.client else "unknown"
    try:
        user = service.authenticate(
            db,
            email=email,
            password=password,
            client=client,
            secret_key=settings.effective_secret_key,
            max_failures=settings.login_max_failures,
            lockout_s=settings.login_lockout_s,
        )
    except RateLimitedError as exc:
        response = render(
            request,
            "login.html",
            {
                "email": email,
                "error": _("Too many attempts. Wait a quarter of an hour and try again."),
            },
            status_code=429,
        )
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    except AuthenticationError:
        return render(
            request,
            "login.html",
            {"email": email, "error": _("The e-mail address or password is not right.")},
            status_code=401,
        )
    token = service.start_session(
        db,
        user=user,
        max_age_s=settings.session_max_age_s,
        previous_token=request.cookies.get(SESSION_COOKIE),
    )
    db.commit()
    redirect = RedirectResponse("/", status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
    )
    redirect.set_cookie(LOCALE_COOKIE, user.locale, samesite="lax", secure=settings.cookies_secure)
    return redirect


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    """End the session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(db, token=token)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/profile")
def profile_page(request: Request, user: CurrentUser) -> Response:
    """The user's own profile."""
    return render(request, "profile.html", {"saved": request.query_params.get("saved") == "1"})


@router.post("/profile")
def save_profile(
    request: Request,
    user: CurrentUser,
    db: Db,
    settings: SettingsDep,
    display_name: Annotated[str, Form(max_length=200)] = "",
    locale: Annotated[str, Form()] = "nl",
) -> Response:
    """Change the display name and language."""
    if not display_name.strip():
        return render(
            request,
            "profile.html",
            {"error": _("Please fill in your name."), "field": "display_name"},
            status_code=422,
        )
    if locale not in LOCALES:
        raise InputError(f"locale must be one of {', '.join(LOCALES)}", field="locale")
    user.display_name = display_name.strip()
    user.locale = locale
    db.commit()
    response = RedirectResponse("/profile?saved=1", status_code=303)
    response.set_cookie(LOCALE_COOKIE, locale, samesite="lax", secure=settings.cookies_secure)
    return response


@router.post("/locale")
def switch_locale(
    request: Request,
    settings: SettingsDep,
    user: OptionalUser,
    db: Db,
    locale: Annotated[str, Form()] = "nl",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Switch the language of the pages (remembered in a cookie and on the account)."""
    if locale not in LOCALES:
        raise InputError(f"locale must be one of {', '.join(LOCALES)}", field="locale")
    if user is not None:
        user.locale = locale
        db.commit()
    target = next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LOCALE_COOKIE, locale, samesite="lax", secure=settings.cookies_secure)
    return response
