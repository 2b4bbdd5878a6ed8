"""Debian's headless Chromium, driven by Selenium through Debian's chromedriver, against a real
server (uvicorn, on a port the system chose): what the page tests in a browser share
(``test_pages_browser.py``, ``test_accessibility.py``, ``test_reconciliation_testbench.py``).

Chromium is installed by the project (``make browser``, which ``make install`` runs). Its
``Accept-Language`` is set, so that the language of the pages never depends on the machine."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from maillage.settings import Settings
from server.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--window-size=1280,1400",
)
ACCEPT_LANGUAGE = "fr-FR,fr"
"""What the browser asks for: a French reader's browser (pages in English by ``?lang=en``)."""


@contextlib.contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """uvicorn in a thread on a socket bound to port 0 first, so that the settings know the port
    (303 redirects and alternates are absolute URLs on the served base)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Settings(var_dir=settings.var_dir, port=port))
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="none", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextlib.contextmanager
def chromium(
    profile: Path, flags: tuple[str, ...] = (), network_log: bool = False
) -> Iterator[WebDriver]:
    """A headless Chromium with its own profile directory, that downloads nothing (Selenium
    Manager is kept offline) and logs the console; ``flags`` are added to :data:`CHROMIUM_FLAGS`
    and ``network_log`` also keeps the performance log (requests and responses)."""
    for program in (CHROMIUM, CHROMEDRIVER):
        assert program.is_file(), f"{program} is missing: run `make browser` (Debian chromium)"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not download
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*CHROMIUM_FLAGS, *flags):
            options.add_argument(flag)
        options.add_argument(f"--accept-lang={ACCEPT_LANGUAGE}")
        options.add_experimental_option("prefs", {"intl.accept_languages": ACCEPT_LANGUAGE})
        options.add_argument(f"--user-data-dir={profile}")
        logs = {"browser": "ALL"} | ({"performance": "ALL"} if network_log else {})
        options.set_capability("goog:loggingPrefs", logs)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
