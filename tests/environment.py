"""Test-run environment, loaded by pytest (``-p tests.environment``) before Django starts.

Tests run with DEBUG off, as production does, with a throwaway secret key. Anything set
in the real environment (e.g. DATABASE_URL for the PostgreSQL run) is kept.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("DEVTOOLS", "1")
os.environ.setdefault("TASK_BACKEND", "immediate")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The API's rate limit counts calls per user id in the process's cache, and ids repeat
# from test to test: a limit no test run reaches (tests/test_api_tokens.py sets its own).
os.environ.setdefault("API_RATE_PER_MINUTE", "1000000")
