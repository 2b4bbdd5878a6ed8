"""Three independent JSON-LD processors reading a file with nothing from the network: rdflib
(sockets refused), PyLD (a document loader that raises) and jsonld.js under node
(``jsonld_to_nquads.js``: a loader that throws, safe mode), each giving N-Quads, and the
comparison of those with a sibling in another syntax, blank nodes canonically labelled."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from rdflib import Dataset

from maillage.settings import REPO_ROOT

NODE_SCRIPT = Path(__file__).with_name("jsonld_to_nquads.js")


class NetworkRefused(OSError):
    pass


def refuse_network(monkeypatch) -> None:
    """Any attempt to open a connection (a context fetch by rdflib or PyLD) fails loudly."""

    def refuse(*args, **_kwargs):
        raise NetworkRefused(f"network access refused in this test: {args[1:]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def refuse_every_url(url: str, _options=None):
    raise NetworkRefused(f"PyLD asked for a remote document: {url}")


def by_rdflib(path: Path) -> str:
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's Dataset.parse and JSON-LD parser call its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=path.read_text(), format="json-ld")
        return dataset.serialize(format="nquads")


def by_pyld(path: Path) -> str:
    options = {"documentLoader": refuse_every_url, "format": "application/n-quads"}
    return jsonld.to_rdf(json.loads(path.read_text()), options)


def by_jsonld_js(path: Path) -> str:
    node = shutil.which("node")
    assert node, "node is required (make install): jsonld.js runs under node"
    run = subprocess.run(
        [node, str(NODE_SCRIPT), str(path)], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert run.returncode == 0, f"jsonld.js could not read {path.name}:\n{run.stderr}"
    return run.stdout


PARSERS: dict[str, Callable[[Path], str]] = {
    "rdflib": by_rdflib,
    "pyld": by_pyld,
    "jsonld.js": by_jsonld_js,
}


def canonical(data: str | bytes, fmt: ox.RdfFormat) -> set[str]:
    """The dataset as a set of N-Quads lines, blank nodes canonically labelled."""
    dataset = ox.Dataset(ox.parse(data, format=fmt))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def assert_same_graph(jsonld_path: Path, parser: str, expected: set[str]) -> None:
    got = canonical(PARSERS[parser](jsonld_path), ox.RdfFormat.N_QUADS)
    assert expected, f"{jsonld_path.name}: its sibling is empty"
    missing, extra = sorted(expected - got), sorted(got - expected)
    assert not missing and not extra, (
        f"{jsonld_path.name} through {parser}: {len(missing)} quads missing "
        f"(first: {missing[:3]}), {len(extra)} extra (first: {extra[:3]})"
    )
