"""Production-style serving, as `make serve` does it: gunicorn's settings from the environment,
and pages linking hashed, compressed static files that WhiteNoise serves for a year."""

import re
import runpy
from pathlib import Path

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
