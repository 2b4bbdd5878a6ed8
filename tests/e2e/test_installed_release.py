"""The release is the unit of deployment: a wheel of the project, installed (not editable) into a
new virtualenv, serves a copy of ``var/current`` from an unrelated working directory with
nothing of the checkout, and every route answers as the checkout's server answers.

Two real servers (``maillage serve``, one process each, port 0): the checkout's, on the session's
release, and the installed package's, on a copy of that release in an empty directory outside the
repository, started with no ``MAILLAGE_*`` variable but ``--release`` and ``--port``. Bodies are
compared byte for byte once each server's own address is replaced by a placeholder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import DCTERMS, Graph
from rdflib.compare import isomorphic

from maillage.settings import REPO_ROOT
from server import vendor

pytestmark = pytest.mark.slow

STARTUP_S = 120
PACKAGE_FILES = ("pyproject.toml", "README.md", "maillage", "server")
"""What the wheel is built from (a copy: building in the worktree would leave build/ there)."""
SERVING = re.compile(r"^maillage: serving (.+) on (http://127\.0\.0\.1:\d+/)$")
RDF_TYPES = (
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin/`` of a new virtualenv where the project's wheel is installed."""
    absent = vendor.missing()
    if absent:
        pytest.fail(f"{absent[0]} is missing: run `make vendor` before building the wheel")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in PACKAGE_FILES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=ignored)
        else:
            shutil.copyfile(REPO_ROOT / name, source / name)
    wheels = work / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source], work)
    (wheel,) = wheels.glob("maillage-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", venv], work)
    run([venv / "bin" / "pip", "install", "-q", wheel], work)
    return venv / "bin"


def run(command: list, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextlib.contextmanager
def serving(command: list, cwd: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """``maillage serve … --port 0`` running; yields its address, read from its first line."""
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        first = process.stdout.readline().strip()
        found = SERVING.match(first)
        assert found, f"unexpected first line {first!r}:\n{log.read_text()}"
        url = found.group(2)
        wait_until_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited:\n{log.read_text()}"
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url + "downloads/", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer in {STARTUP_S} s:\n{log.read_text()}")


def bare_environment(home: Path, bin_dir: Path) -> dict[str, str]:
    """No ``MAILLAGE_*``, no ``PYTHONPATH``, no virtualenv of the checkout on ``PATH``."""
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "MAILLAGE_HTTP_WORKERS": "1",
        "MAILLAGE_QUERY_WORKERS": "1",
    }


@pytest.fixture(scope="module")
def servers(built, installed, tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """(the checkout's address, the installed package's address, the copied release)."""
    settings, _build, _directory = built
    outside = tmp_path_factory.mktemp("deployed")
    assert not outside.resolve().is_relative_to(REPO_ROOT)
    copied = outside / "release"
    shutil.copytree((settings.var_dir / "current").resolve(), copied)
    cwd = outside / "elsewhere"
    cwd.mkdir()
    checkout_env = {
        **os.environ,
        "MAILLAGE_VAR_DIR": str(settings.var_dir),
        "MAILLAGE_HTTP_WORKERS": "1",
        "MAILLAGE_QUERY_WORKERS": "1",
    }
    checkout_command = [Path(sys.executable).with_name("maillage"), "serve", "--port", "0"]
    installed_command = [installed / "maillage", "serve", "--release", copied, "--port", "0"]
    with (
        serving(checkout_command, REPO_ROOT, checkout_env, outside / "checkout.log") as ours,
        serving(
            installed_command,
            cwd,
            bare_environment(outside, installed),
            outside / "installed.log",
        ) as theirs,
    ):
        yield ours, theirs, copied


def test_the_installed_package_runs_from_its_virtualenv_with_no_repository(installed, tmp_path):
    code = (
        "import maillage, server; from maillage.settings import Settings; "
        "print(maillage.__file__); print(server.__file__); print(Settings().root)"
    )
    env = bare_environment(tmp_path, installed)
    lines = subprocess.run(
        [str(installed / "python"), "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    venv = installed.parent
    assert Path(lines[0]).is_relative_to(venv) and Path(lines[1]).is_relative_to(venv)
    assert lines[2] == "None"


def routes(release: Path) -> list[tuple[str, dict[str, str]]]:
    """Every kind of route, each in every format it offers."""
    html = {"accept": "text/html"}
    files = sorted(
        p.relative_to(release).as_posix()
        for p in release.rglob("*")
        if p.is_file() and "store" not in p.relative_to(release).parts
    )
    listed = [
        ("/", html),
        ("/query", html),
        ("/docs", html),
        ("/openapi.json", {}),
        ("/document/001", html),
        ("/document/001?claim=d113-naissance", html),
        ("/downloads/", {}),
        ("/downloads/", html),
        ("/static/site.css", {}),
        ("/static/query.js", {}),
        ("/static/vendor/yasgui/yasgui.min.js", {}),
        ("/static/vendor/yasgui/yasgui.min.css", {}),
        ("/static/vendor/swagger-ui/swagger-ui-bundle.js", {}),
        ("/static/vendor/swagger-ui/swagger-ui.css", {}),
        ("/static/timeline.js", {}),
        ("/static/timeline.css", {}),
        ("/static/vendor/vis-timeline/vis-timeline-graph2d.min.js", {}),
        ("/timeline", html),
        ("/timeline.json", {}),
        ("/timeline/org/digital-113", html),
        ("/timeline/org/digital-113", {"accept": "application/json"}),
        ("/sparql", {"accept": "text/turtle"}),
        ("/sparql", html),
        (
            "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
            {"accept": "application/sparql-results+json"},
        ),
        ("/id/org/digital-113", html),
        ("/id/org/digital-113", {"accept": "text/turtle"}),
        ("/def/", {"accept": "text/turtle"}),
        ("/no/such/thing", html),
    ]
    for extension in ("html", "ttl", "jsonld", "nt", "rdf", "trig", "nq"):
        listed.append((f"/id/org/digital-113.{extension}", {}))
    for extension in ("html", "ttl", "jsonld"):
        listed.append((f"/id/person/pierre-deniset.{extension}", {}))
        listed.append((f"/id/claim/001/d113-naissance.{extension}", {}))
    for media in RDF_TYPES:
        listed.append(("/catalog", {"accept": media}))
        listed.append(("/.well-known/void", {"accept": media}))
    listed += [(f"/downloads/{name}", {}) for name in files]
    return listed


def normalised(response: httpx.Response, address: str) -> bytes:
    return response.content.replace(address.encode(), b"http://SERVER/").replace(
        address.rstrip("/").encode(), b"http://SERVER"
    )


RDFLIB_FORMATS = dict(zip(RDF_TYPES, ("turtle", "json-ld", "nt", "xml"), strict=True))


def without_live_dates(response: httpx.Response, address: str) -> Graph:
    """The catalogue but its dates: when each release went live is in ``history.jsonl``, beside
    the releases and in none of them, so a copy of one release served alone cannot say it (its
    catalogue keeps the day of ``data/dataset.yaml``); everything else is the same."""
    media = response.headers["content-type"].split(";")[0]
    graph = Graph().parse(data=normalised(response, address), format=RDFLIB_FORMATS[media])
    for predicate in (DCTERMS.issued, DCTERMS.modified):
        graph.remove((None, predicate, None))
    return graph


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_every_route_answers_as_from_the_checkout(servers):
    """(rdflib 7.6's JSON-LD parser uses its deprecated ConjunctiveGraph: not ours.)"""
    ours, theirs, release = servers
    checked = 0
    with httpx.Client(timeout=60, follow_redirects=False) as client:
        for path, headers in routes(release):
            expected = client.get(ours.rstrip("/") + path, headers=headers)
            answered = client.get(theirs.rstrip("/") + path, headers=headers)
            where = f"{path} {headers}"
            assert answered.status_code == expected.status_code, where
            assert answered.headers.get("content-type") == expected.headers.get("content-type")
            if "location" in expected.headers:
                location = expected.headers["location"].replace(ours, theirs)
                assert answered.headers["location"] == location, where
            if path == "/catalog":
                assert isomorphic(
                    without_live_dates(answered, theirs), without_live_dates(expected, ours)
                ), where
            else:
                assert normalised(answered, theirs) == normalised(expected, ours), where
            checked += 1
    assert checked > 40


def test_the_copied_release_serves_its_catalogue_documents_and_assets(servers):
    """Not only equal to the checkout's: what the copy holds is what is served."""
    _ours, theirs, release = servers
    with httpx.Client(timeout=60) as client:
        catalogue = client.get(theirs + "catalog", headers={"accept": "text/turtle"})
        assert catalogue.status_code == 200 and b"dcat:Catalog" in catalogue.content
        document = client.get(theirs + "document/001", headers={"accept": "text/html"})
        text = (release / "documents" / "001.txt").read_text(encoding="utf-8")
        assert document.status_code == 200 and 'class="claim' in document.text
        assert text.split()[0] in document.text
        yasgui = client.get(theirs + "static/vendor/yasgui/yasgui.min.js")
        assert yasgui.status_code == 200 and len(yasgui.content) > 100_000
