"""docs/http-api.md lists every route the application answers."""

from __future__ import annotations

import re

from mini_release import write_release

from maillage.settings import REPO_ROOT, Settings
from server.app import create_app


def route_paths(routes) -> set[str]:
    paths = set()
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            paths |= route_paths(inner.routes)
        else:
            paths.add(re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
    return paths


def test_every_route_is_documented(tmp_path):
    write_release(tmp_path)
    app = create_app(Settings(var_dir=tmp_path))
    paths = route_paths(app.routes)
    assert {"/id/{path}", "/downloads/{name}", "/catalog", "/.well-known/void"} <= paths
    doc = (REPO_ROOT / "docs" / "http-api.md").read_text(encoding="utf-8")
    missing = sorted(p for p in paths if f"`{p}`" not in doc)
    assert missing == []
