"""The dashboard of `gpnav serve` in a real browser: headless Chromium driven by Selenium against a
real server (GPNAV_BIN) with a token. The page signs in, lists a study, shows one created while
it is open and a trial told while it is open (without reloading), sorts the grid, downloads the
server's CSV, and its screenshots are checked to be pictures, not blank pages. The same page on
`gpnav dashboard --db` shows a study made by `gpnav search`, says it is read-only, and a trial
that another `gpnav search` adds arrives live.

Skipped when Chromium, chromedriver or Selenium is missing, unless GPNAV_REQUIRE_BROWSER=1 (CI
sets it: there a missing browser is a failure). GPNAV_DASHBOARD_SCREENSHOTS=DIR keeps the
screenshots there."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request

import pytest

from gpnav_client import Study
from conftest import gpnav_binary
from gpnav_serve import start_dashboard, start_server
from headless_chromium import MISSING, start_chromium

REQUIRED = os.environ.get("GPNAV_REQUIRE_BROWSER") == "1"
if MISSING and not REQUIRED:
    pytest.skip(f"no {', '.join(MISSING)} here (Debian: apt-get install chromium chromium-driver; "
                f"pip install selenium); CI installs them", allow_module_level=True)
if not MISSING:
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

BUDGET = {"macs": 300_000_000}
WAIT_SECONDS = 30


def toy_accuracy(config: dict) -> float:
    """A closed-form stand-in for training (not training): bigger networks score higher."""
    return 50 + 20 * config["width"] + config["resolution"] / 32 + sum(config["mv2_depths"]) / 4


def tell_one(study: Study) -> int:
    trial = study.ask(worker="gpu-1")
    assert trial is not None, "the study ended early"
    trial.tell(toy_accuracy(trial.config))
    return trial.number


def distinct_colours(path: str) -> int:
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours or [])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(str(tmp_path_factory.mktemp("dashboard")))
    yield running
    assert running.stop() == 0, running.log()[-2000:]


@pytest.fixture()
def browser(tmp_path):
    assert not MISSING, f"GPNAV_REQUIRE_BROWSER=1 but {', '.join(MISSING)} is missing"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = start_chromium(downloads=str(downloads))
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait(driver, condition, what: str):
    # A live update may replace the table between finding a row and reading it: look again.
    return WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.2,
                         ignored_exceptions=[StaleElementReferenceException]).until(lambda d: condition(d), message=what)


def rows(driver, table: str) -> list:
    return driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


def states(driver) -> list:
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#trials-table tbody td:nth-child(2)")]


def screenshot(driver, tmp_path, name: str) -> str:
    keep = os.environ.get("GPNAV_DASHBOARD_SCREENSHOTS")
    path = os.path.join(keep or str(tmp_path), f"{name}.png")
    driver.save_screenshot(path)
    return path


def test_the_dashboard_signs_in_updates_live_sorts_and_downloads_csv(server, browser, tmp_path):
    demo = Study.create(server.url, "demo", budget=BUDGET, trials=12, seed=3, token=server.token)
    for _ in range(4):
        tell_one(demo)

    browser.get(server.url + "/")
    wait(browser, lambda d: d.find_element(By.ID, "login").is_displayed(), "the login form")
    field = browser.find_element(By.ID, "token")
    assert field.get_attribute("type") == "password"
    field.send_keys("not-the-token\n")
    wait(browser, lambda d: "refused" in d.find_element(By.ID, "login-error").text, "the refusal")
    browser.find_element(By.ID, "token").send_keys(server.token + "\n")
    wait(browser, lambda d: any(r.text.startswith("demo") for r in rows(d, "studies-table")), "the demo study")
    assert server.token not in browser.current_url
    assert browser.execute_script("return sessionStorage.getItem('gpnav.dashboard.token')") == server.token
    browser.execute_script("window.sameDocument = true")

    # A study created while the page is open appears by itself.
    Study.create(server.url, "second", budget=BUDGET, trials=3, token=server.token)
    wait(browser, lambda d: any(r.text.startswith("second") for r in rows(d, "studies-table")), "the new study")

    browser.find_element(By.LINK_TEXT, "demo").click()
    wait(browser, lambda d: len(rows(d, "trials-table")) == 4, "the four trials")
    wait(browser, lambda d: d.execute_script(
        "return [...document.querySelectorAll('.picture img')].filter(i => !i.hidden && i.naturalWidth > 0).length")
        == 3, "the three pictures")

    # A trial claimed while the page is open shows as running with its worker; told, it joins the grid.
    trial = demo.ask(worker="browser-test-worker")
    wait(browser, lambda d: any(r.text.startswith(f"{trial.number} ") for r in rows(d, "running-table")),
         "the running trial")
    assert "browser-test-worker" in browser.find_element(By.ID, "running-table").text
    trial.tell(toy_accuracy(trial.config))
    wait(browser, lambda d: states(d) == ["complete"] * 5, "the told trial, complete")
    assert browser.execute_script("return window.sameDocument") is True, "the page reloaded"

    # Sorting: accuracy, then descending.
    header = browser.find_element(By.CSS_SELECTOR, "#trials-table button[data-key='accuracy']")
    header.click()
    header.click()
    assert header.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    accuracies = [float(r.find_elements(By.TAG_NAME, "td")[2].text) for r in rows(browser, "trials-table")]
    assert accuracies == sorted(accuracies, reverse=True) and len(accuracies) == 5

    # The CSV is the server's own export, byte for byte.
    browser.find_element(By.ID, "download-csv").click()
    wait(browser, lambda d: any(p.suffix == ".csv" for p in d.downloads.iterdir()), "the CSV download")
    downloaded = next(p for p in browser.downloads.iterdir() if p.suffix == ".csv").read_bytes()
    request = urllib.request.Request(server.url + "/v1/studies/demo/trials",
                                     headers={"Accept": "text/csv", "Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert downloaded == answer.read()
    assert downloaded.decode().count("\n") == 6  # the header and five trials

    # Every control has a label; the screenshots are pictures, not blank pages.
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id)")
    assert unlabelled == []
    assert distinct_colours(screenshot(browser, tmp_path, "dashboard-study")) > 200

    # On a phone's width the page reflows: nothing wider than the screen but the tables' own scroll boxes.
    browser.set_window_size(390, 844)
    time.sleep(0.5)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert distinct_colours(screenshot(browser, tmp_path, "dashboard-phone")) > 50

    # The refused token's 401, and the learning curves a study without reports cannot draw (a note says so).
    assert "no learning curves" in browser.find_element(By.CSS_SELECTOR, "#picture-curves .picture-note").text
    severe = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and " 401 " not in entry["message"] and "curves.svg" not in entry["message"]]
    assert severe == []
    assert server.token not in server.log()


def search(database, *arguments: str) -> None:
    """`gpnav search` (the training simulator) on `database`, as another process would."""
    command = [gpnav_binary(), "search", "--db", str(database), "--study", "demo", *arguments]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              env={k: v for k, v in os.environ.items() if k != "GPNAV_DB"})
    assert finished.returncode == 0, finished.stderr


def test_the_read_only_dashboard_shows_a_searched_study_and_a_trial_another_process_adds(browser, tmp_path):
    database = tmp_path / "studies.sqlite"
    search(database, "--macs", "300M", "--trials", "3", "--seed", "3", "--epochs", "4")
    dashboard = start_dashboard(str(tmp_path), str(database))
    try:
        browser.get(dashboard.url + "/")
        wait(browser, lambda d: any(r.text.startswith("demo") for r in rows(d, "studies-table")), "the searched study")
        assert browser.find_element(By.ID, "read-only").is_displayed()
        assert "Read-only" in browser.find_element(By.ID, "read-only").text
        assert not browser.find_element(By.ID, "login").is_displayed()
        assert not browser.find_element(By.ID, "sign-out").is_displayed()
        shown = browser.execute_script(
            "return [...document.querySelectorAll('.writes')].filter(e => e.getClientRects().length > 0).length")
        assert shown == 0
        browser.execute_script("window.sameDocument = true")

        browser.find_element(By.LINK_TEXT, "demo").click()
        wait(browser, lambda d: len(rows(d, "trials-table")) == 3, "the three trials")
        # The study's views: four pictures (history, Pareto, cube, learning curves) and the factor relevance.
        wait(browser, lambda d: d.execute_script(
            "return [...document.querySelectorAll('.picture img')].filter(i => !i.hidden && i.naturalWidth > 0).length")
            == 4, "the four pictures")
        wait(browser, lambda d: len(rows(d, "relevance-table")) == 4, "the relevance of the four factors")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#relevance-statements li")) >= 2

        # Another pair of objectives, chosen with the keyboard: the picture is drawn again.
        before = browser.find_element(By.CSS_SELECTOR, "#picture-pareto img").get_attribute("src")
        across = browser.find_element(By.ID, "pareto-x")
        options = [o.get_attribute("value") for o in across.find_elements(By.TAG_NAME, "option")]
        assert options == ["macs", "accuracy", "params", "epochs"]  # no latency measured in this study
        across.send_keys("p")
        wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#picture-pareto img").get_attribute("src") != before,
             "the front of parameters and accuracy")

        search(database, "--resume", "--trials", "4")
        wait(browser, lambda d: len(rows(d, "trials-table")) == 4 and states(d) == ["complete"] * 4,
             "the trial the other process added")
        assert browser.execute_script("return window.sameDocument") is True, "the page reloaded"
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id)")
        assert unlabelled == []
        severe = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert severe == []
    finally:
        assert dashboard.stop() == 0, dashboard.log()[-2000:]
