"""Settings for bench/serve_cpu.py's gunicorn: the test settings (DEBUG off, the real settings
module read from a test environment) plus the baseline page of bench/urls.py."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
