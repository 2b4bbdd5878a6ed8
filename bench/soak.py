"""The soak: ``python -m bench.soak`` (a stage of ``make bench``): ``maillage serve`` on a
generated release, 32 clients for 10 minutes, mixing what users do.

Each client sends one request after another, drawn at random (seeded) from :class:`Plan`:
dereferencing (an IRI's 303 and its description documents, prepared or not, and its HTML page),
SPARQL (the benchmark's query mix, and now and then its cartesian product, which runs to the
deadline and is answered 503), downloads of the release's files, search and autocomplete, and
reconciliation batches as OpenRefine posts them. The clients come from eight loopback
addresses (127.0.0.1 to 127.0.0.8), four from each, as that many users would: the server
limits concurrent queries per client address (``client_max_concurrent``, 4 by default).

It prints the answers counted by kind and status, and the resident memory of the server's
process tree (its HTTP and query workers) after the warm-up and at the end: the growth must
stay under 10 %, and no answer may be other than 200, 303 or the designed 429 and 503.
``tests/test_soak.py`` runs the same code for a few seconds on a small release.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import datetime
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.targets import Bound, verdict_table

RESULTS = Path(__file__).parent / "results"
DESIGNED = {200, 303, 429, 503}
"""What an answer of the mix may be: the 303 of an IRI (not followed), and the designed
refusals, too many queries at once from one address (429) and past the deadline (503)."""
REFUSALS = {429, 503}
ADDRESSES = [f"127.0.0.{n}" for n in range(1, 9)]
GROWTH_LIMIT = 0.10
SECONDS, CLIENTS = 600.0, 32
"""The soak issue 12 asks for: 10 minutes at 32 clients."""
RUNAWAY_SHARE = 0.0005
"""One request in 2,000 is the cartesian product: it holds a query worker until the deadline."""


@dataclasses.dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    form: dict[str, str] | None = None


@dataclasses.dataclass
class Plan:
    """The requests of each kind, and how often each kind is drawn."""

    requests: dict[str, list[Request]]
    weights: dict[str, float]

    def draw(self, rnd: random.Random) -> Request:
        kinds = list(self.weights)
        kind = rnd.choices(kinds, weights=[self.weights[k] for k in kinds])[0]
        return rnd.choice(self.requests[kind])


WEIGHTS = {
    "dereference": 40,
    "page": 5,
    "sparql": 25,
    "runaway": 100 * RUNAWAY_SHARE,
    "download": 10,
    "search": 10,
    "reconcile": 10,
}
DOCUMENTS = (".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq")


def plan(
    base_iri: str,
    iris: list[str],
    queries: list[str],
    runaway: str,
    downloads: list[str],
    searches: list[dict],
    suggestions: list[dict],
    batches: list[dict],
) -> Plan:
    """The mix over what the release holds: IRIs of ours, SPARQL queries, file paths, search
    and autocomplete parameters, reconciliation batches."""
    paths = ["/" + iri.removeprefix(base_iri) for iri in iris]
    sparql_json = {"Accept": "application/sparql-results+json, application/n-triples;q=0.9"}
    requests = {
        "dereference": [Request("dereference", "GET", p) for p in paths]
        + [Request("dereference", "GET", p + ext) for p in paths for ext in DOCUMENTS],
        "page": [Request("page", "GET", p + ".html") for p in paths],
        "sparql": [
            Request("sparql", "GET", "/sparql?query=" + quote(q, safe=""), sparql_json)
            for q in queries
        ],
        "runaway": [
            Request("runaway", "GET", "/sparql?query=" + quote(runaway, safe=""), sparql_json)
        ],
        "download": [Request("download", "GET", p) for p in downloads],
        "search": [
            Request("search", "GET", "/search?" + httpx.QueryParams(s).__str__(), _json())
            for s in searches
        ]
        + [
            Request("search", "GET", "/search/suggest?" + httpx.QueryParams(s).__str__())
            for s in suggestions
        ],
        "reconcile": [
            Request("reconcile", "POST", "/reconcile", form={"queries": json.dumps(b)})
            for b in batches
        ],
    }
    return Plan(requests, {k: w for k, w in WEIGHTS.items() if requests[k]})


def _json() -> dict[str, str]:
    return {"Accept": "application/json"}


@dataclasses.dataclass
class Tally:
    answers: collections.Counter[tuple[str, int]] = dataclasses.field(
        default_factory=collections.Counter
    )
    failures: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    rss_mib: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    """(seconds since the start, MiB)."""
    examples: dict[tuple[str, int], str] = dataclasses.field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.answers.values())

    def undesigned(self) -> dict[tuple[str, int], int]:
        return {k: n for k, n in self.answers.items() if k[1] not in DESIGNED}


async def _client(
    number: int, work: Plan, until: float, tally: Tally, base_url: str, seed: int
) -> None:
    rnd = random.Random(seed * 1000 + number)
    transport = httpx.AsyncHTTPTransport(local_address=ADDRESSES[number % len(ADDRESSES)])
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=120) as client:
        while time.monotonic() < until:
            request = work.draw(rnd)
            try:
                reply = await client.request(
                    request.method, request.path, headers=request.headers, data=request.form
                )
            except httpx.HTTPError as error:
                tally.failures[f"{request.kind}: {type(error).__name__}"] += 1
                continue
            key = (request.kind, reply.status_code)
            tally.answers[key] += 1
            if reply.status_code not in (200, 303):
                tally.examples.setdefault(key, f"{request.path[:80]} → {reply.text[:120]!r}")


async def _watch(rss: Callable[[], float], begun: float, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        tally.rss_mib.append((time.monotonic() - begun, rss()))
        await asyncio.sleep(min(10.0, max(0.0, until - time.monotonic())))
    tally.rss_mib.append((time.monotonic() - begun, rss()))


def soak(
    base_url: str,
    work: Plan,
    seconds: float,
    clients: int = CLIENTS,
    rss: Callable[[], float] | None = None,
    seed: int = 1,
) -> Tally:
    """``clients`` clients on ``base_url`` for ``seconds``; memory sampled every 10 s by
    ``rss`` (MiB of the server's processes) when given."""
    tally = Tally()

    async def run() -> None:
        begun = time.monotonic()
        until = begun + seconds
        tasks = [_client(n, work, until, tally, base_url, seed) for n in range(clients)]
        if rss is not None:
            tasks.append(_watch(rss, begun, until, tally))
        await asyncio.gather(*tasks)

    asyncio.run(run())
    return tally


def memory(tally: Tally, warmup_s: float) -> tuple[float, float, float]:
    """RSS (MiB) after the warm-up, at the end, and the growth between them."""
    after = [mib for at, mib in tally.rss_mib if at >= warmup_s] or [tally.rss_mib[-1][1]]
    warm, end = after[0], tally.rss_mib[-1][1]
    return warm, end, (end - warm) / warm


def targets(tally: Tally, seconds: float, clients: int, warmup_s: float) -> str:
    """Issue 12's soak targets: 10 minutes at 32 clients, RSS growth after the warm-up < 10 %,
    no answer but 200, 303 and the designed 429 and 503 (and none missing)."""
    growth = memory(tally, warmup_s)[2] if tally.rss_mib else None
    wrong = sum(tally.undesigned().values()) + sum(tally.failures.values())
    return verdict_table(
        [
            ("duration (s)", Bound(SECONDS, "≥ 600 s", below=False), seconds, f"{seconds:.0f} s"),
            ("clients", Bound(CLIENTS, "≥ 32", below=False), clients, str(clients)),
            (
                "RSS growth of the server's processes after the warm-up",
                Bound(GROWTH_LIMIT, "< +10 %"),
                growth,
                "" if growth is None else f"{growth:+.1%}",
            ),
            (
                "answers other than 200, 303, 429, 503, or no answer",
                Bound(1, "0"),
                wrong,
                str(wrong),
            ),
        ]
    )


def report(tally: Tally, seconds: float, clients: int, warmup_s: float) -> str:
    kinds = sorted({kind for kind, _ in tally.answers})
    statuses = sorted({status for _, status in tally.answers})
    lines = [
        targets(tally, seconds, clients, warmup_s),
        "",
        f"{tally.total} answers in {seconds:.0f} s at {clients} clients "
        f"({tally.total / seconds:.0f} a second)",
        "",
        "| kind | " + " | ".join(str(s) for s in statuses) + " |",
        "| --- |" + " ---: |" * len(statuses),
    ]
    for kind in kinds:
        counts = " | ".join(str(tally.answers.get((kind, s), 0)) for s in statuses)
        lines.append(f"| {kind} | {counts} |")
    if tally.rss_mib:
        warm, end, growth = memory(tally, warmup_s)
        peak = max(mib for _, mib in tally.rss_mib)
        every_minute = [f"{at / 60:.0f} min {mib:.0f}" for at, mib in tally.rss_mib[::6]]
        lines += [
            "",
            f"RSS of the server's processes: {warm:.0f} MiB after the {warmup_s:.0f} s warm-up, "
            f"{end:.0f} MiB at the end ({growth:+.1%}), "
            f"peak {peak:.0f} MiB",
            "RSS (MiB) each minute: " + ", ".join(every_minute),
        ]
    undesigned = tally.undesigned()
    lines += ["", f"answers other than 200, 303, 429, 503: {sum(undesigned.values())}"]
    lines += [f"- {k}: {n}, e.g. {tally.examples.get(k, '')}" for k, n in undesigned.items()]
    lines += [f"- no answer: {what}: {n}" for what, n in tally.failures.items()]
    for key in sorted(k for k in tally.examples if k[1] in REFUSALS):
        lines.append(f"- designed {key[1]} ({key[0]}), e.g. {tally.examples[key]}")
    return "\n".join(lines)


# ---- the benchmark stage -------------------------------------------------------------------


def release_plan(release_dir: Path, sample: dict, base_iri: str) -> Plan:
    """The mix on a generated release: the sample's IRIs, the benchmark's query mix, the
    release's files, and the search stage's requests."""
    from bench import measure
    from bench import search as search_stage
    from bench.run import deref_sample, download_paths
    from maillage.release_reader import ReleaseReader

    queries = measure.load_queries(sample)
    light = [q for name, q in queries.items() if name not in measure.RUNAWAY]
    reader = ReleaseReader(release_dir, base_iri)
    names = list(search_stage.labelled(reader, sample["organisations"][:40]).values())
    commune = search_stage.labelled(reader, [sample["commune"]])[sample["commune"]]
    asked = search_stage.requests_of(sample, names, commune)
    return plan(
        base_iri,
        deref_sample(sample),
        light,
        queries["q13-cartesian"],
        download_paths(release_dir),
        asked["search"],
        asked["suggest"],
        [r["queries"] for r in asked["reconcile"]],
    )


def main(argv: list[str] | None = None) -> int:
    from bench import engines
    from bench.run import BASE, deref_sample, prepared_release

    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", default="10k", help="the generated release to serve")
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--warmup", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--query-timeout", type=float, default=5.0, help="the server's deadline")
    args = parser.parse_args(argv)
    release_dir, sample, _ = prepared_release(args.size, 1)
    work = release_plan(release_dir, sample, BASE)
    env = {
        "MAILLAGE_QUERY_TIMEOUT_S": str(args.query_timeout),
        "MAILLAGE_CLIENT_MAX_CONCURRENT": "4",  # the public default: one limit per address
    }
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    with engines.ours(release_dir, env, deref_sample(sample)[0]) as engine:
        tally = soak(engine.url, work, args.seconds, args.clients, engine.rss_mib)
        pss = engine.pss_mib()  # the tree's memory in all, shared pages counted once
    text = report(tally, args.seconds, args.clients, args.warmup)
    text += f"\nPSS of the server's processes at the end: {pss:.0f} MiB\n\nrelease {args.size}"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"soak-{stamp}.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    growth = memory(tally, args.warmup)[2]
    return 1 if tally.undesigned() or tally.failures or growth >= GROWTH_LIMIT else 0


if __name__ == "__main__":
    raise SystemExit(main())
