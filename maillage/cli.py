"""The ``maillage`` command: a thin shell over the library.

maillage check       claim files (syntax, vocabulary, quotes), every sentence accounted for
maillage validate    build the graph and print the SHACL report summary
maillage build       build, validate and publish a release to var/current/
maillage releases    list the releases kept
maillage diff A B    what changed from release A to release B
maillage ingest FILE register a new document (plain text or HTML) under data/sources/, then
                     propose its claims (as `maillage propose`)
maillage accept NNN ID…  move proposed claims of document NNN into data/claims/NNN.yaml
maillage propose NNN propose claims for a registered document: data/proposals/NNN.yaml, its page
maillage review NNN  (re)write the review page of document NNN's proposals, build/review/NNN.html
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from maillage import formats
from maillage.errors import DataError, DataErrors, ValidationFailed
from maillage.layout import MANIFEST, VALIDATION_REPORT
from maillage.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="maillage", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "check",
        help="check the claim files (syntax, vocabulary, quotes) and that every sentence is "
        "claimed or listed",
    )
    commands.add_parser("validate", help="build the graph and validate it against the shapes")
    commands.add_parser("build", help="build, validate and publish a release to var/current/")
    commands.add_parser("releases", help="list the releases kept in var/releases/")
    diff = commands.add_parser(
        "diff", help="print what changed from release A to release B (ids or unique prefixes)"
    )
    diff.add_argument("a", help="the earlier release: its id or a unique prefix of it")
    diff.add_argument("b", help="the later release: its id or a unique prefix of it")
    ingest = commands.add_parser(
        "ingest",
        help="register a new document (plain text, or HTML reduced to its main text) under "
        "data/sources/ with its metadata and SHA-256",
    )
    ingest.add_argument("file", type=Path, help="the article: a .txt file or an HTML page")
    ingest.add_argument("--url", required=True, help="the document's original address")
    ingest.add_argument("--title", help="default: the HTML page's title, else the first line")
    ingest.add_argument(
        "--date", help="publication date: YYYY, YYYY-MM, YYYY-MM-DD or unknown (the default)"
    )
    ingest.add_argument("--publisher", help="who published it")
    propose = commands.add_parser(
        "propose",
        help="propose the mentions and claims of the registered document NNN against the live "
        "release: data/proposals/NNN.yaml (never published) and its review page",
    )
    propose.add_argument("document", help="the document's number, e.g. 005")
    accept = commands.add_parser(
        "accept",
        help="move the proposed claims ID… of document NNN, unchanged, from "
        "data/proposals/NNN.yaml into data/claims/NNN.yaml",
    )
    accept.add_argument("document", help="the document's number, e.g. 005")
    accept.add_argument("ids", nargs="+", metavar="ID", help="the ids of the proposed claims")
    review = commands.add_parser(
        "review",
        help="(re)write the review page of document NNN's proposals: build/review/NNN.html",
    )
    review.add_argument("document", help="the document's number, e.g. 005")
    serve = commands.add_parser(
        "serve", help="serve the live release on MAILLAGE_HOST:MAILLAGE_PORT"
    )
    serve.add_argument(
        "--release",
        type=Path,
        help="serve this release directory (a copy of var/current anywhere) instead of var/current",
    )
    serve.add_argument(
        "--port", type=int, help="port to listen on (MAILLAGE_PORT; 0: a free port, printed)"
    )
    query = commands.add_parser("query", help="run a SPARQL query on the live release")
    query.add_argument("query", help="the query text, or @file.rq")
    query.add_argument(
        "--format",
        default="csv",
        choices=sorted(RESULT_FORMATS),
        help="of SELECT and ASK results (CONSTRUCT and DESCRIBE: Turtle)",
    )
    get = commands.add_parser("get", help="one in-process request: prints status, headers, body")
    get.add_argument("path", help="path on the server, e.g. /id/org/digital-113")
    get.add_argument("-H", "--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return COMMANDS[args.command](settings, args)
    except SettingsError as error:
        print(f"maillage: bad setting: {error}", file=sys.stderr)
    except (DataError, DataErrors) as error:
        print(f"maillage: data errors, nothing published:\n{error}", file=sys.stderr)
    except ValidationFailed as error:
        print(f"maillage: SHACL violations, nothing published:\n{error}", file=sys.stderr)
    return 1


def run_check(settings: Settings, _args=None) -> int:
    from maillage.build import check, require_accounted
    from maillage.pipeline.accounting import sentences_table

    inputs, accounts = check(settings)
    print(f"{len(inputs.claims)} claims in {len(inputs.documents)} documents: all quotes found.")
    print(sentences_table(accounts), end="")
    require_accounted(settings, accounts)
    return 0


def run_validate(settings: Settings, _args=None) -> int:
    from maillage.build import assemble

    build = assemble(settings)
    result = build.validation
    print(f"{result.violations} violations, {result.warnings} warnings")
    if not result.conforms or result.warnings:
        print(result.text)
    return 0 if result.conforms else 1


def run_build(settings: Settings, _args=None) -> int:
    from maillage.build import build_release

    started = time.perf_counter()
    build, directory = build_release(settings)
    seconds = time.perf_counter() - started
    print(
        f"release {directory.name}: {len(build.inputs.claims)} claims, "
        f"{len(build.graph.default)} triples in the default graph, "
        f"{build.validation.warnings} warnings, {seconds:.1f} s → "
        f"{_shown(settings.current_release)}"
    )
    if build.validation.warnings:
        report = _shown(settings.current_release / VALIDATION_REPORT)
        print(f"the warnings are in {report}; `maillage validate` prints them as text")
    if build.changes is not None and build.changes.previous is not None:
        print(changes_line(build.changes, directory.name))
    return 0


def changes_line(changes, release: str) -> str:
    """What changed since the previous release, in one line, and where it is said in full."""
    c = changes.counts()
    return (
        f"since release {changes.previous}: entities {c['entities_added']} added, "
        f"{c['entities_removed']} removed, {c['entities_changed']} changed; claims "
        f"{c['claims_added']} added, {c['claims_removed']} removed, {c['claims_changed']} "
        f"changed (`maillage diff {changes.previous} {release}` lists them)"
    )


def run_ingest(settings: Settings, args) -> int:
    from maillage.pipeline.ingest import IngestError, ingest

    try:
        registered = ingest(
            settings.sources_dir,
            args.file,
            url=args.url,
            max_bytes=settings.ingest_max_bytes,
            title=args.title,
            date=args.date,
            publisher=args.publisher,
        )
    except IngestError as error:
        print(f"maillage ingest: {error}", file=sys.stderr)
        return 1
    sources = _shown(settings.sources_dir)
    print(
        f"registered {_shown(registered.path)} as document {registered.id} "
        f"(SHA-256 {registered.sha256}); its entry is in {sources}/sources.yaml"
    )
    print(
        f"its {registered.sentences} sentences are neither claimed nor listed yet: "
        f"`maillage check` and `maillage build` refuse the repository until each is claimed "
        f"(data/claims/{registered.id}.yaml) or listed with its reason "
        f"(data/curation/sentences.yaml)"
    )
    return _proposed(settings, registered.id, "maillage ingest")


def run_propose(settings: Settings, args) -> int:
    return _proposed(settings, args.document, "maillage propose")


def _proposed(settings: Settings, doc_id: str, command: str) -> int:
    """Propose for document ``doc_id``, and print what was found and where it was written."""
    from maillage.ingest.accept import AcceptError
    from maillage.ingest.propose import NoRelease, ProposeError, propose_document

    try:
        proposed = propose_document(settings, doc_id)
    except NoRelease as error:
        if command == "maillage ingest":  # registered all the same: not a failure
            print(f"nothing proposed yet: {error}")
            return 0
        print(f"{command}: nothing proposed: {error}", file=sys.stderr)
        return 1
    except (ProposeError, AcceptError) as error:
        print(f"{command}: nothing proposed: {error}", file=sys.stderr)
        return 1
    print(f"proposed for document {doc_id} by {proposed.proposals.proposed_by}:")
    for line in proposed.summary():
        print(f"  {line}")
    print(
        f"proposals: {_shown(proposed.proposals_file)} (never published; "
        f"`maillage accept {doc_id} ID…` moves claims into data/claims/{doc_id}.yaml)"
    )
    print(f"review page: {_shown(proposed.review_page)}")
    return 0


def run_accept(settings: Settings, args) -> int:
    from maillage.ingest.accept import AcceptError, accept
    from maillage.ingest.proposals import read_proposals
    from maillage.ingest.review import review_path, write_review
    from maillage.pipeline.sources import load_documents

    try:
        accepted = accept(settings.checkout / "data", args.document, args.ids)
    except AcceptError as error:
        print(f"maillage accept: {error}", file=sys.stderr)
        return 1
    made = "created" if accepted.created else "appended to"
    print(
        f"accepted {len(accepted.ids)} claim(s) into {_shown(accepted.claims_file)} ({made}): "
        f"{', '.join(accepted.ids)}; {accepted.remaining} proposed claim(s) left in "
        f"{_shown(accepted.proposals_file)}"
    )
    if accepted.territories_to_add:
        print(
            f"{', '.join(accepted.territories_to_add)}: not in data/reference/territories.ttl yet; "
            "`make territories` adds them from INSEE's COG before `maillage check`"
        )
    print("`maillage check` checks them and `maillage build` publishes them")
    page = review_path(settings.checkout, args.document)
    if page.is_file():  # the curator's page says what is left, and what is accepted
        document = load_documents(settings.sources_dir)[args.document]
        proposals = read_proposals(settings.checkout / "data", args.document)
        rewritten = write_review(settings.checkout, document, proposals)
        print(f"review page rewritten: {_shown(rewritten)}")
    return 0


def run_review(settings: Settings, args) -> int:
    from maillage.ingest.accept import AcceptError
    from maillage.ingest.proposals import proposals_path, read_proposals
    from maillage.ingest.review import write_review
    from maillage.pipeline.sources import load_documents

    document = load_documents(settings.sources_dir).get(args.document)
    proposals_file = proposals_path(settings.checkout / "data", args.document)
    if document is None:
        sources = _shown(settings.sources_dir / "sources.yaml")
        print(f"maillage review: no document {args.document} in {sources}.", file=sys.stderr)
        return 1
    if not proposals_file.is_file():
        print(
            f"maillage review: document {args.document} has no proposals "
            f"({_shown(proposals_file)} does not exist): `maillage propose {args.document}` "
            f"writes them.",
            file=sys.stderr,
        )
        return 1
    proposals = read_proposals(settings.checkout / "data", args.document)
    try:
        page = write_review(settings.checkout, document, proposals)
    except AcceptError as error:  # the claim file it shows the accepted claims of
        print(f"maillage review: {error}", file=sys.stderr)
        return 1
    print(f"review page of document {args.document}: {_shown(page)}")
    return 0


def run_releases(settings: Settings, _args=None) -> int:
    from maillage.releases import releases_on_disk

    kept = releases_on_disk(settings.var_dir)
    if not kept:
        print(f"no release in {_shown(settings.var_dir)} yet: `maillage build` makes one")
        return 0
    print(f"{'release':<16}  {'went live (UTC)':<20}  {'files':>5}  {'size':>9}")
    for published in kept:
        files = json.loads((published.directory / MANIFEST).read_text())["files"]
        size = sum(entry["bytes"] for entry in files.values())
        when = published.live_from[0] if published.live_from else "never"
        mark = "  ← live" if published.live else ""
        print(f"{published.release}  {when:<20}  {len(files):>5}  {size / 1e6:>6.1f} MB{mark}")
    return 0


def run_diff(settings: Settings, args) -> int:
    from maillage.pipeline.changes import diff_releases
    from maillage.pipeline.changes_markdown import changes_markdown
    from maillage.releases import releases_on_disk

    kept = releases_on_disk(settings.var_dir)
    found = {name: _matching(kept, name) for name in (args.a, args.b)}
    wrong = [name for name, matches in found.items() if len(matches) != 1]
    if wrong:
        print(f"maillage: {_unmatched(wrong, found, kept, settings.var_dir)}", file=sys.stderr)
        return 1
    (a,), (b,) = found[args.a], found[args.b]
    changes = diff_releases(a.directory, b.directory, settings.base_iri)
    print(changes_markdown(changes, b.release, settings.base_iri), end="")
    return 0


def _matching(kept: list, name: str) -> list:
    exact = [p for p in kept if p.release == name]
    return exact or [p for p in kept if name and p.release.startswith(name)]


def _unmatched(wrong: list[str], found: dict, kept: list, var_dir: Path) -> str:
    """One sentence: which ids match no release (or several), and the releases kept."""
    unknown = [name for name in wrong if not found[name]]
    several = [name for name in wrong if found[name]]
    parts = []
    if unknown:
        names = " nor ".join(repr(name) for name in unknown)
        parts.append(f"no release matches {names} in {_shown(var_dir / 'releases')}")
    for name in several:
        ids = ", ".join(p.release for p in found[name])
        parts.append(f"{name!r} is the start of several releases ({ids}): give more of it")
    listed = "; ".join(
        f"{p.release} (live from {p.live_from[0] if p.live_from else 'never'})" for p in kept
    )
    return "; ".join(parts) + (f"; the releases kept are {listed}" if kept else "; none is kept")


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is under it (for readable output)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


RESULT_FORMATS = {
    "csv": formats.CSV,
    "tsv": formats.TSV,
    "json": formats.RESULTS_JSON,
    "xml": formats.RESULTS_XML,
}
"""``maillage query --format`` for SELECT and ASK; CONSTRUCT and DESCRIBE answer in Turtle."""


def run_serve(settings: Settings, args=None) -> int:
    import dataclasses
    import socket

    import uvicorn

    from maillage.layout import MANIFEST

    release = getattr(args, "release", None)
    if release is not None:
        if not (release / MANIFEST).is_file():
            print(f"maillage: {release} is not a release (no {MANIFEST} in it)", file=sys.stderr)
            return 1
        settings = dataclasses.replace(settings, release_dir=release.resolve())
    elif not (settings.current_release / MANIFEST).is_file():
        print("no release yet: building one first")
        run_build(settings)
    if getattr(args, "port", None) is not None:
        settings = dataclasses.replace(settings, port=args.port)
        settings.check()
    listening = None
    if settings.port == 0:  # a free port, chosen before the app so that its pages know it
        listening = socket.socket()
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((settings.host, 0))
        settings = dataclasses.replace(settings, port=listening.getsockname()[1])
    where = settings.current_release.resolve()
    print(f"maillage: serving {where} on http://{settings.host}:{settings.port}/", flush=True)
    options = {
        "host": settings.host,
        "port": settings.port,
        "access_log": settings.access_log,
        "ws": "none",  # no route is a WebSocket: its library is not even imported (26 ms)
    }
    if settings.http_workers == 1:
        from server.app import create_app

        server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
        server.run(sockets=[listening] if listening else None)
    else:  # each worker process builds the app from the same environment
        from server import processes

        if listening is not None:
            listening.close()  # the parent binds the port again, for its workers
        settings.export_to_environment()
        return processes.serve(settings, options)
    return 0


def run_query(settings: Settings, args) -> int:
    """Runs on the engine the server uses, under the same deadline and caps (one worker)."""
    from maillage import formats, sparql_syntax
    from maillage.rdfio import prefixes
    from maillage.store import QueryError, QuerySyntaxError, open_engine

    text = args.query
    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    graph = sparql_syntax.query_form(text) in ("CONSTRUCT", "DESCRIBE")
    media_type = formats.TURTLE.media_type if graph else RESULT_FORMATS[args.format].media_type
    engine = open_engine(settings, settings.current_release, workers=1)
    try:
        engine.start()
        result = engine.run(text, media_type)
    except QuerySyntaxError as error:
        known = prefixes(settings.base_iri)
        problem = sparql_syntax.explain(text, known) or sparql_syntax.engine_message(str(error))
        print(f"maillage: SPARQL {problem}", file=sys.stderr)
        return 1
    except QueryError as error:
        print(f"maillage: {error}", file=sys.stderr)
        return 1
    finally:
        engine.close()
    sys.stdout.buffer.write(result.body)
    return 0


def run_get(settings: Settings, args) -> int:
    from fastapi.testclient import TestClient

    from server.app import create_app

    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    with TestClient(create_app(settings)) as client:
        response = client.get(args.path, headers=headers, follow_redirects=False)
    print(f"HTTP {response.status_code}")
    for name, value in response.headers.items():
        print(f"{name}: {value}")
    print()
    sys.stdout.write(response.text)
    return 0 if response.status_code < 400 else 1


COMMANDS = {
    "check": run_check,
    "ingest": run_ingest,
    "propose": run_propose,
    "accept": run_accept,
    "review": run_review,
    "validate": run_validate,
    "build": run_build,
    "releases": run_releases,
    "diff": run_diff,
    "serve": run_serve,
    "query": run_query,
    "get": run_get,
}

if __name__ == "__main__":
    sys.exit(main())
