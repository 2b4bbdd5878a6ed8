"""What the browser tests share: the release served by a real uvicorn on a free port, and one
headless Chromium per module (``chromium.py``). A module may override either fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chromium import chromium, live_server
from selenium.webdriver.remote.webdriver import WebDriver


@pytest.fixture(scope="module")
def base_url(built) -> Iterator[str]:
    with live_server(built[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[WebDriver]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.set_script_timeout(30)  # for scripts that wait (axe-core's run)
        yield driver
