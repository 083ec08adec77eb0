"""The review page in a real headless Chromium (Debian's chromium and chromedriver, driven
by Selenium): keyboard navigation, highlights and suspects, a suspect replaced and the
document done again, approval, sign-off. Screenshots go to build/."""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from deident import Deidentifier
from deident.review.server import ReviewServer, serve
from deident.review.session import ReviewSession, review_path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("DEIDENT_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromedriver are required here (DEIDENT_REQUIRE_BROWSER)")
        pytest.skip("chromium / chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(180)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def review(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[ReviewServer, Path]]:
    folder = tmp_path_factory.mktemp("browser-review")
    src, dst = folder / "src", folder / "dst"
    shutil.copytree(ROOT / "examples" / "documents", src)
    assert deidentifier.pseudonymize_folder(src, dst).ok
    server = serve(ReviewSession(deidentifier, src, dst, config_file=folder / "deident.toml"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, folder
    server.shutdown()
    server.server_close()


def _shot(driver: object, name: str) -> None:
    (ROOT / "build").mkdir(exist_ok=True)
    driver.save_screenshot(str(ROOT / "build" / f"review-{name}.png"))


def _submitting(driver: object, act: object) -> None:
    """`act` posts a form: wait until the page it leaves is gone (the next one is loaded)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    act()
    WebDriverWait(driver, 120).until(expected_conditions.staleness_of(page))


def test_review_a_folder_with_the_keyboard(browser: object, review: tuple[ReviewServer, Path]
                                           ) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, folder = review
    driver = browser
    base = server.url.split("/?")[0]
    driver.get(server.url)
    rows = driver.find_elements(By.CSS_SELECTOR, "#documents tbody tr")
    assert len(rows) == 5 and "selected" in rows[0].get_attribute("class")
    _shot(driver, "list")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    assert "selected" in driver.find_elements(By.CSS_SELECTOR, "#documents tbody tr")[1] \
        .get_attribute("class")
    body.send_keys("k")
    driver.switch_to.active_element.send_keys(Keys.ENTER)  # the selected row's link
    assert "/doc?id=0" in driver.current_url
    replaced = driver.find_elements(By.CSS_SELECTOR, "#original mark.replaced")
    suspects = driver.find_elements(By.CSS_SELECTOR, "#original mark.suspect")
    assert len(replaced) >= 10 and suspects
    assert {m.get_attribute("data-type") for m in replaced} >= {"PERSON", "DATE"}
    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    assert "current" in suspects[0].get_attribute("class")
    _shot(driver, "document")

    first = driver.find_element(By.CSS_SELECTOR, "#suspect-list li")
    value = first.find_element(By.CSS_SELECTOR, "a").text
    _submitting(driver, lambda: first.find_element(By.TAG_NAME, "button").click())  # deny, redo
    assert "/doc?id=0" in driver.current_url
    assert value in (folder / "deident.toml").read_text(encoding="utf-8")
    output = driver.find_element(By.ID, "output").text
    assert value not in output
    _submitting(driver, lambda: driver.find_element(By.TAG_NAME, "body").send_keys("a"))  # approve
    assert "validé" in driver.find_element(By.TAG_NAME, "main").text

    driver.get(base + "/")
    _submitting(driver, lambda: driver.find_element(
        By.CSS_SELECTOR, "form[action='/approve'] button").click())
    driver.find_element(By.ID, "reviewer").send_keys("Data manager")
    _submitting(driver, lambda: driver.find_element(By.CSS_SELECTOR, "form.signoff button").click())
    assert "Relecture signée par Data manager" in driver.find_element(By.TAG_NAME, "main").text
    _shot(driver, "signed")
    signoff = json.loads(review_path(folder / "dst").read_text(encoding="utf-8"))["signoff"]
    assert signoff["reviewer"] == "Data manager" and not signoff["unapproved"]


def test_a_request_without_the_token_is_refused(review: tuple[ReviewServer, Path]) -> None:
    server, _ = review
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url.split("?")[0], timeout=60)
    assert refused.value.code == 403
