"""The guide's page in a real browser: headless Chromium (Debian's chromium and
chromium-driver, through Selenium) opens the remote of the running kiosk, signs in with the
guide PIN, starts the delegation tour, taps Next, and the kiosk's status file moves on; a
second phone signs in, sees the same stop, moves the tour, and the first phone follows."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from kiosk.config import AdminConfig, RemoteConfig
from kiosk.pin import hash_pin, write_pin_file

GUIDE = "13579"
TOUR = "provincial-delegation"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=420,900"]


def need_browser():
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER))
               if path is None]
    if missing:
        message = f"{' and '.join(missing)} not installed (Debian: chromium, chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def browser(tmp_path):
    need_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium must not look for drivers online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def pump_until(kiosk, done, seconds=20.0, what="a condition"):
    """Let the kiosk draw frames (its Clock carries the phone's commands out) until ``done``."""
    end = time.monotonic() + seconds
    while True:
        value = done()
        if value:
            return value
        assert time.monotonic() < end, f"timed out waiting for {what}"
        kiosk.frames(1)
        time.sleep(0.01)


def shown(driver, css):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        return found[0] if found and found[0].is_displayed() else None
    except StaleElementReferenceException:  # the page just drew it again: look again
        return None


def text_of(driver, css) -> str:
    element = shown(driver, css)
    try:
        return element.text if element is not None else ""
    except Exception:  # drawn again meanwhile: look again on the next frame
        return ""


def tour_step(kiosk):
    kiosk.app.write_status()
    status = json.loads(kiosk.status_path.read_text(encoding="utf-8"))
    return status.get("tour", {}).get("step") if status.get("mode") == "tour" else None


def test_the_guide_drives_the_delegation_tour_from_a_browser(kiosk, browser, tmp_path,
                                                             demo_content):
    pins = tmp_path / "pins.json"
    write_pin_file(pins, "guide", hash_pin(GUIDE, n=2**10))
    app = kiosk.start(demo_content, admin=AdminConfig(pin_file=str(pins)),
                      remote=RemoteConfig(enabled=True, host="127.0.0.1", port=0))
    address = app.tour_control.remote.address
    assert address.startswith("http://127.0.0.1:")

    browser.get(address)
    pin = pump_until(kiosk, lambda: shown(browser, "#pin"), what="the sign-in page")
    pin.send_keys(GUIDE)
    shown(browser, "#signin").click()
    start = pump_until(kiosk, lambda: shown(browser, f'button.tour[data-tour="{TOUR}"]'),
                       what="the list of tours")
    tour = app.content.tour(TOUR)
    steps = tour.steps
    n = len(steps)
    assert str(n) in start.text  # "12 stops" / "共 12 站"
    start.click()
    pump_until(kiosk, lambda: tour_step(kiosk) == 1, what="the kiosk at stop 1")
    assert kiosk.route == f"tour/{TOUR}/1"
    title = pump_until(kiosk, lambda: shown(browser, "#title"), what="the stop on the phone")
    assert title.text == steps[0].title.get("zh")  # the kiosk's language: Chinese
    first_line = steps[0].notes.get("zh").strip().splitlines()[0].replace("**", "")
    assert first_line in shown(browser, "#points").text  # the talking points, in large type
    pump_until(kiosk, lambda: shown(browser, "#thumb"), what="the stop's picture")

    shown(browser, "#next").click()
    pump_until(kiosk, lambda: tour_step(kiosk) == 2, what="the kiosk's status file at stop 2")
    assert kiosk.route == f"tour/{TOUR}/2"
    pump_until(kiosk, lambda: text_of(browser, "#step").startswith(f"2 / {n}"),
               what="the phone at stop 2")
    assert shown(browser, "#title").text == steps[1].title.get("zh")
    assert not browser.get_cookies()  # no cookies, ever


    # a second phone (a tab of its own signs in on its own) sees the same tour, and moves it
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(address)
    pump_until(kiosk, lambda: shown(browser, "#pin"), what="the second phone's sign-in").send_keys(GUIDE)
    shown(browser, "#signin").click()
    pump_until(kiosk, lambda: text_of(browser, "#step").startswith(f"2 / {n}"),
               what="the second phone at stop 2")
    shown(browser, "#next").click()
    pump_until(kiosk, lambda: tour_step(kiosk) == 3, what="the kiosk at stop 3")
    browser.switch_to.window(first)
    pump_until(kiosk, lambda: text_of(browser, "#step").startswith(f"3 / {n}"),
               what="the first phone following to stop 3")

    # "go to" names each stop; "end" asks first, and only a yes ends the tour
    options = browser.find_elements("css selector", "#goto-step option")
    assert len(options) == n
    assert any(steps[4].title.get(lang) in options[4].text for lang in ("zh", "en"))
    shown(browser, "#end").click()
    alert = browser.switch_to.alert
    assert "结束这次讲解" in alert.text or "End this tour?" in alert.text
    alert.dismiss()
    kiosk.frames(3)
    assert tour_step(kiosk) == 3 and app.mode == "tour"
    shown(browser, "#end").click()
    browser.switch_to.alert.accept()
    pump_until(kiosk, lambda: app.mode != "tour", what="the tour ended from the phone")
