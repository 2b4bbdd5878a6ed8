"""The service manifests: what ``GET /reconcile`` (version 0.2, OpenRefine 3) and ``GET
/reconcile/1.0-draft`` answer. The two versions cannot share one document (0.2 describes suggest
services as objects with a URL, 1.0-draft as booleans), so each version has its endpoint; both
serve the same entities, types and properties.

Identifiers are paths under the canonical base (``id/org/kaliop``), so that the identifier
space followed by an identifier is the entity's IRI, and ``view`` opens its page here."""

from __future__ import annotations

from server.reconcile.extension import PROPERTY_SETTINGS
from server.reconcile.vocabulary import TYPES

NAME = "Maillage : réseaux du numérique en Occitanie"
PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 160
VERSION_02 = "0.2"
VERSION_10 = "1.0-draft"


def common(base_iri: str, served: str) -> dict:
    return {
        "name": NAME,
        "identifierSpace": base_iri,
        "schemaSpace": f"{base_iri}def/",
        "documentation": f"{served}docs",
        "view": {"url": f"{served}{{{{id}}}}"},
        "defaultTypes": [{"id": t.iri, "name": t.name} for t in TYPES],
    }


def preview(service: str) -> dict:
    return {
        "url": f"{service}/preview?id={{{{id}}}}",
        "width": PREVIEW_WIDTH,
        "height": PREVIEW_HEIGHT,
    }


def manifest_02(base_iri: str, served: str, service: str) -> dict:
    """``service`` is the 0.2 endpoint's absolute URL (``…/reconcile``)."""
    return {
        "versions": [VERSION_02],
        **common(base_iri, served),
        "preview": preview(service),
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/extend/propose"},
            "property_settings": PROPERTY_SETTINGS,
        },
    }


def manifest_10(base_iri: str, served: str, service: str, batch_size: int) -> dict:
    """``service`` is the 1.0-draft endpoint's absolute URL (``…/reconcile/1.0-draft``)."""
    return {
        "versions": [VERSION_10],
        **common(base_iri, served),
        "lang": "fr",
        "preview": preview(service),
        "suggest": {"entity": True, "type": True, "property": True},
        "extend": {
            "proposeProperties": True,
            "propertySettings": [
                {
                    "id": s["name"],
                    "name": s["label"],
                    "type": s["type"],
                    "default": s["default"],
                    "helpText": s["help_text"],
                }
                for s in PROPERTY_SETTINGS
            ],
        },
        "batchSize": batch_size,
        "standardizedScore": True,
    }
