"""Render the site's default share picture (docs/assets/images/og-default.png) from og-default.html.

Social media and messaging apps show this 1200×630 PNG for pages without a picture of
their own; most of them do not accept SVG. Run after editing the HTML:

    .venv/bin/python scripts/og_image.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "og-default.html"
TARGET = HERE.parent / "docs" / "assets" / "images" / "og-default.png"
SIZE = {"width": 1200, "height": 630}


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium が見つかりません（apt-get install chromium fonts-noto-cjk）", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport=SIZE, device_scale_factor=1)
        page.goto(SOURCE.as_uri())
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(TARGET), type="png")
        browser.close()
    print(f"{TARGET.relative_to(HERE.parent)} を書きました（{SIZE['width']}×{SIZE['height']}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
