"""Settings for the ergonomics assessment app.

One module, configured only through environment variables read by the strict helpers
in `ergo_site.env`. Development defaults are safe (SQLite, immediate tasks, DEBUG off
unless asked for); production differs only by environment. `.env.example` lists every
variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from ergo_site.env import (
    env_addresses,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_mapping,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "assessments",
    "assessments.people",
    "assessments.records",
    "assessments.actions",
    "assessments.selfassess",
    "assessments.insights",
    "assessments.reporting",
    "assessments.privacy",
    "assessments.sso",
    "assessments.api",
]
# Demo data and benchmarks (`seed_demo`, `bench_*`): development tools, installed with
# DEBUG or when DEVTOOLS=1 asks for them (the test run does, to test them).
DEVTOOLS = env_bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("assessments.devtools")

MIDDLEWARE = [
    "ergo_site.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ergo_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "assessments.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "ergo_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", default=60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it begins and waits up to 20 s for
    # it, so two requests that read and then write (saving a section, recounting the
    # dashboard) queue instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on: answers only the callback from the OpenID Connect provider.
    "assessments.sso.backend.SsoBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address a lockout counts against is the client's, not the proxy's: X-Forwarded-For is
# believed only from these proxies, the ones gunicorn trusts too (ergo_site/proxy.py).
TRUSTED_PROXIES = env_addresses("FORWARDED_ALLOW_IPS", default=["127.0.0.1"])
AXES_CLIENT_IP_CALLABLE = "ergo_site.proxy.client_ip"
# Single sign-on callbacks are not password guesses (assessments/sso/backend.py).
AXES_WHITELIST_CALLABLE = "assessments.sso.backend.is_single_sign_on"

# Single sign-on with OpenID Connect (docs/sso.md): off unless OIDC_CLIENT_ID is set. The
# provider's endpoints come from its discovery document (OIDC_DISCOVERY_URL, or OIDC_ISSUER
# + /.well-known/openid-configuration), read on first use, unless each is given.
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", default="")
SSO_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", default="your organisation")
SSO_ISSUER = env_str("OIDC_ISSUER", default="")
SSO_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", default="RS256").upper()
# The claim that carries the person's groups or roles (a dotted path reaches into an
# object: `realm_access.roles`), and which of its values give which role in this app.
SSO_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", default="groups")
SSO_ROLE_MAP = env_mapping("OIDC_ROLE_MAP", values=("assessor", "manager", "admin"))
# Optional: the claim listing the departments a manager manages ("Site / Department").
SSO_DEPARTMENTS_CLAIM = env_str("OIDC_DEPARTMENTS_CLAIM", default="")
# Create an account on first sign-in for someone the provider gives a role (else an admin
# creates the account first, with the same email address).
SSO_CREATE_USERS = env_bool("OIDC_CREATE_USERS", default=False)
# An existing account is found by the provider's email address only if the provider says
# it verified it (`email_verified`), unless this is on (for providers that never send it).
SSO_MATCH_UNVERIFIED_EMAIL = env_bool("OIDC_MATCH_UNVERIFIED_EMAIL", default=False)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", default=10, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_RP_CLIENT_ID:
    from django.core.exceptions import ImproperlyConfigured

    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_CLIENT_ID is set: set OIDC_CLIENT_SECRET too.")
    if OIDC_RP_SIGN_ALGO not in ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512"):
        raise ImproperlyConfigured(
            f"OIDC_SIGN_ALGO={OIDC_RP_SIGN_ALGO!r}: use an asymmetric algorithm such as RS256."
        )
    _endpoints = (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
    if not (SSO_DISCOVERY_URL or SSO_ISSUER or all(_endpoints)):
        raise ImproperlyConfigured(
            "OIDC_CLIENT_ID is set: set OIDC_ISSUER (or OIDC_DISCOVERY_URL), or all four of "
            "OIDC_AUTHORIZATION_ENDPOINT, OIDC_TOKEN_ENDPOINT, OIDC_USERINFO_ENDPOINT and "
            "OIDC_JWKS_ENDPOINT."
        )

# Sessions end after inactivity; every request refreshes the expiry.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "ergo_site.staticfinders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # uploads are served only through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Source maps are read only by a developer's browser tools: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Photos: size and pixel limits for uploads.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_MB", default=10) * 1024 * 1024
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_MEGAPIXELS", default=40) * 1_000_000

# Due dates of clinical referral actions, by the referral's urgency (docs/scoring.md,
# "Urgency sets the due date"): emergency the same day, urgent within 2 working days
# (Monday to Friday), routine within 4 weeks.
ACTION_DUE_EMERGENCY_DAYS = env_int("ACTION_DUE_EMERGENCY_DAYS", default=0)
ACTION_DUE_URGENT_WORKING_DAYS = env_int("ACTION_DUE_URGENT_WORKING_DAYS", default=2)
ACTION_DUE_ROUTINE_DAYS = env_int("ACTION_DUE_ROUTINE_DAYS", default=28)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Health-data protection (docs/security.md). Completed assessments of an employee who left
# are anonymised this many whole years after their leaving date by
# `manage.py anonymise_leavers` (run it daily, e.g. from cron).
RETENTION_YEARS_AFTER_LEAVING = env_int("RETENTION_YEARS_AFTER_LEAVING", default=6, minimum=1)
# Self-assessments (docs/self-assessment.md): how long an invitation's link works, when
# reminders go (days after the invitation), how often everyone is invited again (months
# since their last assessment), where red-flag alerts are emailed, and the address the
# links in emails start with.
SELFASSESS_LINK_DAYS = env_int("SELFASSESS_LINK_DAYS", default=28, minimum=1)
#: Days a consent link (the employee's preview of what their manager sees) works.
CONSENT_LINK_DAYS = env_int("CONSENT_LINK_DAYS", default=14, minimum=1)
SELFASSESS_REMINDER_DAYS = [
    int(day) for day in env_list("SELFASSESS_REMINDER_DAYS", default=["7", "14"])
]
ASSESSMENT_CYCLE_MONTHS = env_int("ASSESSMENT_CYCLE_MONTHS", default=24, minimum=1)
OH_ALERT_EMAILS = env_list("OH_ALERT_EMAILS", default=[])
SITE_URL = env_str("SITE_URL", default="http://localhost:8000").rstrip("/")
# Largest interchange JSON file accepted by the assessment import page.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_KB", default=512, minimum=1) * 1024

# The REST API (`/api/v1/`, docs/api.md): personal API tokens or the browser session,
# JSON only, paginated, and rate limited per person (API_RATE_PER_MINUTE calls a minute,
# counted in each app process's cache).
API_RATE_LIMIT = f"{env_int('API_RATE_PER_MINUTE', default=600, minimum=1)}/min"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "assessments.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["assessments.api.access.AppUser"],
    "DEFAULT_THROTTLE_CLASSES": ["assessments.api.throttling.PersonRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "assessments.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ergo Assess API",
    "DESCRIPTION": "Sites, departments, employees, assessments, actions, reports and exports. "
    "See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "assessments.records.models.Assessment.Status",
        "ActionStatusEnum": "assessments.actions.models.Action.Status",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work through Django's tasks framework. "immediate" runs in the request
# (embedded default); "database" queues in the database for `manage.py db_worker`;
# "rq" queues on Redis for `manage.py rqworker`.
TASK_BACKEND = env_choice("TASK_BACKEND", ("immediate", "database", "rq"), default="immediate")
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND]}}
REDIS_URL = env_str("REDIS_URL", default="redis://127.0.0.1:6379/0")
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL,
        "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT_SECONDS", default=1800, minimum=1),
    }
}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # `manage.py rqworker`

# Outgoing email (report emails). Django 6.1 configures backends through MAILERS.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": env_str("EMAIL_HOST", default=""),
                "port": env_int("EMAIL_PORT", default=0),
                "username": env_str("EMAIL_HOST_USER", default=""),
                "password": env_str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            }.items()
            if value
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="ergonomics@localhost")

# Content Security Policy (Django's built-in CSP): scripts and styles only from our own
# origin or with the per-request nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Production hardening; each can be relaxed by environment for a TLS-terminating proxy setup.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form refused by the CSRF check (it was opened before signing in again, say) gets the
# app's 403 page with what to do.
CSRF_FAILURE_VIEW = "assessments.views.errors.csrf_failure"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_FORMAT = env_choice("LOG_FORMAT", ("text", "json"), default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ergo_site.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"request_id": {"()": "ergo_site.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each `django.*` line a
        # second time beside the root's; its lines go through the root handler alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
