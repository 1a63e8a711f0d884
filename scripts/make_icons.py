"""Draw the PNG and ICO app icons from static/icons/*.svg with the test suite's Chromium.

Run after changing an SVG: `.venv/bin/python scripts/make_icons.py`. The outputs are committed,
so neither `make run` nor a deploy needs a browser.
"""

import struct
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

ICONS = ROOT / "static" / "icons"
# (source SVG, size in px, output file)
PNGS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
    # iOS draws its own rounded corners on a full square.
    ("icon-maskable.svg", 180, "apple-touch-icon.png"),
    ("icon.svg", 32, "favicon-32.png"),
]


def ico_from_png(png):
    """An .ico holding one 32x32 PNG image (the format allows PNG entries since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for source, size, output in PNGS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = (ICONS / source).read_text()
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{display:block;"
                f"width:{size}px;height:{size}px}}</style>{svg}"
            )
            (ICONS / output).write_bytes(page.screenshot(omit_background=True))
            page.close()
        browser.close()
    (ICONS / "favicon.ico").write_bytes(ico_from_png((ICONS / "favicon-32.png").read_bytes()))
    (ICONS / "favicon-32.png").unlink()


if __name__ == "__main__":
    main()
