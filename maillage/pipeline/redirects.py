"""Retired identifiers (``data/curation/redirects.yaml``): IRIs that were published and are no
longer used, each replaced by its successor or withdrawn, never dropped silently.

The build refuses a retired IRI that a claim still uses (at the claim's file:line) and a
successor that names nothing (at the redirect's line), and publishes each retired IRI in the
default graph (``maillage/retired.py``: ``owl:deprecated``, ``dcterms:isReplacedBy <new>``, the
day and the reason), which the server answers 301 (replaced) or 410 (withdrawn) from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from maillage import retired
from maillage.errors import DataError, DataErrors
from maillage.identifiers import IdentifierError, resolve_reference
from maillage.pipeline.claims import Claim
from maillage.yamlfile import line_of, load_nodes, mapping_items, sequence_items, to_python

FIELDS = {"iri", "replaced_by", "withdrawn", "date", "reason"}


@dataclass(frozen=True)
class Redirect:
    iri: URIRef
    replaced_by: URIRef | None
    """The successor; None when the IRI is withdrawn (nothing replaces it)."""
    date: dt.date
    reason: str
    line: int


def load_redirects(path: Path) -> list[Redirect]:
    if not path.exists():
        return []
    root = load_nodes(path)
    top = dict(mapping_items(path, root, "redirects file"))
    if "retired" not in top:
        raise DataError(path, line_of(root), "missing 'retired' (the list of retired IRIs)")
    redirects: list[Redirect] = []
    seen: dict[URIRef, int] = {}
    for node in sequence_items(path, top["retired"], "retired"):
        redirect = _redirect(path, node)
        if redirect.iri in seen:
            raise DataError(
                path,
                redirect.line,
                f"{redirect.iri} is already retired at line {seen[redirect.iri]}",
            )
        seen[redirect.iri] = redirect.line
        redirects.append(redirect)
    for redirect in redirects:
        if redirect.replaced_by in seen:
            raise DataError(
                path,
                redirect.line,
                f"successor {redirect.replaced_by} is itself retired (line "
                f"{seen[redirect.replaced_by]}): name the final successor",
            )
    return redirects


def _redirect(path: Path, node) -> Redirect:
    fields = dict(mapping_items(path, node, "a retired IRI"))
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise DataError(
            path, line_of(node), f"unknown field {unknown[0]!r} (expected {sorted(FIELDS)})"
        )
    for needed in ("iri", "date", "reason"):
        if needed not in fields:
            raise DataError(path, line_of(node), f"a retired IRI needs '{needed}'")
    withdrawn = to_python(fields["withdrawn"]) if "withdrawn" in fields else None
    if ("replaced_by" in fields) == (withdrawn == "true"):
        raise DataError(
            path, line_of(node), "give either 'replaced_by: <successor>' or 'withdrawn: true'"
        )
    return Redirect(
        iri=_reference(path, fields["iri"]),
        replaced_by=_reference(path, fields["replaced_by"]) if "replaced_by" in fields else None,
        date=_date(path, fields["date"]),
        reason=str(to_python(fields["reason"])).strip(),
        line=line_of(node),
    )


def _reference(path: Path, node) -> URIRef:
    try:
        return resolve_reference(str(to_python(node)))
    except IdentifierError as error:
        raise DataError(path, line_of(node), str(error)) from None


def _date(path: Path, node) -> dt.date:
    try:
        return dt.date.fromisoformat(str(to_python(node)))
    except ValueError:
        raise DataError(path, line_of(node), "date: YYYY-MM-DD") from None


def check_redirects(
    path: Path, redirects: list[Redirect], claims: list[Claim], vocabulary: Graph
) -> None:
    """A retired IRI still used by a claim, or a successor that names nothing, is an error."""
    retired = {r.iri: r for r in redirects}
    errors: list[DataError] = []
    for claim in claims:
        for statement in claim.statements:
            for term in (statement.subject, statement.object):
                if term in retired:
                    redirect = retired[term]
                    instead = redirect.replaced_by or "nothing (withdrawn)"
                    errors.append(
                        DataError(
                            claim.path,
                            statement.line,
                            f"claim {claim.id!r} uses the retired IRI {term} "
                            f"({path}:{redirect.line}: replaced by {instead})",
                        )
                    )
    described = {st.subject for claim in claims for st in claim.statements}
    described |= {s for s in vocabulary.subjects() if isinstance(s, URIRef)}
    for redirect in redirects:
        if redirect.replaced_by is not None and redirect.replaced_by not in described:
            errors.append(
                DataError(
                    path,
                    redirect.line,
                    f"successor {redirect.replaced_by} of {redirect.iri} is described nowhere "
                    "(no claim, ontology or concept says anything about it)",
                )
            )
    if errors:
        raise DataErrors(errors)


def check_nothing_dropped(
    path: Path, retired: set[str], previous: set[str], current: set[str], live: str
) -> None:
    """Refuse a release that drops an IRI of the live release ``live`` (``previous``, not in
    ``current``) with no record in the redirects file (``path``: ``retired``), naming each."""
    dropped = sorted(previous - current - retired)
    if dropped:
        shown = "\n".join(f"  {iri}" for iri in dropped[:50])
        more = f"\n  … and {len(dropped) - 50} more" if len(dropped) > 50 else ""
        raise DataError(
            path,
            None,
            f"{len(dropped)} IRI(s) of the live release {live} would disappear; record each one "
            f"here as replaced (replaced_by) or withdrawn:\n{shown}{more}",
        )


def retirement_triples(redirects: list[Redirect]) -> list[tuple[URIRef, URIRef, Node]]:
    """What the release says of every retired IRI (``maillage/retired.py``): ``owl:deprecated``,
    ``dcterms:isReplacedBy`` its successor when it has one, the day (``dcterms:modified``) and
    the reason (``skos:changeNote``), so that the server answers 301 or 410 from the release."""
    return [
        (URIRef(s), URIRef(p), _value(value))
        for r in redirects
        for s, p, value in retired.retirement_triples(r.iri, r.replaced_by, r.date, r.reason)
    ]


def _value(value: str | dt.date | bool) -> Node:
    if isinstance(value, bool | dt.date):
        return Literal(value)
    if isinstance(value, URIRef):  # the successor
        return value
    return Literal(value, lang=retired.REASON_LANGUAGE)
