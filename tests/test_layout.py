"""The release contract: the server reads a release through ``maillage/layout.py`` and imports
nothing from the pipeline (data flows one way), and the build writes every file the contract
names."""

from __future__ import annotations

import json
import subprocess
import sys

from maillage import layout

IMPORT_EVERY_SERVER_MODULE = """
import importlib, pkgutil, sys
import server
for module in pkgutil.walk_packages(server.__path__, "server."):
    if module.name != "server.vendor":
        importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.startswith("maillage.pipeline")))
"""


def test_the_server_imports_nothing_from_the_pipeline():
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_SERVER_MODULE],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_build_writes_every_file_the_contract_names(release):
    named = {
        value
        for name, value in vars(layout).items()
        if name.isupper() and type(value) is str and "." in value
    }
    listed = set(json.loads((release / layout.MANIFEST).read_text())["files"])
    assert named - {layout.MANIFEST} <= listed
    assert (release / layout.STORE_DIR).is_dir()
    assert all(layout.contents(name)[1] for name in listed), "a file with no description"
