"""Headless Chromium under Selenium, for the dashboard's browser test and its README screenshots:
Debian's `chromium` and `chromedriver` (apt-get install chromium chromium-driver) with Selenium
from PyPI. `MISSING` names what this machine lacks."""

from __future__ import annotations

import shutil
from typing import Optional

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
DRIVER = shutil.which("chromedriver")

try:
    from selenium import webdriver
except ImportError:  # pragma: no cover - depends on the machine
    webdriver = None

MISSING = [name for name, present in (("chromium", CHROMIUM), ("chromedriver", DRIVER), ("selenium", webdriver))
           if not present]


def start_chromium(width: int = 1280, height: int = 1400, downloads: Optional[str] = None):
    """A headless Chromium window of `width` x `height` CSS pixels; files it downloads go to
    `downloads`. Its console log is kept (`driver.get_log("browser")`). Quit it when done."""
    if MISSING:
        raise RuntimeError(f"no {', '.join(MISSING)} here: apt-get install chromium chromium-driver; pip install selenium")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # --no-sandbox: CI runs as root, where Chromium's sandbox does not start.
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions",
                     "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    if downloads:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver
