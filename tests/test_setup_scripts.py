"""The set-up scripts the Makefile runs on a fresh machine, as far as they can run here."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_venv(python, path):
    return subprocess.run(  # noqa: S603 - our own script
        ["/bin/bash", "scripts/ensure_venv.sh"],  # noqa: S607
        cwd=ROOT,
        env={"PATH": path, "PYTHON": str(python)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_python_that_can_make_a_venv_passes_the_venv_check():
    result = ensure_venv(sys.executable, "/usr/bin:/bin")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_without_ensurepip_and_no_apt_the_venv_check_says_what_to_install(tmp_path):
    python = tmp_path / "python3"
    python.write_text("#!/bin/sh\nexit 1\n")  # a Python lacking ensurepip, as Debian's is
    python.chmod(0o755)
    tools = tmp_path / "bin"  # `id`, but no apt-get
    tools.mkdir()
    (tools / "id").symlink_to(shutil.which("id"))
    result = ensure_venv(python, str(tools))
    assert result.returncode == 1
    assert "needs ensurepip, which is missing" in result.stderr
    assert "sudo apt-get install python3-venv" in result.stderr
