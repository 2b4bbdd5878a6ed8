"""What the benchmark measures on a running engine: per-query latency and result counts, the
reference counts from the embedded engine, and the runaway-query test."""

from __future__ import annotations

import json
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from bench.engines import DESCRIPTION_QUERY, Engine, resource_query
from bench.load import Throughput, throughput
from maillage.store import STORE_DIR, Limits, QueryError, QueryRunner

QUERIES_DIR = Path(__file__).parent / "queries"
JSON = "application/sparql-results+json"
MIX_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
"""The SPARQL mix holds SELECTs and a CONSTRUCT: one Accept header fits both."""
NTRIPLES = "application/n-triples"
RUNAWAY = ("q03-members-at-date-naive", "q13-cartesian")
"""Left out of throughput runs: they are there to hit the planning cliff and the deadline."""


LABELS = {
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
}


class OverBudget(Exception):
    """An engine took longer than the time budget on a query of the mix: it is stopped, the
    rest of its measures at this size are left out, and it is not run at larger sizes."""


@dataclass(frozen=True)
class Latency:
    query: str
    rows: int | None
    """Solutions, or triples of a CONSTRUCT; None when the query failed or passed its budget."""
    median_ms: float | None
    p99_ms: float | None
    status: str


def load_queries(sample: dict) -> dict[str, str]:
    """The query mix, with the sample's IRIs and values in place of ``{{name}}``."""
    values = {
        "anchor_cluster": sample["anchor_cluster"],
        "anchor_date": sample["anchor_date"],
        "search_word": sample["search_word"].lower(),
        "organisation": sample["organisations"][0],
        "organisation_label": json.dumps(sample["organisation_label"]) + "@fr",
    }
    queries = {}
    for path in sorted(QUERIES_DIR.glob("q*.rq")):
        text = path.read_text(encoding="utf-8")
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
        queries[path.stem] = text
    return queries


def is_graph_query(query: str) -> bool:
    return "CONSTRUCT" in query


def count(body: bytes, graph: bool) -> int:
    if graph:  # distinct triples: an engine may repeat one in a CONSTRUCT's output
        return len({line for line in body.splitlines() if line.strip()})
    return len(json.loads(body)["results"]["bindings"])


def reference_counts(release: Path, queries: dict[str, str], budget_s: float) -> dict:
    """Result counts from the embedded engine (pyoxigraph on the release store), each query
    under ``budget_s`` (None past it)."""
    runner = QueryRunner(
        release / STORE_DIR, Limits(budget_s, 10**9, 10**12), 1, "https://w3id.org/maillage/"
    )
    counts: dict[str, int | None] = {}
    try:
        for name, query in queries.items():
            graph = is_graph_query(query)
            try:
                body = runner.run(query, NTRIPLES if graph else JSON).body
            except QueryError:
                counts[name] = None
                continue
            counts[name] = count(body, graph)
    finally:
        runner.close()
    return counts


def latencies(engine: Engine, queries: dict[str, str], runs: int, budget_s: float) -> list:
    """Each query once cold, then ``runs`` times warm (while within the budget), keep-alive."""
    found = []
    with httpx.Client(base_url=engine.url, timeout=budget_s) as client:
        for name, query in queries.items():
            found.append(_latency(client, engine, name, query, runs, budget_s))
    return found


def wait_until_idle(engine: Engine, budget_s: float) -> float:
    """After a load run: the seconds until the engine answers a trivial query within 1 s again.
    An engine that cannot cancel (rdflib-endpoint, raw Oxigraph) still works through what the
    load generator left in flight; measuring it meanwhile would measure that backlog."""
    started = time.perf_counter()
    path = engine.sparql_path("ASK { ?s ?p ?o }")
    while time.perf_counter() - started < budget_s:
        try:
            httpx.get(engine.url + path, headers={"Accept": JSON}, timeout=1.0)
            return time.perf_counter() - started
        except httpx.TimeoutException:
            continue
    raise OverBudget(f"still busy {budget_s:g} s after a load run")


def description_equivalence(engine: Engine, release: Path, iris: list[str]) -> dict:
    """Whether our description documents hold what ``q14-description.rq`` returns on the
    embedded engine: the same triples, but for the labels of vocabulary terms, which our server
    reads from ``ontology.ttl`` (not in the store, so no CONSTRUCT on the store can return
    them). Counts the IRIs where that holds and the share of our triples the CONSTRUCT has."""
    store = ox.Store.read_only(str(release / STORE_DIR))
    equal, ours_total, shared = 0, 0, 0
    differing = []
    with httpx.Client(base_url=engine.url, timeout=60) as client:
        for iri in iris:
            body = client.get(engine.deref_path(iri, ".nt")).content
            ours = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
            theirs = set(store.query(resource_query(DESCRIPTION_QUERY, iri)))
            ours_total, shared = ours_total + len(ours), shared + len(ours & theirs)
            if not theirs - ours and all(_vocabulary_label(t) for t in ours - theirs):
                equal += 1
            else:
                differing.append(iri)
    share = shared / ours_total if ours_total else 0.0
    return {"iris": len(iris), "equal": equal, "share": round(share, 3), "differing": differing}


def _vocabulary_label(triple: ox.Triple) -> bool:
    return triple.predicate in LABELS and "/id/" not in triple.subject.value


def _latency(client, engine: Engine, name: str, query: str, runs: int, budget_s: float):
    graph = is_graph_query(query)
    headers = {"Accept": NTRIPLES if graph else JSON}
    path = engine.sparql_path(query)
    times, rows, spent = [], None, 0.0
    for attempt in range(runs + 1):
        started = time.perf_counter()
        try:
            reply = client.get(path, headers=headers)
        except httpx.TimeoutException:
            return Latency(name, None, None, None, f"over {budget_s:g} s")
        except httpx.TransportError as error:
            return Latency(name, None, None, None, f"no answer ({type(error).__name__})")
        elapsed = time.perf_counter() - started
        spent += elapsed
        if reply.status_code != 200:
            return Latency(name, None, None, None, f"HTTP {reply.status_code}")
        rows = count(reply.content, graph)
        if attempt:
            times.append(elapsed * 1000)
        if spent > budget_s:
            break
    if not times:
        return Latency(name, rows, None, None, "one run (slow)")
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return Latency(name, rows, statistics.median(times), p99, "ok")


def runaway(
    engine: Engine, query: str, limit_s: float, deref_paths: list[str], workdir: Path
) -> dict:
    """Send a runaway query while dereferencing runs at 8 clients; how long until the client
    gets its answer (and which), and how dereferencing held up."""
    baseline = throughput(engine.url, deref_paths, "text/turtle", 8, limit_s, workdir)
    answer: dict = {}

    def send() -> None:
        started = time.perf_counter()
        reply = httpx.get(
            engine.url + engine.sparql_path(query),
            headers={"Accept": JSON},
            timeout=limit_s * 10,
        )
        answer.update(status=reply.status_code, seconds=time.perf_counter() - started)
        answer["message"] = reply.text[:200]

    thread = threading.Thread(target=send)
    thread.start()
    during: Throughput = throughput(engine.url, deref_paths, "text/turtle", 8, limit_s, workdir)
    thread.join()
    return {
        **answer,
        "limit_s": limit_s,
        "deref_before": baseline.requests_per_s,
        "deref_during": during.requests_per_s,
        "kept": during.requests_per_s / baseline.requests_per_s if baseline.requests_per_s else 0,
    }
