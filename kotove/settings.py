"""Settings, read from the environment. `.env.example` documents every variable.

Defaults are the safe production values; `make run` and `make test` set development values
explicitly (see kotove/devstack.py).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """A setting from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    if f"{name}_FILE" in os.environ:
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE (see .env.example).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "https://kokemuspankki.fi").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django.contrib.postgres",
    "csp",
    "kotove",
    "pankki",
    "alueet",
    "koulutus",
    "palaute",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kotove.middleware.RejectNullBytesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kotove.middleware.SessionLifetimeMiddleware",
    "kotove.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "kotove.urls"
WSGI_APPLICATION = "kotove.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kotove.context_processors.site",
                "kotove.context_processors.navigation_links",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/django/forms/widgets/ can draw choice options
# in Python (kotove/templatetags/form_widgets.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", "postgresql:///kotove"))}
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Web queries are short; JIT compilation only adds its own tens of milliseconds to them.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Lets two test runs share one server (each gets its own test database).
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://localhost:6379/1")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Messages may name people ("The record of … was saved"): keep them server-side, not in a
# signed (readable) cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Celery: a broker Redis that never evicts, separate from the cache Redis in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Helsinki"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "kotove.flush_outbox", "schedule": timedelta(minutes=5)},
    "stale-record-reminders": {
        "task": "pankki.send_stale_reminders",
        "schedule": crontab(day_of_month="1", hour="7", minute="0"),
    },
    "retention": {
        "task": "kotove.apply_retention",
        "schedule": crontab(hour="3", minute="15"),
    },
    "saved-search-alerts": {
        "task": "pankki.send_saved_search_alerts",
        "schedule": crontab(day_of_week="mon", hour="7", minute="30"),
    },
    "refresh-search-entries": {
        "task": "pankki.refresh_search_entries",
        "schedule": crontab(hour="3", minute="15"),
    },
    # Feedback links go out soon after a task ends; reminders in the morning.
    "feedback-links": {
        "task": "palaute.send_feedback_links",
        "schedule": crontab(minute="*/30"),
    },
    "feedback-reminders": {
        "task": "palaute.send_feedback_reminders",
        "schedule": crontab(hour="9", minute="0"),
    },
    # Course feedback goes to participants the morning after the last session.
    "course-feedback": {
        "task": "palaute.send_course_feedback",
        "schedule": crontab(hour="8", minute="0"),
    },
    "course-feedback-reminders": {
        "task": "palaute.send_course_feedback_reminders",
        "schedule": crontab(hour="9", minute="5"),
    },
    "training-offer-expiry": {"task": "koulutus.expire_offers", "schedule": timedelta(minutes=15)},
    "training-unverified-purge": {
        "task": "koulutus.purge_unverified_applications",
        "schedule": crontab(hour="3", minute="15"),
    },
    "meeting-reminders": {
        "task": "alueet.send_meeting_reminders",
        "schedule": crontab(minute="10"),
    },
    "regional-roles": {
        "task": "alueet.refresh_regional_roles",
        "schedule": crontab(hour="0", minute="5"),
    },
    "term-end-alerts": {
        "task": "alueet.send_term_end_alerts",
        "schedule": crontab(hour="7", minute="15"),
    },
    # The previous year's network report, emailed to the planners.
    "annual-report": {
        "task": "palaute.build_annual_reports",
        "schedule": crontab(month_of_year="1", day_of_month="15", hour="6", minute="0"),
    },
}

# Retention (days), applied nightly by kotove.apply_retention; each app's privacy.py names the
# rows its settings cover. The privacy notice and docs/seloste-kasittelytoimista.md state them.
RETENTION_LEFT_EXPERT_DAYS = int(env("RETENTION_LEFT_EXPERT_DAYS", "730"))
RETENTION_DECLINED_ACCESS_REQUEST_DAYS = int(env("RETENTION_DECLINED_ACCESS_REQUEST_DAYS", "365"))
RETENTION_UNSELECTED_APPLICATION_DAYS = int(env("RETENTION_UNSELECTED_APPLICATION_DAYS", "365"))
RETENTION_FEEDBACK_TEXT_DAYS = int(env("RETENTION_FEEDBACK_TEXT_DAYS", "1826"))
RETENTION_AUDIT_LOG_DAYS = int(env("RETENTION_AUDIT_LOG_DAYS", "1826"))
RETENTION_OUTBOX_DAYS = int(env("RETENTION_OUTBOX_DAYS", "180"))

AUTH_USER_MODEL = "kotove.User"
AUTHENTICATION_BACKENDS = [
    "kotove.permissions.UserWithRolesBackend",
    "kotove.permissions.PlannerBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Invitation links are password-reset links; a week gives invitees time to answer.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# allauth: email login, no open sign-up (see kotove.adapters), rate limits in the cache (Redis).
ACCOUNT_ADAPTER = "kotove.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # The 6th wrong password for the same email within 5 minutes is refused.
    "login_failed": "10/m/ip,5/5m/key",
    "access_request": "5/h/ip",
    # Public training applications email a confirmation link to the address given.
    "training_application": "20/h/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kokemustoimintaverkosto: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if SITE_URL.startswith("http:") else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kokemustoimintaverkosto"

# Sessions: 12 hours at most, 30 minutes idle for planners (kotove.middleware).
SESSION_COOKIE_AGE = 12 * 3600
SESSION_MAX_AGE = 12 * 3600
PLANNER_IDLE_TIMEOUT = 30 * 60

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
# The apps' own catalogs come before Django's and allauth's (which translate some of the same
# words otherwise: "Save" as "Tallenna ja poistu", "Time" as "Klo"); LOCALE_PATHS win over
# INSTALLED_APPS.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *(BASE_DIR / app / "locale" for app in ("alueet", "koulutus", "palaute")),
]
# Dates as written in Finland in every language (kotove/formats/).
FORMAT_MODULE_PATH = ["kotove.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Uploaded files have no URL of their own (no MEDIA_URL route): views that check access serve
# them (kotove.uploads).
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if env("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Kokemustoimintaverkosto <noreply@kokemuspankki.fi>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production values unless turned off for local development.
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response: scripts, styles, images and fonts only from our own
# origin (static files), no inline script or style, nothing may frame us. data: images are the
# QR code of the authenticator enrolment.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step of every page at INFO.
    "loggers": {"pgserver": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Feedback (palaute): answer links close this many days after the task; one link takes at most
# FEEDBACK_RATE_LIMIT answers per 10 minutes, which stops a flood but not a full lecture hall.
FEEDBACK_LINK_DAYS = int(env("FEEDBACK_LINK_DAYS", "30"))
FEEDBACK_RATE_LIMIT = int(env("FEEDBACK_RATE_LIMIT", "120"))
