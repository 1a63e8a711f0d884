"""Production-style serving, as `make serve` does it: gunicorn's settings from the environment,
and pages linking hashed, compressed static files that WhiteNoise serves for a year."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_listens_and_scales_as_the_environment_says(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - what a deploy behind a proxy sets
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["bind"], config["workers"]) == ("0.0.0.0:9001", 7)


def test_gunicorn_defaults_to_this_machine_only(monkeypatch):
    for name in ("HOST", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] >= 3


def test_pages_link_hashed_static_files_served_compressed_and_cached_for_a_year(
    hashed_static, owner_client
):
    page = owner_client.get("/").content.decode()
    static = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', page)
    assert len(static) >= 3
    icons = re.findall(r'href="(/static/icons/[^"]+)"', page)
    assert icons
    for url in icons:
        assert re.search(r"\.[0-9a-f]{12}\.(png|svg)$", url), url
    for url in static:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css)$", url), url
        response = owner_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response["Cache-Control"]


def test_gunicorns_and_djangos_logs_write_no_share_token(tmp_path):
    """The real `make serve` stack: gunicorn with gunicorn.conf.py, production settings."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kindjournal.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "KINDJOURNAL_FIELD_KEYS": django_settings.KINDJOURNAL_FIELD_KEYS[0],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "KINDJOURNAL_DATA_DIR": str(tmp_path),
        "KINDJOURNAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on our own config
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "gunicorn.conf.py",
            "kindjournal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # A method the shared page refuses: answered (405) and logged before any database
        # or template is needed, so no migrate or collectstatic here.
        url = f"http://127.0.0.1:{port}/s/SeCrEtToKeN-1/?from=/s/SeCrEtToKeN-1/"
        for _ in range(100):
            try:
                response = httpx.options(url, timeout=2, trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert response.status_code == 405, output
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "SeCrEtToKeN" not in output
    # gunicorn's access log, then Django's request log.
    assert '"OPTIONS /s/[token]/?from=/s/[token]/ HTTP/1.1" 405' in output
    assert "Method Not Allowed (OPTIONS): /s/[token]/" in output
