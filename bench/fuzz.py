"""Fuzzing the SPARQL endpoint: ``python -m bench.fuzz`` (a stage of ``make bench``).

Queries come from two hypothesis strategies (:func:`queries`):

- :func:`grammar_queries`, SPARQL 1.1 written from its grammar: the four query forms, prologues
  with ``BASE`` and ``PREFIX``, ``FROM``, triple patterns with property paths, blank nodes and
  collections, ``OPTIONAL``, ``UNION``, ``MINUS``, ``GRAPH``, ``FILTER``, ``BIND``, ``VALUES``,
  subqueries, ``EXISTS``, every built-in function and cast, aggregates, ``GROUP BY``,
  ``HAVING``, ``ORDER BY``, ``LIMIT``/``OFFSET``, literals of every kind (out-of-range numbers,
  bad lexical forms, escapes, any Unicode); mostly valid, so that most reach the engine;
- :func:`mutated_suite_queries`, the queries of the W3C SPARQL 1.1 suite
  (``../shared/test-suites/sparql11-query/``, syntax and evaluation tests) as written and
  mutated: characters and tokens deleted, repeated, swapped or inserted, truncated, nested
  deeply, numbers made huge, escapes and control characters added.

Each is sent to a real server (GET, POST form or POST ``application/sparql-query``, with one of
a few ``Accept`` headers). :func:`judge` holds what an answer must be: 200 with a well-formed
body in the type asked, or 400, 413, 422, 429 or 503 with a sentence saying why (plain text, or
``{"detail": …}`` JSON when JSON was preferred); never 500 nor anything else.

``make test`` runs a seeded smoke of a few hundred (``tests/test_fuzz_sparql.py``); this module
runs 10,000 against ``maillage serve`` on the benchmark's generated 10k release and prints the
answers counted by status, one reason quoted for each, and every answer that broke the rule.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import datetime
import json
import random
import string
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from bench.targets import Bound, verdict_table
from maillage.settings import REPO_ROOT

SUITE = REPO_ROOT.parent / "shared" / "test-suites" / "sparql11-query"
"""The W3C suites sit beside the repository (``../shared/test-suites/``)."""
RESULTS = Path(__file__).parent / "results"
TARGET_QUERIES = 10_000
ALLOWED = {200, 400, 413, 422, 429, 503}
"""What an answer to a query may be (issue 12): the result, or a refusal saying why."""
ACCEPTS = (
    "application/sparql-results+json, text/turtle;q=0.9",
    "*/*",
    "application/sparql-results+xml, application/n-triples;q=0.9",
)
"""Each can be met by every query form, so a 406 is never right."""
METHODS = ("GET", "POST form", "POST direct")
MAX_URL = 60_000
"""httpx builds no URL longer than 64 KiB: a longer query is sent as a form."""

# ---- the SPARQL grammar, as hypothesis strategies ------------------------------------------

OURS = "https://w3id.org/maillage/"
VARIABLES = ("?s", "?p", "?o", "?x", "?y", "?n", "?g", "$z", "?label", "?_1")
IRIS = (
    f"<{OURS}id/org/o1>",
    f"<{OURS}id/org/o0>",
    "<id/org/o2>",
    "<http://example.org/x>",
    "<>",
    f"<{OURS}id/claim/doc-a/c1>",
    "org:Organization",
    "rdfs:label",
    "rdf:type",
    "skos:prefLabel",
    "mlg:quote",
    "xsd:integer",
    "id:org\\/o3",
    ":local",
    "ex:undeclared",
)
PREDICATES = (*IRIS[6:11], "a", f"<{OURS}def/rank>", "<http://example.org/p>")
XSD = (
    "integer",
    "decimal",
    "double",
    "float",
    "boolean",
    "string",
    "date",
    "dateTime",
    "gYear",
    "gYearMonth",
    "negativeInteger",
    "byte",
    "unsignedLong",
    "duration",
    "time",
)
FUNCTIONS = {
    0: ("RAND", "NOW", "UUID", "STRUUID", "BNODE"),
    1: (
        "STR",
        "LANG",
        "DATATYPE",
        "IRI",
        "URI",
        "BNODE",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "isIRI",
        "isURI",
        "isBLANK",
        "isLITERAL",
        "isNUMERIC",
        "xsd:integer",
        "xsd:double",
        "xsd:decimal",
        "xsd:boolean",
        "xsd:string",
        "xsd:dateTime",
        "xsd:date",
        "xsd:float",
    ),
    2: (
        "LANGMATCHES",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "STRLANG",
        "STRDT",
        "sameTerm",
        "REGEX",
        "SUBSTR",
        "COALESCE",
        "CONCAT",
    ),
    3: ("IF", "REGEX", "SUBSTR", "REPLACE", "COALESCE", "CONCAT"),
    4: ("REPLACE",),
}
AGGREGATES = ("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT")
OPERATORS = ("=", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def literals() -> st.SearchStrategy[str]:
    text = st.text(max_size=12)
    quoted = text.map(lambda t: f'"{_escaped(t)}"')
    return st.one_of(
        quoted,
        st.tuples(quoted, st.sampled_from(("fr", "en", "en-GB", "x-private-1", "zz"))).map(
            lambda t: f"{t[0]}@{t[1]}"
        ),
        st.tuples(text, st.sampled_from(XSD)).map(lambda t: f'"{_escaped(t[0])}"^^xsd:{t[1]}'),
        st.sampled_from(
            (
                '"2019-02-05"^^xsd:date',
                '"2019-13-45"^^xsd:date',
                '"1e400"^^xsd:double',
                '"NaN"^^xsd:double',
                '"-INF"^^xsd:float',
                '"P1Y2M"^^xsd:duration',
                '"""long\nstring"""',
                "'single'",
                '"\\u00e9t\\u00e9"',
                '"abc"^^xsd:integer',
                "true",
                "false",
            )
        ),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:e}"),
    )


variables = st.sampled_from(VARIABLES)
iris = st.sampled_from(IRIS)
blank_nodes = st.sampled_from(("_:b0", "_:b1", "[]"))
subjects = st.one_of(variables, iris, blank_nodes)
objects = st.one_of(variables, iris, blank_nodes, literals())


def paths() -> st.SearchStrategy[str]:
    return st.recursive(
        st.sampled_from(PREDICATES),
        lambda inner: st.one_of(
            inner.map(lambda p: f"^{p}" if p in PREDICATES else f"^({p})"),
            inner.map(lambda p: f"({p})"),
            st.tuples(inner, st.sampled_from("*+?")).map(lambda t: f"({t[0]}){t[1]}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}/{t[1]}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}|{t[1]}"),
            st.lists(st.sampled_from(PREDICATES[:5]), min_size=1, max_size=3).map(
                lambda ps: "!(" + "|".join(ps) + ")"
            ),
        ),
        max_leaves=4,
    )


def triples() -> st.SearchStrategy[str]:
    predicate = st.one_of(variables, paths())
    simple = st.tuples(subjects, predicate, objects).map(" ".join)
    nested = st.tuples(predicate, objects).map(lambda t: f"[ {t[0]} {t[1]} ]")
    collection = st.lists(objects, max_size=3).map(lambda items: f"( {' '.join(items)} )")
    return st.one_of(
        simple,
        simple,
        st.tuples(nested, predicate, objects).map(" ".join),
        st.tuples(subjects, predicate, collection).map(" ".join),
        st.tuples(subjects, predicate, st.lists(objects, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]} {t[1]} {', '.join(t[2])}"
        ),
    )


def expressions(patterns: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def call(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        arity = st.sampled_from(sorted(FUNCTIONS))
        return arity.flatmap(
            lambda n: st.tuples(
                st.sampled_from(FUNCTIONS[n]), st.lists(inner, min_size=n, max_size=n)
            ).map(lambda t: f"{t[0]}({', '.join(t[1])})")
        )

    return st.recursive(
        st.one_of(variables, literals(), iris),
        lambda inner: st.one_of(
            call(inner),
            st.tuples(inner, st.sampled_from(OPERATORS), inner).map(lambda t: f"({' '.join(t)})"),
            st.tuples(st.sampled_from("!-+"), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(inner, st.sampled_from(("IN", "NOT IN")), st.lists(inner, max_size=3)).map(
                lambda t: f"({t[0]} {t[1]} ({', '.join(t[2])}))"
            ),
            st.tuples(st.sampled_from(("EXISTS", "NOT EXISTS")), patterns).map(
                lambda t: f"{t[0]} {{ {t[1]} }}"
            ),
        ),
        max_leaves=6,
    )


def group_patterns() -> st.SearchStrategy[str]:
    """The inside of a ``{ … }`` group, recursively."""

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        values = st.tuples(
            variables, st.lists(st.one_of(iris, literals(), st.just("UNDEF")), max_size=3)
        )
        return st.one_of(
            st.tuples(inner, inner).map(lambda t: f"{t[0]} . {t[1]}"),
            inner.map(lambda p: f"OPTIONAL {{ {p} }}"),
            st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} }} UNION {{ {t[1]} }}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]} MINUS {{ {t[1]} }}"),
            st.tuples(st.one_of(variables, iris), inner).map(
                lambda t: f"GRAPH {t[0]} {{ {t[1]} }}"
            ),
            st.tuples(inner, expressions(inner)).map(lambda t: f"{t[0]} FILTER ({t[1]})"),
            st.tuples(inner, expressions(inner), variables).map(
                lambda t: f"{t[0]} BIND ({t[1]} AS {t[2]})"
            ),
            st.tuples(inner, values).map(
                lambda t: f"{t[0]} VALUES {t[1][0]} {{ {' '.join(t[1][1])} }}"
            ),
            st.tuples(inner, inner).map(
                lambda t: f"{{ SELECT * WHERE {{ {t[0]} }} LIMIT 5 }} {t[1]}"
            ),
        )

    return st.recursive(triples(), extend, max_leaves=5)


def select_clauses(patterns: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    aggregate = st.tuples(st.sampled_from(AGGREGATES), st.booleans(), variables, variables).map(
        lambda t: f"({t[0]}({'DISTINCT ' if t[1] else ''}{t[2]}) AS {t[3]})"
    )
    count_all = variables.map(lambda v: f"(COUNT(*) AS {v})")
    projected = st.one_of(
        variables,
        aggregate,
        count_all,
        st.tuples(expressions(patterns), variables).map(lambda t: f"({t[0]} AS {t[1]})"),
    )
    return st.one_of(
        st.just("*"), st.lists(projected, min_size=1, max_size=3).map(" ".join)
    ).flatmap(
        lambda p: st.sampled_from(("", "DISTINCT ", "REDUCED ")).map(lambda d: f"SELECT {d}{p}")
    )


def modifiers(patterns: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    condition = st.one_of(variables, expressions(patterns).map(lambda e: f"({e})"))
    order = st.tuples(st.sampled_from(("", "ASC", "DESC")), condition).map(
        lambda t: f"{t[0]}({t[1]})" if t[0] else t[1]
    )
    rarely = st.sampled_from((False, False, False, True))
    parts = st.tuples(
        rarely.flatmap(
            lambda some: (
                st.lists(variables, min_size=1, max_size=2).map(
                    lambda vs: "GROUP BY " + " ".join(vs)
                )
                if some
                else st.just("")
            )
        ),
        rarely.flatmap(
            lambda some: (
                expressions(patterns).map(lambda e: f"HAVING ({e})") if some else st.just("")
            )
        ),
        st.one_of(
            st.just(""),
            st.lists(order, min_size=1, max_size=2).map(lambda os: "ORDER BY " + " ".join(os)),
        ),
        st.one_of(st.just(""), st.integers(0, 10**20).map(lambda n: f"LIMIT {n}")),
        st.one_of(st.just(""), st.integers(0, 10**20).map(lambda n: f"OFFSET {n}")),
    )
    return parts.map(lambda t: " ".join(p for p in t if p))


def prologues() -> st.SearchStrategy[str]:
    declaration = st.one_of(
        st.just(f"BASE <{OURS}>"),
        st.just("BASE <http://example.org/base/>"),
        st.just("PREFIX : <http://example.org/>"),
        st.just("PREFIX org: <http://example.org/not-org#>"),
        st.just(f"PREFIX ex: <{OURS}id/claim/>"),
    )
    dataset = st.sampled_from(
        ("",) * 6
        + (
            f"FROM <{OURS}id/claim/doc-a/c1>",
            f"FROM NAMED <{OURS}id/claim/doc-a/c1>",
            "FROM <http://example.org/g>",
            "FROM <file:///etc/passwd>",
        )
    )
    return st.tuples(st.lists(declaration, max_size=2), dataset).map(
        lambda t: ("\n".join(t[0]), t[1])
    )


def grammar_queries() -> st.SearchStrategy[str]:
    patterns = group_patterns()
    template = st.lists(
        st.tuples(subjects, st.one_of(variables, st.sampled_from(PREDICATES)), objects).map(
            " ".join
        ),
        max_size=3,
    ).map(" . ".join)
    form = st.one_of(
        select_clauses(patterns),
        st.just("ASK"),
        template.map(lambda t: f"CONSTRUCT {{ {t} }}"),
        st.lists(st.one_of(variables, iris), min_size=1, max_size=2).map(
            lambda ts: "DESCRIBE " + " ".join(ts)
        ),
    )
    return st.tuples(prologues(), form, patterns, modifiers(patterns)).map(
        lambda t: f"{t[0][0]}\n{t[1]} {t[0][1]} WHERE {{ {t[2]} }} {t[3]}".strip()
    )


# ---- the W3C suite, as written and mutated -------------------------------------------------


def suite_queries() -> list[str]:
    """Every query of the W3C SPARQL 1.1 query suite (syntax and evaluation tests)."""
    if not SUITE.is_dir():
        raise FileNotFoundError(f"{SUITE} is missing: the shared test suites sit beside the repo")
    return [p.read_text(encoding="utf-8") for p in sorted(SUITE.glob("*/*.rq"))]


TOKENS = (
    "{",
    "}",
    "(",
    ")",
    ".",
    ";",
    ",",
    "*",
    "?x",
    "<>",
    '"',
    "'''",
    "#",
    "\\",
    "^^",
    "@",
    "_:",
    "[",
    "]",
    "SELECT",
    "WHERE",
    "FILTER",
    "OPTIONAL",
    "SERVICE <http://x/>",
    "GRAPH",
    "VALUES",
    "UNION",
    "BIND",
    "AS",
    "\\u0000",
    "\\U0010FFFF",
    "\\uD800",
    "\u0000",
    "\r",
    "\u2028",
    "é",
    "😀",
    "LIMIT 99999999999999999999",
    "INSERT DATA { <a> <b> <c> }",
)


def mutations(text: str, rnd: random.Random) -> str:
    """One mutation of ``text`` (a query), chosen and placed by ``rnd``."""
    at = rnd.randrange(len(text) + 1)
    end = min(len(text), at + rnd.randrange(1, 40))
    kind = rnd.randrange(9)
    if kind == 0:
        return text[:at] + text[end:]  # delete a span
    if kind == 1:
        return text[:at] + rnd.choice(TOKENS) + text[at:]  # insert a token
    if kind == 2:
        return text[:end] + text[at:]  # repeat a span
    if kind == 3:
        return text[:at]  # truncate
    if kind == 4:
        other = rnd.randrange(len(text) + 1)
        a, b = sorted((at, other))
        return text[b:] + text[a:b] + text[:a]  # rotate
    if kind == 5:
        depth = rnd.choice((3, 30, 300))
        return text[:at] + "{" * depth + text[at:end] + "}" * depth + text[end:]  # nest
    if kind == 6:
        return "".join(
            str(10 ** rnd.randrange(1, 60)) if c.isdigit() else c for c in text
        )  # huge numbers
    if kind == 7:
        return text[:at] + rnd.choice(string.printable) + text[at:]  # one character
    return text.replace(" ", rnd.choice(("\t", "\n", "  ", "", "#\n")), 1 + rnd.randrange(3))


def mutated_suite_queries() -> st.SearchStrategy[str]:
    def mutate(text: str, seeds: list[int]) -> str:
        for n in seeds:
            text = mutations(text, random.Random(n))
        return text

    return st.tuples(
        st.sampled_from(suite_queries()), st.lists(st.integers(0, 2**32), max_size=3)
    ).map(lambda t: mutate(*t))


def queries() -> st.SearchStrategy[str]:
    """The fuzzer's queries: from the grammar, from the W3C suite (mostly mutated), or plain
    random text, hypothesis choosing among the three."""
    return st.one_of(grammar_queries(), mutated_suite_queries(), st.text(max_size=200))


def drawn(count: int, seed_value: int) -> list[str]:
    """``count`` queries from :func:`queries`, the same ones for the same seed."""
    found: list[str] = []

    @seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(query=queries())
    def collect(query: str) -> None:
        found.append(query)

    collect()
    return found


# ---- sending and judging -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Answer:
    query: str
    method: str
    accept: str
    status: int
    content_type: str
    body: bytes

    @property
    def reason(self) -> str:
        """The sentence of a refusal (plain text, or the ``detail`` of JSON)."""
        text = self.body.decode("utf-8", "replace").strip()
        if self.content_type.startswith("application/json"):
            try:
                return str(json.loads(text)["detail"])
            except (ValueError, KeyError, TypeError):
                return ""
        return text


def send(client: httpx.Client, query: str, number: int) -> Answer:
    """``query`` sent the ``number``-th way (method and ``Accept`` taken in turn)."""
    method = METHODS[number % len(METHODS)]
    if method == "GET" and len(quote(query, safe="")) > MAX_URL:
        method = "POST form"  # httpx refuses longer URLs; the server's length cap is the same
    accept = ACCEPTS[number // len(METHODS) % len(ACCEPTS)]
    headers = {"Accept": accept} if accept != "*/*" else {}
    if method == "GET":
        reply = client.get("/sparql", params={"query": query}, headers=headers)
    elif method == "POST form":
        reply = client.post("/sparql", data={"query": query}, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        reply = client.post(
            "/sparql", content=query.encode("utf-8", "surrogatepass"), headers=headers
        )
    content_type = reply.headers.get("content-type", "")
    return Answer(query, method, accept, reply.status_code, content_type, reply.content)


def judge(answer: Answer) -> str | None:
    """What is wrong with ``answer``, or None: a 200 parses in the media type it says; a
    refusal is one of the designed statuses and says why in a sentence."""
    if answer.status not in ALLOWED:
        return f"status {answer.status}: {answer.reason[:200]!r}"
    if answer.status == 200:
        return _malformed(answer)
    reason = answer.reason
    words = reason.split()
    if len(words) < 3 or "Traceback" in reason or reason.lower() == "internal server error":
        return f"{answer.status} without a sentence saying why: {reason[:200]!r}"
    return None


def _malformed(answer: Answer) -> str | None:
    media_type = answer.content_type.split(";")[0].strip()
    try:
        if media_type == "application/sparql-results+json":
            if "head" not in json.loads(answer.body):
                return "SPARQL JSON results without a head"
        elif media_type == "application/sparql-results+xml":
            ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.XML)
        else:
            rdf = ox.RdfFormat.from_media_type(media_type)
            if rdf is None:
                return f"200 in an unexpected media type {answer.content_type!r}"
            list(ox.parse(answer.body, format=rdf))
    except (ValueError, SyntaxError) as error:
        return f"200 whose {media_type} body does not parse: {error}"
    return None


@dataclasses.dataclass
class Tally:
    """Answers counted by status, a reason quoted for each, and the answers that broke the rule."""

    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    reasons: dict[int, str] = dataclasses.field(default_factory=dict)
    problems: list[tuple[Answer, str]] = dataclasses.field(default_factory=list)

    def add(self, answer: Answer) -> None:
        self.statuses[answer.status] += 1
        if answer.status != 200:
            self.reasons.setdefault(
                answer.status, answer.reason.splitlines()[0][:160] if answer.reason else ""
            )
        if (problem := judge(answer)) is not None:
            self.problems.append((answer, problem))

    def targets(self) -> str:
        """Issue 12's fuzzing targets: ≥ 10,000 queries, none answered 500, every answer one
        of the designed statuses with a sentence saying why."""
        sent, errors = sum(self.statuses.values()), self.statuses[500]
        return verdict_table(
            [
                ("queries sent", Bound(TARGET_QUERIES, "≥ 10,000", below=False), sent, f"{sent:,}"),
                ("answers 500", Bound(1, "0"), errors, str(errors)),
                (
                    "answers that broke the rule (status, body, sentence)",
                    Bound(1, "0"),
                    len(self.problems),
                    str(len(self.problems)),
                ),
            ]
        )

    def report(self) -> str:
        lines = [
            self.targets(),
            "",
            f"{sum(self.statuses.values())} queries sent",
            "",
            "| status | answers | e.g. |",
            "| --- | ---: | --- |",
        ]
        for status, count in sorted(self.statuses.items()):
            lines.append(f"| {status} | {count} | {self.reasons.get(status, '')} |")
        lines.append("")
        lines.append(f"{len(self.problems)} answers broke the rule")
        for answer, problem in self.problems[:20]:
            lines.append(f"- {answer.method}: {problem}\n  query: {answer.query[:300]!r}")
        return "\n".join(lines)


def fuzz(
    base_url: str,
    batch: Iterable[str],
    threads: int = 4,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """Send every query of ``batch`` to ``base_url``'s ``/sparql``, ``threads`` at a time."""
    tally = Tally()
    with (
        httpx.Client(base_url=base_url, timeout=120) as client,
        concurrent.futures.ThreadPoolExecutor(threads) as pool,
    ):
        futures = [pool.submit(send, client, q, n) for n, q in enumerate(batch)]
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            tally.add(future.result())
            if progress is not None:
                progress(done)
    return tally


# ---- the benchmark stage -------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from bench import engines
    from bench.run import deref_sample, prepared_release

    parser = argparse.ArgumentParser(
        prog="python -m bench.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=TARGET_QUERIES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="10k", help="the generated release to serve")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--query-timeout", type=float, default=2.0, help="the server's deadline")
    args = parser.parse_args(argv)
    release_dir, sample, _ = prepared_release(args.size, 1)
    begun = time.perf_counter()
    batch = drawn(args.count, args.seed)
    print(f"{len(batch)} queries drawn in {time.perf_counter() - begun:.0f} s", flush=True)
    env = {"MAILLAGE_QUERY_TIMEOUT_S": str(args.query_timeout)}
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    with engines.ours(release_dir, env, deref_sample(sample)[0]) as engine:
        begun = time.perf_counter()
        tally = fuzz(engine.url, batch, args.threads, _progress(len(batch)))
        seconds = time.perf_counter() - begun
    report = tally.report() + f"\n\n{seconds:.0f} s at {args.threads} clients, release {args.size}"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"fuzz-{stamp}.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    return 1 if tally.problems else 0


def _progress(total: int) -> Callable[[int], None]:
    def show(done: int) -> None:
        if done % 1000 == 0 or done == total:
            print(f"  {done}/{total}", file=sys.stderr, flush=True)

    return show


if __name__ == "__main__":
    raise SystemExit(main())
