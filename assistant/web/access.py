"""Optional password login for the web chat (``KOMPAS_AUTH_PASSWORD``)."""

from __future__ import annotations

import hmac
import logging
import os
import secrets

from assistant.settings import Settings

log = logging.getLogger("kompas.web")


def login_required(settings: Settings) -> bool:
    """Tell whether the web chat asks for a password."""
    return settings.auth_password is not None and bool(settings.auth_password.get_secret_value())


def check_login(settings: Settings, username: str, password: str) -> bool:
    """Tell whether the login matches, in constant time."""
    if settings.auth_password is None:
        return False
    user_ok = hmac.compare_digest(username.strip().encode(), settings.auth_user.encode())
    password_ok = hmac.compare_digest(password.encode(), settings.auth_password.get_secret_value().encode())
    return user_ok and password_ok


def ensure_auth_secret() -> None:
    """Give Chainlit a signing secret for login cookies when the owner set none."""
    if not os.environ.get("CHAINLIT_AUTH_SECRET"):
        # A secret made at start-up keeps working until the server restarts; then everyone logs
        # in again. Owners who want longer sessions set CHAINLIT_AUTH_SECRET themselves.
        os.environ["CHAINLIT_AUTH_SECRET"] = secrets.token_urlsafe(48)
        log.warning("CHAINLIT_AUTH_SECRET is not set: logins last until the server restarts")
