"""The conflicts report for people (Markdown): every disagreement, its claims, sources, ranks and
the reason for the ranking. Its RDF twin is in the default graph (``mlg:Conflict``)."""

from __future__ import annotations

from maillage.identifiers import claim_iri
from maillage.pipeline.claims import Claim
from maillage.pipeline.conflicts import Conflict
from maillage.pipeline.provenance import normalise
from maillage.pipeline.sources import Document
from maillage.rdfio import rebased


def conflicts_markdown(
    conflicts: list[Conflict], claims: dict[str, Claim], documents: dict[str, Document], base: str
) -> str:
    lines = [
        "# Conflicts between documents",
        "",
        "Every disagreement the curators found, with the claims involved and why they are ranked",
        "as they are. Deprecated claims stay in their claim graphs but not in the default graph;",
        "agreeing claims (the preferred fact, less precisely) are not deprecated, but their",
        "statements also stay in their claim graphs (mlg:agreesWith).",
        "Figures that differ because they describe different years are dated observations, not",
        "conflicts, and are not listed here.",
        "",
        f"{len(conflicts)} conflicts.",
    ]
    for conflict in conflicts:
        lines += ["", f"## {conflict.topic['en']}", "", f"*{conflict.topic['fr']}*", ""]
        about = ", ".join(f"<{rebased(str(resource), base)}>" for resource in conflict.about)
        lines += [f"About: {about}.", "", f"Rule: `{conflict.rule}`.", ""]
        lines += [f"Reason: {conflict.reason['en']}", ""]
        lines += [f"Raison : {conflict.reason['fr']}", ""]
        lines += ["| rank | claim | document | quote |", "| --- | --- | --- | --- |"]
        for rank, key in conflict.members():
            claim = claims[key]
            doc = documents[claim.doc_id]
            date = doc.date[1] if doc.date else "date unknown"
            iri = rebased(str(claim_iri(claim.doc_id, claim.id)), base)
            quote = normalise(claim.quote).replace("|", "\\|")
            lines.append(f"| {rank} | [{key}]({iri}) | {doc.id}, {date} | « {quote} » |")
    return "\n".join(lines) + "\n"
