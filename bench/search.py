"""Search, autocomplete and reconciliation on a generated dataset: the latency of
``/search``, ``/search/suggest`` and a 10-query ``/reconcile`` batch, each p50 and p95 over a
set of representative requests made several times.

Usage::

    python -m bench.search bench/data/1M          # builds what it needs, once, then measures

The requests go through the server's own routes in process (an ASGI app holding the search and
reconciliation routes on the release's index and store, called by Starlette's test client: no
socket, no other route), so the figures are those of the index, the matching and the routes.
``bench.run`` runs the same measures on the full release it builds; this module alone builds
only what they need beside the generated N-Quads: the search index (``search.sqlite``, from the
rdflib default graph as the build makes it) and the store, in ``<dataset>/search-bench/`` — no
validation, no dumps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bench.release import default_graph, load_dataset, mentions, vocabulary
from maillage.layout import SEARCH_INDEX
from maillage.pipeline.search_index import search_database
from maillage.release_reader import ReleaseReader
from maillage.settings import REPO_ROOT, Settings
from maillage.store import STORE_DIR, create_store
from server.description_cache import DescriptionCache
from server.routes import reconcile, search

DATASET_FILE = "maillage-all.nq"
LEAN_DIR = "search-bench"
"""Beside the dataset: the index and the store this module builds when it runs alone."""
STAMP = "built-from.json"
INDEX_CODE = (
    "maillage/search.py",
    "maillage/pipeline/search_index.py",
    "maillage/pipeline/search_facets.py",
    "maillage/pipeline/search_quotes.py",
)
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
BASE = "https://w3id.org/maillage/"
RUNS = 20
"""Times each request is made (after one warm-up)."""
TARGETS_MS = {"search": 20.0, "suggest": 20.0, "reconcile": 100.0}
"""The p50 each kind must stay under (issue 9): search and autocomplete 20 ms, a batch 100 ms."""


# ---- what it needs --------------------------------------------------------------------------


def lean_release(dataset_dir: Path, report=print) -> Path:
    """``<dataset>/search-bench/`` with the search index and the store of the generated
    N-Quads, built when missing or built from other N-Quads."""
    nquads = dataset_dir / DATASET_FILE
    made_from = {
        "nquads_sha256": json.loads((dataset_dir / "dataset.json").read_text())["nquads_sha256"],
        "index_code_sha256": index_code_digest(),
    }
    out = dataset_dir / LEAN_DIR
    stamp = out / STAMP
    before = json.loads(stamp.read_text()) if stamp.is_file() else {}
    if before == made_from:
        return out
    same_data = before.get("nquads_sha256") == made_from["nquads_sha256"]
    out.mkdir(exist_ok=True)
    begun = time.perf_counter()
    dataset = load_dataset(nquads)
    default = default_graph(dataset)
    report(f"loaded {len(default)} triples in {time.perf_counter() - begun:.0f} s")
    index = search_database(default, vocabulary(Settings()), mentions(dataset))
    (out / SEARCH_INDEX).write_bytes(index)
    report(f"search index ({len(index) >> 20} MiB) at {time.perf_counter() - begun:.0f} s")
    del default, dataset
    if not (same_data and (out / STORE_DIR).is_dir()):
        shutil.rmtree(out / STORE_DIR, ignore_errors=True)
        create_store(out / STORE_DIR, nquads.read_bytes())
        report(f"store at {time.perf_counter() - begun:.0f} s")
    stamp.write_text(json.dumps(made_from) + "\n")
    return out


def index_code_digest() -> str:
    """The code that writes the index: when it changes, the index is built again."""
    digest = hashlib.sha256()
    for path in INDEX_CODE:
        digest.update((REPO_ROOT / path).read_bytes())
    return digest.hexdigest()


def search_app(release_dir: Path) -> FastAPI:
    """The search and reconciliation routes, as the server installs them, on ``release_dir``."""
    app = FastAPI()
    settings = Settings()
    app.state.settings = settings
    app.state.release = release_dir
    app.state.reader = ReleaseReader(release_dir, settings.base_iri)
    app.state.descriptions = DescriptionCache(app.state.reader, settings)  # its retired IRIs
    search.install(app)
    reconcile.install(app)
    return app


# ---- the requests ---------------------------------------------------------------------------


def labelled(reader: ReleaseReader, iris: list[str]) -> dict[str, str]:
    """The French label of each IRI that has one, in the order given."""
    found = {}
    for iri in iris:
        label = reader.label(ox.NamedNode(iri), "fr")
        if label is not None:
            found[iri] = label.value
    return found


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def misspelt(name: str) -> str:
    """One letter of the longest word dropped (``Causses Logiciel`` → ``Causses Logicel``)."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return " ".join(words)


def requests_of(sample: dict, names: list[str], commune: str) -> dict[str, list[dict]]:
    """Representative requests of each kind, from the sample's organisations and commune."""
    searches = [
        {"q": names[0]},  # a name as written
        {"q": names[1].lower()},  # in lower case
        {"q": plain(names[2]).upper()},  # without accents, upper case
        {"q": misspelt(names[3])},  # a typo
        {"q": names[4].split()[0]},  # one word of a name: many hits
        {"q": commune},  # a commune's name
        {"q": sample["search_word"]},  # a word of the descriptions
        {"q": names[5], "class": "org:Organization"},  # narrowed by a facet
        {"q": commune, "commune": sample["commune"].rsplit("/", 1)[-1]},  # narrowed by commune
        {"q": "cluster numérique"},  # two common words
    ]
    suggests = [{"q": name[:n]} for name in names[:6] for n in (2, 3, 5)]
    suggests += [{"q": plain(commune)[:4].lower()}, {"q": names[6].split()[0][:4] + " "}]
    noisy = [names[7].lower(), names[8] + " SAS", misspelt(names[9]), plain(names[10])]
    batch = {
        f"q{i}": {"query": name, "type": ORGANIZATION, "type_strict": "should"}
        for i, name in enumerate(noisy + names[11:17])
    }
    return {"search": searches, "suggest": suggests, "reconcile": [{"queries": batch}]}


# ---- measuring ------------------------------------------------------------------------------


def timed(client: TestClient, kind: str, request: dict) -> float:
    """Milliseconds for one request (which must succeed)."""
    begun = time.perf_counter()
    if kind == "reconcile":
        reply = client.post("/reconcile", data={"queries": json.dumps(request["queries"])})
    else:
        path = "/search" if kind == "search" else "/search/suggest"
        reply = client.get(path, params=request, headers={"Accept": "application/json"})
    spent = (time.perf_counter() - begun) * 1000
    if reply.status_code != 200:
        raise RuntimeError(f"{kind} {request}: {reply.status_code} {reply.text[:200]}")
    return spent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(release_dir: Path, sample: dict, runs: int = RUNS) -> dict:
    """p50 and p95 (ms) of each kind of request, over its requests made ``runs`` times each,
    and what was asked."""
    app = search_app(release_dir)
    reader = app.state.reader
    organisations = labelled(reader, sample["organisations"][:40])
    names = list(organisations.values())
    commune = labelled(reader, [sample["commune"]])[sample["commune"]]
    figures: dict = {"runs": runs, "kinds": {}}
    with TestClient(app) as client:
        figures["found"] = found_right(client, organisations)
        for kind, listed in requests_of(sample, names, commune).items():
            for request in listed:  # warm-up: caches, pages of the index
                timed(client, kind, request)
            spent = [timed(client, kind, r) for _ in range(runs) for r in listed]
            figures["kinds"][kind] = {
                "requests": len(listed),
                "p50_ms": round(statistics.median(spent), 2),
                "p95_ms": round(percentile(spent, 0.95), 2),
                "max_ms": round(max(spent), 2),
                "target_p50_ms": TARGETS_MS[kind],
                "asked": listed if kind != "reconcile" else [list(listed[0]["queries"].values())],
            }
    return figures


def found_right(client: TestClient, organisations: dict[str, str]) -> dict[str, str]:
    """Whether the answers are the right ones at this size, on the first ten organisations:
    first hit of the name searched, of its misspelling, first suggestion for the name typed,
    reconciliation candidate ranked first (``right/asked``)."""
    pairs = list(organisations.items())[:10]
    right = {"search": 0, "search misspelt": 0, "suggest": 0, "reconcile": 0}
    json_ = {"Accept": "application/json"}
    for iri, name in pairs:
        for key, q in (("search", name), ("search misspelt", misspelt(name))):
            hits = client.get("/search", params={"q": q}, headers=json_).json()["hits"]
            right[key] += bool(hits) and hits[0]["iri"] == iri
        suggested = client.get("/search/suggest", params={"q": name}).json()["suggestions"]
        right["suggest"] += bool(suggested) and suggested[0]["iri"] == iri
    batch = {f"q{i}": {"query": name, "type": ORGANIZATION} for i, (_, name) in enumerate(pairs)}
    answer = client.post("/reconcile", data={"queries": json.dumps(batch)}).json()
    for i, (iri, _) in enumerate(pairs):
        result = answer[f"q{i}"]["result"]
        right["reconcile"] += bool(result) and result[0]["id"] in (iri, iri.removeprefix(BASE))
    return {key: f"{count}/{len(pairs)}" for key, count in right.items()}


def table(figures: dict) -> str:
    right = ", ".join(f"{key} {value}" for key, value in figures.get("found", {}).items())
    lines = [
        f"Right first answers: {right}.",
        "",
        "| requests | count | p50 | p95 | max | target p50 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, found in figures["kinds"].items():
        met = "met" if found["p50_ms"] < found["target_p50_ms"] else "not met"
        lines.append(
            f"| {kind} | {found['requests']} × {figures['runs']} | {found['p50_ms']} ms "
            f"| {found['p95_ms']} ms | {found['max_ms']} ms "
            f"| < {found['target_p50_ms']:g} ms ({met}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("dataset", type=Path, help="a directory written by bench.generate")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    release_dir = lean_release(args.dataset, report=lambda line: print(line, file=sys.stderr))
    sample = json.loads((args.dataset / "sample.json").read_text())
    figures = measure(release_dir, sample, args.runs)
    (args.dataset / "search-timings.json").write_text(json.dumps(figures, indent=1) + "\n")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
