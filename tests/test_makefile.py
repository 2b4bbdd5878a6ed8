"""What each `make` target installs (issue 7): serving needs the runtime only, never apt or sudo;
the tests and the benchmark bring their own tools. Read from make's dry run of every step."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_INSTALLS = ("apt-get", "sudo", "chromium", "nginx", "virtuoso", "wrk", "apache2")


def dry_run(target: str) -> str:
    """Every command ``make target`` would run on a bare machine (``-B``: nothing up to date)."""
    done = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("target", ["serve", "build", "install-runtime"])
def test_serving_and_building_install_the_runtime_only(target):
    commands = dry_run(target)
    assert "pip install --quiet -e .\n" in commands
    assert "npm ci --omit=dev" in commands
    assert "[test" not in commands and "[bench" not in commands and "ingest]" not in commands
    assert not [word for word in SYSTEM_INSTALLS if word in commands], commands
    assert "testbench" not in commands  # the reconciliation test bench is for the tests only


def test_the_tests_install_their_tools():
    commands = dry_run("test")
    assert "pip install --quiet -e '.[test,bench,ingest]'" in commands
    assert "chromium-driver" in commands and "apache2" in commands and "virtuoso" in commands
    # The Reconciliation CG's test bench, copied out of ../shared and built from our lockfile.
    assert (
        "cp tests/reconciliation/testbench-package-lock.json build/testbench/package-lock.json"
        in commands
    )
    assert "cd build/testbench && npm ci" in commands and "npm run build" in commands


def test_serve_takes_its_address_from_host_and_port():
    commands = subprocess.run(
        ["make", "-n", "-p", "serve", "HOST=0.0.0.0", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "MAILLAGE_HOST := 0.0.0.0" in commands and "MAILLAGE_PORT := 8123" in commands
