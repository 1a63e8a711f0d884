"""The web app manifest, icons and favicon that make KindJournal installable on a phone."""

import re

import pytest

from kindjournal.offline import appearance


def icon_urls(page):
    return re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)


def test_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"


def test_manifest_opens_the_app_standalone_at_today(client):
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == "KindJournal"
    assert manifest["short_name"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == appearance.THEME_COLORS["light"]
    assert manifest["background_color"] == appearance.THEME_COLORS["light"]


def test_manifest_icons_exist_in_every_size_and_purpose_asked_for(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]
    found = {(icon["sizes"], icon["type"], icon["purpose"]) for icon in icons}
    assert ("192x192", "image/png", "any") in found
    assert ("512x512", "image/png", "any") in found
    assert ("512x512", "image/png", "maskable") in found
    assert ("any", "image/svg+xml", "any") in found
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == icon["type"]
        if icon["type"] == "image/png":
            width, height = icon["sizes"].split("x")
            body = b"".join(response.streaming_content)
            # The PNG header's IHDR chunk: width and height, big-endian, from byte 16.
            assert (int.from_bytes(body[16:20]), int.from_bytes(body[20:24])) == (
                int(width),
                int(height),
            )


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_links_the_manifest_icons_and_theme_colours(client, owner, logged_in):
    if logged_in:
        client.force_login(owner)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    for colour in appearance.THEME_COLORS.values():
        assert 'name="theme-color" media="(prefers-color-scheme: ' in page
        assert f'content="{colour}"' in page
    urls = icon_urls(page)
    assert len(urls) == 2
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_favicon_is_served_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


def test_manifest_and_favicon_refuse_writes(client):
    assert client.post("/manifest.webmanifest").status_code == 405
    assert client.post("/favicon.ico").status_code == 405
