from django.contrib import admin
from django.urls import include, path

from microcomm import views

app_name = "microcomm"

core_patterns = [
    path("", views.home, name="home"),
    path("messages/read/", views.notifications_read, name="notifications-read"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/check-your-email/", views.sign_up_check_email, name="sign-up-check-email"),
    path("confirm-email/<uidb64>/<token>/", views.email_confirm, name="email-confirm"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("sign-in/code/", views.two_factor_verify, name="two-factor-verify"),
    path("account/", views.account, name="account"),
    path("account/two-step-sign-in/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path(
        "account/two-step-sign-in/recovery-codes/",
        views.recovery_codes,
        name="recovery-codes",
    ),
    path(
        "account/two-step-sign-in/turn-off/",
        views.two_factor_turn_off,
        name="two-factor-turn-off",
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]

admin.site.site_header = "microcomm administration"
admin.site.site_title = "microcomm admin"

urlpatterns = [
    path("", include((core_patterns, "microcomm"))),
    path("", include("rounds.urls")),
    path("", include("applications.urls")),
    path("", include("panels.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "microcomm.views.bad_request"
handler403 = "microcomm.views.permission_denied"
handler404 = "microcomm.views.page_not_found"
handler500 = "microcomm.views.server_error"
