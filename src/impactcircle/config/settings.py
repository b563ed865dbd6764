"""Django settings, read from the environment (the README's configuration table lists them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from impactcircle.config.environment import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)
from impactcircle.core.anonymity import thresholds_from_environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", default=False)

_secret_key_file = DATA_DIR / "secret_key"
if env_str("SECRET_KEY"):
    SECRET_KEY = env_str("SECRET_KEY")
elif _secret_key_file.exists():
    SECRET_KEY = _secret_key_file.read_text().strip()
elif DEBUG:
    SECRET_KEY = "development-only-key-never-use-this-in-production-0123456789abcdef"  # noqa: S105
else:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
        "or run `impactcircle run` once to create a local key in DATA_DIR."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ImproperlyConfigured(f"SITE_URL must look like https://csr.example.com; got {SITE_URL!r}")
SERVED_OVER_HTTPS = _site.scheme == "https"
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
# What emails call the site ("Hello from ImpactCircle!"), never the host and port of a request.
SITE_NAME = env_str("SITE_NAME", "ImpactCircle")
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps come before allauth so that our templates override its plain ones.
    "impactcircle.core",
    "impactcircle.accounts",
    "impactcircle.notifications",
    "impactcircle.people",
    "impactcircle.mentorship",
    "impactcircle.demo",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "ninja",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "impactcircle.core.middleware.SessionLifetimeMiddleware",
    "impactcircle.core.input_bounds.OutOfRangeIdMiddleware",
    "impactcircle.people.middleware.ViewerTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "impactcircle.core.middleware.AppErrorMiddleware",
]

ROOT_URLCONF = "impactcircle.config.urls"
WSGI_APPLICATION = "impactcircle.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "impactcircle.core.context_processors.navigation",
                "impactcircle.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "impactcircle.sqlite3"),
            # Each serving thread keeps its connection (and SQLite's page cache with it) between
            # requests: opening one per request re-read the schema and started every query cold.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Writers take the lock when their transaction starts and wait up to 20 s for it,
                # instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                    # Pages read through a memory map (no read() per page) and up to 64 MiB
                    # of them cached per connection; sorts and temporary tables in memory.
                    "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536; "
                    "PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # A database table is shared by every web and worker process, so rate limits hold across
    # gunicorn workers even without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "impactcircle_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

SESSION_COOKIE_AGE = 12 * 60 * 60  # a session ends 12 hours after sign-in …
SESSION_IDLE_TIMEOUT = 30 * 60  # … or after 30 idle minutes (core.middleware)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SERVED_OVER_HTTPS
CSRF_COOKIE_SECURE = SERVED_OVER_HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if SERVED_OVER_HTTPS else "impactcircle_session"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SERVED_OVER_HTTPS else "impactcircle_csrftoken"

# --- Transport security and browser policies ------------------------------------------------
SECURE_SSL_REDIRECT = SERVED_OVER_HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=31_536_000) if SERVED_OVER_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SERVED_OVER_HTTPS
SECURE_HSTS_PRELOAD = SERVED_OVER_HTTPS
if SERVED_OVER_HTTPS and env_bool("BEHIND_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# --- Passwords and accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "impactcircle.accounts.hashers.SizedArgon2PasswordHasher",  # argon2id, OWASP's parameters
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "impactcircle.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "impactcircle.accounts.adapter.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_FORMS = {"signup": "impactcircle.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
ACCOUNT_RATE_LIMITS = {
    # Past 5 failed sign-ins for one account in 5 minutes, or 20 from one address in a minute,
    # every further attempt is refused, even with the right password.
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "20/m/ip,5/300s/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {}
if env_str("OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
                "name": env_str("OIDC_NAME", "Company sign-in"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env_str("OIDC_SERVER_URL")},
            }
        ],
    }

# --- Email ----------------------------------------------------------------------------------
# Locally (plain http) mail is printed to the console; a deployment served over HTTPS hands it to
# the machine's mail server unless EMAIL_URL says otherwise (Django's deploy check insists that
# production mail is really sent).
_email = dj_email_url.parse(
    env_str("EMAIL_URL", "smtp://localhost:25" if SERVED_OVER_HTTPS else "console://")
)
_mailer: dict[str, Any] = {"BACKEND": _email["EMAIL_BACKEND"]}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    _mailer["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email["EMAIL_USE_TLS"],
        "use_ssl": _email["EMAIL_USE_SSL"],
        "timeout": 30,
    }
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_site.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js from the installed plotly package (charts; never a CDN)
    "impactcircle.mentorship.dashboard.static.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Background work ------------------------------------------------------------------------
# Two queues (core.tasks.INTERACTIVE, core.tasks.BULK): work a person waits for, and the rest.
TASK_QUEUES = ["interactive", "bulk"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
WORKER_HEARTBEAT_SECONDS = 15
WORKER_STALE_AFTER_SECONDS = 120

# --- Anonymity ------------------------------------------------------------------------------
# core.anonymity owns the thresholds: their names, defaults (5 and 10) and floor of 3
# (docs/anonymity.md). The environment may set them; only core.anonymity reads them.
globals().update(thresholds_from_environment(os.environ))

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_CLASS = "impactcircle.core.input_bounds.BoundedPageNumberPagination"
NINJA_PAGINATION_PER_PAGE = 25
NINJA_MAX_PER_PAGE_SIZE = 100
ACCESS_TOKEN_MAX_DAYS = 365

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
