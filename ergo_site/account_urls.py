"""Signing in and out: the local sign-in page, single sign-on, and Django's password and
sign-out pages."""

from django.urls import include, path

from assessments.views import sso

urlpatterns = [
    path("login/", sso.SignInView.as_view(), name="login"),
    path("sso/start/", sso.SsoStartView.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", sso.SsoCallbackView.as_view(), name="oidc_authentication_callback"),
    path("sso/no-access/", sso.sso_no_access, name="sso_no_access"),
    path("", include("django.contrib.auth.urls")),
]
