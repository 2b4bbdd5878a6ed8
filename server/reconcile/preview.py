"""The preview of an entity (``/reconcile/preview?id=…``): a small French page, framed by
OpenRefine or the test bench in their own origin, with its name (linking to its page here), its
types, its description and a few facts."""

from __future__ import annotations

from server.reconcile.matching import short
from server.reconcile.values import Values
from server.reconcile.vocabulary import PROPERTY_BY_ID, TYPE_BY_IRI

FACTS = ("kind", "family", "commune", "foundingDate", "dissolutionDate", "startDate", "within")
"""What a preview shows, when the entity has it."""
FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *"
"""Nothing is loaded, and any site may frame the preview (that is what it is for)."""


def context(values: Values, ref: str, served: str) -> dict | None:
    """What the template shows; None when the identifier names none of our entities."""
    iri = values.iri(ref)
    kinds = values.types(iri) if iri is not None else []
    if not kinds:
        return None
    descriptions = values.of(iri, "description")
    facts = []
    for pid in FACTS:
        found = values.of(iri, pid)
        if found:
            facts.append((PROPERTY_BY_ID[pid].name, ", ".join(v.text for v in found[:5])))
    return {
        "name": values.label(iri),
        "href": f"{served}{values.ref(iri)}",
        "types": [TYPE_BY_IRI[k].name for k in kinds],
        "description": short(descriptions[0].text, 240) if descriptions else "",
        "facts": facts,
    }
