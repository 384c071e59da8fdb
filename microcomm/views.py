"""Pages of the core: home per role, accounts, static pages, health and error pages."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from microcomm import permissions, selectors, services
from microcomm.errors import DomainError
from microcomm.forms import (
    PasswordResetRequestForm,
    SecondFactorCodeForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from microcomm.http import authorize, refusal_reason, refusal_response
from microcomm.models import User
from microcomm.permissions import must_use_second_factor
from microcomm.throttle import Throttled, email_throttle, try_again_message, try_again_time
from microcomm.two_factor import (
    second_factor_device,
    second_factor_not_required,
    setup_key,
    setup_qr_svg,
)

logger = logging.getLogger(__name__)

# Other apps add sections to the home page: a list of (role, template) pairs they register.
HOME_SECTIONS: dict[str, list[str]] = {}


def home_section_register(*, role: str, template: str) -> None:
    templates = HOME_SECTIONS.setdefault(role, [])
    if template not in templates:
        templates.append(template)


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    roles = permissions.user_roles(request.user)
    return render(
        request,
        "microcomm/home.html",
        {
            "roles": [str(role) for role in roles],
            "home_sections": HOME_SECTIONS,
            "notifications": list(selectors.notifications_recent_for_user(user=request.user)),
        },
    )


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("microcomm:home")


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("microcomm:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Counted per address typed, so the answer is the same whether or not an
            # account already has it.
            email_throttle(
                scope="sign-up", email=form.cleaned_data["email"], request=request, per_client=False
            )
            services.user_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            request.session["signed_up_email"] = form.cleaned_data["email"]
            return redirect("microcomm:sign-up-check-email")
    return render(request, "microcomm/sign_up.html", {"form": form})


@login_not_required
@require_http_methods(["GET"])
def sign_up_check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "microcomm/sign_up_check_email.html",
        {"email": request.session.get("signed_up_email")},
    )


@login_not_required
@require_http_methods(["GET"])
def email_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from_uid(uidb64)
    if user is None:
        return render(request, "microcomm/email_confirm_failed.html", status=400)
    try:
        services.user_confirm_email(user=user, token=token)
    except DomainError:
        return render(request, "microcomm/email_confirm_failed.html", status=400)
    return render(request, "microcomm/email_confirmed.html", {"confirmed_user": user})


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "microcomm/sign_in.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "unconfirmed") and form.user_cache is not None:
            try:
                email_throttle(
                    scope="confirm-resend", email=form.user_cache.email, request=self.request
                )
            except Throttled as throttled:
                form.errors[NON_FIELD_ERRORS] = form.error_class(
                    [
                        "Confirm your email address before you sign in, using the link we "
                        f"sent you. We can send a new link after {try_again_time(throttled.until)}."
                    ]
                )
            else:
                services.user_resend_confirmation(user=form.user_cache)
        return super().form_invalid(form)


sign_in = login_not_required(SignInView.as_view())


@login_not_required
@second_factor_not_required
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks with a button (a link or a typed address never signs anyone out); POST signs
    out."""
    if request.method == "POST":
        logout(request)
        return redirect("microcomm:signed-out")
    if not request.user.is_authenticated:
        return redirect("microcomm:signed-out")
    return render(request, "microcomm/sign_out.html")


@login_not_required
@second_factor_not_required
@require_http_methods(["GET"])
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "microcomm/signed_out.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_throttle(
                scope="password-reset", email=form.cleaned_data["email"], request=request
            )
        except Throttled as throttled:
            form.add_error("email", throttled.message)
        else:
            services.user_request_password_reset(email=form.cleaned_data["email"])
            request.session["password_reset_email"] = form.cleaned_data["email"]
            return redirect("microcomm:password-reset-sent")
    return render(request, "microcomm/password_reset.html", {"form": form})


@login_not_required
@require_http_methods(["GET"])
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "microcomm/password_reset_sent.html",
        {"email": request.session.get("password_reset_email")},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from_uid(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "microcomm/password_reset_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your password has been changed")
        return redirect("microcomm:home")
    return render(request, "microcomm/password_reset_confirm.html", {"form": form})


def _next_url(request: HttpRequest, default: str = "microcomm:home") -> str:
    """Where to go after this step: ?next= when it is on this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    device = second_factor_device(user)
    if device is None:
        return redirect(f"{reverse('microcomm:two-factor-setup')}?{urlencode({'next': next_url})}")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matched = match_token(user, form.cleaned_data["code"])
        if matched is not None:
            otp_login(request, matched)
            return redirect(next_url)
        allowed, info = device.verify_is_allowed()
        locked_until = (info or {}).get("locked_until")
        if not allowed and locked_until is not None:
            # django-otp makes each wrong code wait twice as long as the one before.
            if locked_until - timezone.now() < datetime.timedelta(minutes=1):
                message = (
                    "Enter the 6-digit code your authenticator app shows now, or one of "
                    "your recovery codes. Wait a few seconds before you try again"
                )
            else:
                message = try_again_message(locked_until)
            form.add_error("code", message)
        else:
            form.add_error(
                "code",
                "Enter the 6-digit code your authenticator app shows now, "
                "or one of your recovery codes",
            )
    return render(request, "microcomm/two_factor_verify.html", {"form": form, "next": next_url})


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan or type the key, then enter the code it shows."""
    user = request.user
    next_url = _next_url(request, default="microcomm:account")
    if second_factor_device(user) is not None:
        if not user.is_verified():
            query = urlencode({"next": next_url})
            return redirect(f"{reverse('microcomm:two-factor-verify')}?{query}")
        messages.success(request, "Two-step sign-in is already on")
        return redirect("microcomm:account")
    device = services.user_second_factor_start(user=user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.user_second_factor_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            query = urlencode({"next": next_url})
            return redirect(f"{reverse('microcomm:recovery-codes')}?{query}")
    return render(
        request,
        "microcomm/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "required": must_use_second_factor(user),
            "setup_key": setup_key(device),
            "setup_qr": mark_safe(setup_qr_svg(device)),  # noqa: S308 - SVG made by segno
            "setup_url": device.config_url,
        },
    )


RECOVERY_CODES_SESSION_KEY = "microcomm_recovery_codes"


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once; a POST makes a new set and the old ones stop working."""
    if request.method == "POST":
        try:
            codes = services.user_recovery_codes_renew(user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("microcomm:account")
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect("microcomm:recovery-codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("microcomm:account")
    return render(
        request,
        "microcomm/recovery_codes.html",
        {"codes": codes, "next": _next_url(request, default="microcomm:account")},
    )


@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "microcomm/account.html",
        {
            "second_factor_on": second_factor_device(user) is not None,
            "can_turn_off": permissions.can_turn_off_second_factor(user),
        },
    )


@require_POST
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_turn_off_second_factor(request.user))
    services.user_second_factor_turn_off(user=request.user)
    messages.success(request, "Two-step sign-in is off")
    return redirect("microcomm:account")


@login_not_required
@require_http_methods(["GET"])
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "microcomm/accessibility.html")


@login_not_required
@require_http_methods(["GET"])
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "microcomm/privacy.html")


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database (and Redis, when configured) answer; 503 naming what failed."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        logger.error("Health check: database failed: %s", error)
        checks["database"] = "failed"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "ok", 10)
            checks["redis"] = "ok" if cache.get("healthz") == "ok" else "failed"
        except Exception as error:
            logger.error("Health check: Redis failed: %s", error)
            checks["redis"] = "failed"
    failed = [name for name, state in checks.items() if state != "ok"]
    status = 503 if failed else 200
    return JsonResponse(
        {"status": "failed" if failed else "ok", "failed": failed, "checks": checks},
        status=status,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Every refusal ends here: sign in first, else a 403 page that says why."""
    referer = request.headers.get("Referer", "")
    back_url = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return refusal_response(request, exception) or render(
        request,
        "403.html",
        {"reason": refusal_reason(exception), "back_url": back_url},
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"scheme_name": settings.SCHEME_NAME}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
