"""Two-step sign-in: who needs a second factor, and the middleware that asks for it.

Admins (``is_staff``) and commissioners always sign in with a code from an authenticator
app (django-otp's TOTP device) or one of their recovery codes (its static device);
anyone else may turn it on from their account page. After the password, a person who
needs it and has not given it is sent to enter a code, or to set an app up first.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from microcomm.models import User
from microcomm.permissions import must_use_second_factor

# Set at sign-in: this session must give a second factor before it may do anything.
SESSION_REQUIRED = "microcomm_second_factor_required"


def second_factor_required(user: User) -> bool:
    """Admins and commissioners must use two-step sign-in; it is not theirs to turn off."""
    return must_use_second_factor(user)


def second_factor_device(user: User) -> TOTPDevice | None:
    """The person's authenticator app, once set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_mark_session(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """On every sign-in (password, reset link, admin): note whether a code is still owed."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_REQUIRED] = second_factor_required(user) or second_factor_on(user)


def second_factor_not_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view a signed-in person may use before giving their code (sign out, the code page)."""
    view.second_factor_not_required = True  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware:
    """Sends a signed-in person who owes a second factor to give it before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if getattr(view_func, "second_factor_not_required", False):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not (request.session.get(SESSION_REQUIRED) or second_factor_required(user)):
            return None
        step = "two-factor-verify" if second_factor_on(user) else "two-factor-setup"
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(f'microcomm:{step}')}?{query}")


def setup_key(device: TOTPDevice) -> str:
    """The key to type into an authenticator app, in groups of four: "ABCD EFGH ..."."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def setup_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an inline SVG an authenticator app can scan."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code to set up your authenticator app", border=2
    )
