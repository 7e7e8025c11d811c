"""Takes the README's screenshots of the dashboard: the quick start's study with learning curves
(`gpnav search --macs 300M --epochs 20`: 30 trials, training simulator, seed 0) served by `gpnav
serve` with a token, opened in headless Chromium, signed in, on a laptop's width (dashboard.png)
and a phone's (dashboard-phone.png).

Usage: GPNAV_BIN=.build/debug/gpnav .venv-ci/bin/python docs/pictures/dashboard.py
(a Full build; Chromium, chromedriver and Selenium as for python/tests/test_dashboard_browser.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "tests"))

from gpnav_serve import start_server  # noqa: E402
from headless_chromium import start_chromium  # noqa: E402
from conftest import gpnav_binary  # noqa: E402


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the page did not show the study in time")
        time.sleep(0.2)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([gpnav_binary(), "search", "--macs", "300M", "--epochs", "20", "--db", os.path.join(directory, "studies.sqlite")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = start_server(directory)
        driver = start_chromium(width=1280, height=3300)
        try:
            driver.get(server.url + "/")
            wait_for(lambda: driver.find_element("id", "login").is_displayed())
            driver.find_element("id", "token").send_keys(server.token + "\n")
            wait_for(lambda: "macs-300M" in driver.find_element("id", "studies-table").text)
            driver.find_element("link text", "macs-300M").click()
            wait_for(lambda: driver.execute_script(
                "return [...document.querySelectorAll('.picture img')].filter(i => i.naturalWidth > 0).length") == 4)
            wait_for(lambda: len(driver.find_elements("css selector", "#relevance-table tbody tr")) == 4)
            driver.save_screenshot(os.path.join(HERE, "dashboard.png"))
            driver.set_window_size(390, 2400)
            time.sleep(1)
            driver.save_screenshot(os.path.join(HERE, "dashboard-phone.png"))
        finally:
            driver.quit()
            server.stop()


if __name__ == "__main__":
    main()
