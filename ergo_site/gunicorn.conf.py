"""gunicorn settings for `make serve` (production mode).

Read from the environment: WEB_CONCURRENCY (worker processes, default 2),
WEB_THREADS (threads per process, default 4), WEB_TIMEOUT (seconds before a stuck
request's worker is restarted, default 120), WEB_KEEPALIVE (seconds an idle connection
stays open, default 10), FORWARDED_ALLOW_IPS (addresses or networks of the
proxy allowed to set X-Forwarded-* headers, default 127.0.0.1; the app reads it too, to
take the client's address from X-Forwarded-For: ergo_site/proxy.py).

Request lines come from the app itself (`ergo_site.middleware.RequestLogMiddleware`),
so gunicorn's own access log is off; gunicorn's messages are written as JSON lines too
when LOG_FORMAT is json (the production default).
"""

from __future__ import annotations

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
graceful_timeout = 30
# Keep idle client connections longer than the proxy's or client's pause between requests,
# so a connection is not closed just as the next request is sent on it.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "10"))
# Restart each worker now and then, so memory held by PDF rendering is given back.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
# Load the app once in the master: workers start warm and share its memory.
preload_app = True
# No control socket: several servers may run side by side on one host.
control_socket_disable = True

_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if _debug else "json").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ergo_site.logging.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def when_ready(server: object) -> None:
    """Load the URL configuration (and the PDF renderer it imports) once in the master, so
    every worker, including one restarted after `max_requests`, answers its first request
    warm."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
