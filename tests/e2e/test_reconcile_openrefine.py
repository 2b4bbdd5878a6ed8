"""A small CSV of organisation names reconciled through the real server (uvicorn on a free port)
exactly as OpenRefine 3 sends it: batches of ten queries ``q0``…``q9``, each with the column's
type and ``type_strict: "should"`` and the other column as a property, posted as
``application/x-www-form-urlencoded`` ``queries=…`` by a plain HTTP client; then the matched
rows extended with two properties, as OpenRefine's « Add columns from reconciled values » does."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from chromium import live_server
from reconciliation_schemas import validate

ORG = "http://www.w3.org/ns/org#Organization"
SPREADSHEET = """nom,ville
Kaliop SAS,Montpellier
AD'OCC,Montpellier
DIGITAL PLACE,Toulouse
Naïo Technologies,Escalquens
Septeo S.A.S.,Lattes
la mêlée numérique,Toulouse
Pradeo,Montpellier
Minalogic,Grenoble
Cap Digital,Paris
Aerospace Valey,Toulouse
Next Humanity,Montpellier
"""
EXPECTED = {
    "Kaliop SAS": "id/org/kaliop",
    "AD'OCC": "id/org/ad-occ",
    "DIGITAL PLACE": "id/org/digital-place",
    "Naïo Technologies": "id/org/naio-technologies",
    "Septeo S.A.S.": "id/org/septeo",
    "la mêlée numérique": "id/org/la-melee",
    "Pradeo": "id/org/pradeo",
    "Minalogic": None,
    "Cap Digital": None,
    "Aerospace Valey": "id/org/aerospace-valley",
    "Next Humanity": "id/org/nxu",
}


@pytest.fixture(scope="module")
def service(built) -> Iterator[str]:
    with live_server(built[0]) as url:
        yield f"{url}/reconcile"


def post_form(url: str, **fields: str) -> dict:
    """What OpenRefine's ``HttpURLConnection`` sends: a form body, nothing else."""
    body = urllib.parse.urlencode(fields).encode("ascii")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def batches(rows: list[dict], size: int = 10) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def test_a_csv_reconciled_and_extended_as_openrefine_does(service):
    with urllib.request.urlopen(service, timeout=30) as response:
        manifest = json.loads(response.read())
    validate("0.2", "manifest", manifest)
    assert ORG in {t["id"] for t in manifest["defaultTypes"]}
    rows = list(csv.DictReader(io.StringIO(SPREADSHEET)))
    matched: dict[str, str] = {}
    for batch in batches(rows):
        queries = {
            f"q{i}": {
                "query": row["nom"],
                "type": ORG,
                "type_strict": "should",
                "properties": [{"pid": "commune", "v": row["ville"]}],
            }
            for i, row in enumerate(batch)
        }
        answer = post_form(service, queries=json.dumps(queries))
        validate("0.2", "reconciliation-result-batch", answer)
        for i, row in enumerate(batch):
            result = answer[f"q{i}"]["result"]
            first = result[0] if result else None
            if first and first["match"]:
                matched[row["nom"]] = first["id"]
            expected = EXPECTED[row["nom"]]
            if expected:
                assert first and first["id"] == expected, (row, result[:2])
            else:
                assert not (first and first["match"]), (row, first)
    assert len(matched) >= 8, matched  # most rows need no one to click
    assert all(EXPECTED[name] == ref for name, ref in matched.items())
    extend = {"ids": sorted(matched.values()), "properties": [{"id": "commune"}, {"id": "kind"}]}
    extension = post_form(service, extend=json.dumps(extend))
    validate("0.2", "data-extension-response", extension)
    place = extension["rows"]["id/org/digital-place"]
    assert {"id": "id/commune/31555", "name": "Toulouse"} in place["commune"]
    assert {"id": "concept/kind/cluster", "name": "cluster"} in place["kind"]
