"""The real settings module read in this process from an environment a test chooses."""

import os
import runpy
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "kindjournal" / "settings.py"


def settings_under(monkeypatch, **env):
    """The settings module's values when read from exactly `env` (in this process)."""
    for name in list(os.environ):
        if name.startswith(("DJANGO_", "DATABASE_", "AXES_", "SIGNUP_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))
