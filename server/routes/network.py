"""The network views: ``/network`` for the whole network, ``/network/{path}`` (``/network/org/
digital-113``) or ``/network?focus=<iri>`` for an entity's neighbourhood, ``hops`` edges away
(1 to 3, default 2). Each is a page (Cytoscape.js draws it; the same nodes and edges are lists of
links, readable without JavaScript) and JSON, by ``Accept`` or with ``.json`` after the path.
The graph comes from the release's ``network.json`` (``server/network.py``)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.responses import JSONResponse

from maillage.formats import HTML, JSON
from maillage.layout import NETWORK
from maillage.network import EDGE_KINDS, NODE_CLASSES
from server import errors, openapi, retired_view, routing
from server.i18n import language_of, vary
from server.network import DEFAULT_HOPS, MAX_HOPS, Network, View
from server.site import chosen_format, local_href, render

router = APIRouter(tags=["network"])

OFFERED = (HTML, JSON)
"""The page first (a browser, and ``*/*``), JSON by ``Accept``."""
ENTITIES = "id/"
"""``/network/{path}`` is the neighbourhood of ``{base}id/{path}``."""


def install(app: FastAPI) -> None:
    app.state.network = Network(app.state.release / NETWORK)
    app.include_router(router)


def network_of(request: Request) -> Network:
    return request.app.state.network


@routing.get(router, "/network", response_model=None, responses=openapi.NETWORK)
def whole_network(request: Request, focus: str | None = None, hops: str | None = None) -> Response:
    """The whole network (its most connected nodes past ``network_max_nodes``), or with
    ``focus=<iri>`` that entity's neighbourhood: HTML, or JSON by ``Accept``."""
    if focus is not None:
        representation = chosen(request, None)
        hops_only = f"hops={hops}" if hops is not None else ""  # focus= is in the path now
        moved = _retired(request, focus, None, representation, hops_only)
        return moved or neighbourhood(request, focus, hops, representation)
    if hops is not None:
        raise errors.bad_request("hops applies to a neighbourhood: give focus=<iri> with it")
    return answer(request, None, None, chosen(request, None))


@routing.get(router, "/network.json", response_model=None, responses=openapi.VIEW)
def whole_network_json(request: Request) -> Response:
    """``/network`` as JSON."""
    return answer(request, None, None, JSON)


@routing.get(router, "/network/{path:path}", response_model=None, responses=openapi.NETWORK)
def entity_network(request: Request, path: str, hops: str | None = None) -> Response:
    """The neighbourhood of ``{base}id/{path}`` (HTML, or JSON by ``Accept`` or ``.json``)."""
    stem, dot, extension = path.rpartition(".")
    extension_format = JSON if dot and extension == JSON.extension else None
    path = stem if extension_format else path
    iri = request.app.state.settings.iris.at(ENTITIES + path)
    representation = chosen(request, extension_format)
    moved = _retired(request, iri, extension_format, representation)
    return moved or neighbourhood(request, iri, hops, representation)


def _retired(
    request: Request, iri: str, extension_format, representation, query: str | None = None
) -> Response | None:
    """A retired ``iri``: 301 to its successor's neighbourhood in the form asked (with
    ``.json`` if asked so), 410 when withdrawn; None for any other."""
    return retired_view.derived_page(
        request,
        iri,
        lambda successor: network_href(request, successor),
        suffix=f".{JSON.extension}" if extension_format else "",
        as_json=representation is JSON,
        query=query,
    )


def neighbourhood(request: Request, focus: str, hops: str | None, representation) -> Response:
    if network_of(request).node(focus) is None:
        raise errors.not_found(
            f"{focus} is not an organisation, a person or an event of the network"
        )
    return answer(request, focus, parsed_hops(hops), representation)


def parsed_hops(text: str | None) -> int:
    if text is None:
        return DEFAULT_HOPS
    if not text.isdigit() or not 1 <= int(text) <= MAX_HOPS:
        raise errors.bad_request(
            f"hops must be a whole number from 1 to {MAX_HOPS}, not {text[:50]!r}"
        )
    return int(text)


def network_href(request: Request, iri: str) -> str | None:
    """Where an entity's neighbourhood is drawn (its page links to it); None when the entity
    is not a node of the network (not an organisation, a person or an event)."""
    path = request.app.state.reader.ours.path(iri) or ""
    if not path.startswith(ENTITIES) or network_of(request).node(iri) is None:
        return None
    return "/network/" + path.removeprefix(ENTITIES)


def chosen(request: Request, by_extension):
    return chosen_format(request, OFFERED, by_extension)


def answer(request: Request, focus: str | None, hops: int | None, representation) -> Response:
    network, settings = network_of(request), request.app.state.settings
    if focus is None:
        view = network.whole(settings.network_max_nodes)
        path = "/network"
    else:
        view = network.neighbourhood(focus, hops, settings.network_max_nodes)
        path = network_href(request, focus) or "/network"
    document = as_json(request, view, focus, hops)
    if representation is JSON:
        response: Response = JSONResponse(document)
    else:
        response = render(request, "network.html", page_context(request, document, path))
    vary(response, "Accept")
    json_href = json_path(path, focus, hops)
    response.headers["Link"] = f'<{json_href}>; rel="alternate"; type="{JSON.media_type}"'
    return response


def json_path(path: str, focus: str | None, hops: int | None) -> str:
    """The JSON form of a view: ``/network.json``, ``/network/org/x.json?hops=1``."""
    query = f"?hops={hops}" if hops not in (None, DEFAULT_HOPS) else ""
    return f"{path}.{JSON.extension}{query}"


def as_json(request: Request, view: View, focus: str | None, hops: int | None) -> dict:
    """A view as the page draws it and JSON clients read it."""
    settings = request.app.state.settings
    nodes = [
        {
            "id": node["iri"],
            "label": node["label"],
            "class": node["class"],
            "families": node["families"],
            "href": local_href(node["iri"], settings),
            **({"distance": view.distance[node["iri"]]} if focus is not None else {}),
        }
        for node in view.nodes
    ]
    edges = [
        {
            "id": edge["id"],
            "kind": edge["kind"],
            "source": edge["source"],
            "target": edge["target"],
            "via": edge["via"],
            "href": local_href(edge["via"], settings),
            "label": edge.get("label", {}),
        }
        for edge in view.edges
    ]
    return {
        "focus": focus,
        "hops": hops,
        "nodes": nodes,
        "edges": edges,
        "total_nodes": view.total,
        "truncated": view.truncated,
        "classes": [asdict(c) for c in NODE_CLASSES],
        "kinds": [asdict(k) for k in EDGE_KINDS],
        "families": network_of(request).families(),
    }


def families_shown(document: dict, lang: str) -> list[dict]:
    """The network families of the view's organisations, each with its name in the page's
    language and how many of them it holds: the family filter's choices."""
    counts: dict[str, int] = {}
    for node in document["nodes"]:
        for family in node["families"]:
            counts[family] = counts.get(family, 0) + 1
    names = document["families"]
    shown = [
        {"iri": f, "label": names.get(f, {}).get(lang) or names.get(f, {}).get("fr", f), "count": n}
        for f, n in counts.items()
    ]
    return sorted(shown, key=lambda f: f["label"].casefold())


def page_context(request: Request, document: dict, path: str) -> dict:
    """What the page shows besides the graph: the focus and the lists of links."""
    labels = {node["id"]: node for node in document["nodes"]}
    kinds = {kind["key"]: kind for kind in document["kinds"]}
    focus = labels.get(document["focus"]) if document["focus"] else None
    return {
        "graph": document,
        "focus": focus,
        "path": path,
        "json_href": json_path(path, document["focus"], document["hops"]),
        "nodes_by_class": {
            c["key"]: [n for n in document["nodes"] if n["class"] == c["key"]]
            for c in document["classes"]
        },
        "edges_by_kind": {
            k["key"]: [
                {**e, "from": labels[e["source"]], "to": labels[e["target"]]}
                for e in document["edges"]
                if e["kind"] == k["key"]
            ]
            for k in document["kinds"]
        },
        "kinds": kinds,
        "max_hops": MAX_HOPS,
        "families": families_shown(document, language_of(request)),
    }
