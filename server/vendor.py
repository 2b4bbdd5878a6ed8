"""The npm packages the pages load (package.json), copied into the package at install time so
that an installed server serves them: ``server/static/vendor/<name>/`` (not tracked by git).

``python -m server.vendor`` (``make vendor``) copies them from ``node_modules``; the server never
looks into ``node_modules``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SERVER_DIR = Path(__file__).resolve().parent
VENDOR_DIR = SERVER_DIR / "static" / "vendor"
NODE_MODULES = SERVER_DIR.parent / "node_modules"

VENDORED = {
    "yasgui": ("@zazuko/yasgui/build", ("yasgui.min.js", "yasgui.min.css")),
    "swagger-ui": (
        "swagger-ui-dist",
        ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"),
    ),
    "vis-timeline": (
        "vis-timeline",
        (
            "standalone/umd/vis-timeline-graph2d.min.js",
            "LICENSE.md",
            "LICENSE.Apache-2.0.txt",
            "LICENSE.MIT.txt",
        ),
    ),
    "cytoscape": ("cytoscape", ("dist/cytoscape.min.js", "LICENSE")),
    "layout-base": ("layout-base", ("layout-base.js", "LICENSE")),
    "cose-base": ("cose-base", ("cose-base.js", "LICENSE")),
    "cytoscape-fcose": ("cytoscape-fcose", ("cytoscape-fcose.js", "LICENSE")),
}
"""URL segment under ``/static/vendor/`` → npm package directory and the files the pages use
(copied flat: ``standalone/umd/x.js`` of vis-timeline is ``/static/vendor/vis-timeline/x.js``)."""


class MissingAssets(RuntimeError):
    """The vendored files are not in the package (nor, for the copy, in ``node_modules``)."""


def missing(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """The vendored files absent from ``vendor_dir``."""
    return [
        vendor_dir / name / file
        for name, (_package, files) in VENDORED.items()
        for file in files
        if not (vendor_dir / name / Path(file).name).is_file()
    ]


def copy(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> None:
    """Replace ``vendor_dir`` with the files of ``VENDORED`` taken from ``node_modules``."""
    absent = [
        node_modules / package / file
        for _name, (package, files) in VENDORED.items()
        for file in files
        if not (node_modules / package / file).is_file()
    ]
    if absent:
        raise MissingAssets(f"{absent[0]} is missing: run `npm ci` (make install) first")
    shutil.rmtree(vendor_dir, ignore_errors=True)
    for name, (package, files) in VENDORED.items():
        (vendor_dir / name).mkdir(parents=True)
        for file in files:
            shutil.copyfile(node_modules / package / file, vendor_dir / name / Path(file).name)


if __name__ == "__main__":
    try:
        copy()
    except MissingAssets as error:
        sys.exit(f"maillage: {error}")
    print(f"vendored assets copied to {VENDOR_DIR.relative_to(SERVER_DIR.parent)}")
