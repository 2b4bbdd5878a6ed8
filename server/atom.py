"""``/releases.atom``: the releases kept as an Atom feed (RFC 4287), newest first, each entry
linking to the release's page and summing up what changed in it."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from starlette.requests import Request

from maillage.changelog import ADDED, CHANGED, REMOVED, Changes
from maillage.releases import Archive
from server.changes_view import ReleaseView, release_view
from server.i18n import translate

ATOM = "application/atom+xml"
NS = "http://www.w3.org/2005/Atom"
LISTED = 20
"""Entities of each kind named in an entry's content (the page has them all)."""


def releases_feed(request: Request, lang: str) -> bytes:
    """The feed, in ``lang`` (its texts; the data keeps its own)."""
    settings = request.app.state.settings
    archive: Archive = request.app.state.archive
    views = [release_view(request, p) for p in reversed(archive.releases)]
    served = settings.served_base
    feed = ET.Element(f"{{{NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _text(feed, "id", f"{settings.base_iri}releases")
    _text(feed, "title", _t("atom.title", lang))
    _text(feed, "subtitle", _t("atom.subtitle", lang))
    _text(feed, "updated", _time(max((v.went_live for v in views if v.went_live), default=None)))
    author = ET.SubElement(feed, f"{{{NS}}}author")
    _text(author, "name", "Maillage")
    _text(author, "uri", settings.base_iri)
    _link(feed, "self", f"{served}releases.atom", ATOM)
    _link(feed, "alternate", f"{served}releases", "text/html")
    for view in views:
        feed.append(entry(view, served, lang))
    ET.register_namespace("", NS)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def entry(view: ReleaseView, served: str, lang: str) -> ET.Element:
    release = view.published.release
    element = ET.Element(f"{{{NS}}}entry")
    _text(element, "id", view.iri)
    _text(element, "title", _t("atom.entry-title", lang, release=release))
    _text(element, "updated", _time(view.went_live or _modified(view)))
    _link(element, "alternate", f"{served}releases/{release}", "text/html")
    if view.changes is not None:  # releases built before changes were recorded have no file
        changelog = f"{served}releases/{release}/downloads/changes.md"
        _link(element, "related", changelog, "text/markdown")
    _text(element, "summary", summary(view.changes, lang))
    content = ET.SubElement(element, f"{{{NS}}}content", {"type": "html"})
    content.text = content_html(view.changes, lang)
    return element


def summary(changes: Changes | None, lang: str) -> str:
    """One sentence: what changed (counts), or that it is the first release."""
    if changes is None:
        return _t("atom.no-changes", lang)
    if changes.previous is None:
        return _t("atom.first", lang, triples=changes.default_graph.triples)
    counts = changes.counts()
    return _t("atom.summary", lang, previous=changes.previous, **counts)


def content_html(changes: Changes | None, lang: str) -> str:
    """The entities removed, added and changed (the first :data:`LISTED` of each), as HTML."""
    if changes is None or changes.previous is None:
        return f"<p>{_escape(summary(changes, lang))}</p>"
    parts = [f"<p>{_escape(summary(changes, lang))}</p>"]
    for kind in (REMOVED, ADDED, CHANGED):
        found = changes.entities_of(kind)
        if not found:
            continue
        items = "".join(
            f'<li><a href="{_escape(e.entity)}">{_escape(e.label or e.entity)}</a></li>'
            for e in found[:LISTED]
        )
        more = len(found) - LISTED
        tail = f"<li>{_escape(_t('atom.more', lang, count=more))}</li>" if more > 0 else ""
        heading = _escape(_t(f"release.entities.{kind}", lang))
        parts.append(f"<h2>{heading}</h2><ul>{items}{tail}</ul>")
    return "".join(parts)


def _t(key: str, lang: str, **values: object) -> str:
    return str(translate(key, lang, **values))


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NS}}}{name}")
    child.text = text
    return child


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{NS}}}link", {"rel": rel, "href": href, "type": media_type})


def _time(when: datetime | None) -> str:
    """RFC 3339, UTC (Atom's date construct); the epoch when nothing went live yet."""
    return (when or datetime(1970, 1, 1, tzinfo=UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _modified(view: ReleaseView) -> datetime:
    """A release never live: when its directory was written."""
    stamp = view.published.directory.stat().st_mtime
    return datetime.fromtimestamp(stamp, UTC)
