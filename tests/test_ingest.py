"""`maillage ingest FILE` (issue 11, points 1 and 6): a new document registered as the five are,
and bad input refused in one sentence with nothing written under data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage.build import check
from maillage.cli import main
from maillage.pipeline.sources import load_documents
from maillage.settings import Settings

ARTICLE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Un atelier sur les données ouvertes</title></head>
<body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/rubriques">Rubriques</a></li>
<li><a href="/abonnement">Abonnez-vous</a></li></ul></nav>
<main><article>
<h1>Un atelier sur les données ouvertes</h1>
<p>Un atelier consacré aux données ouvertes s'est tenu mardi dans les locaux de la médiathèque,
devant une trentaine de participants venus des communes voisines.</p>
<p>Les organisateurs ont présenté les jeux de données publiés par les collectivités et la manière
de les réutiliser dans des applications utiles aux habitants.</p>
<p>Une seconde séance est prévue au printemps, cette fois consacrée à la cartographie et aux
outils libres.</p>
</article>
<div class="share"><a href="https://twitter.com/share">Partager sur Twitter</a>
<a href="https://facebook.com/share">Partager sur Facebook</a></div>
<section id="comments"><h2>Commentaires</h2>
<form><textarea>Laisser un commentaire</textarea><button>Envoyer</button></form></section>
</main>
<footer><p>Mentions légales · Plan du site · Contact</p></footer>
</body></html>
"""
PLAIN = (
    "Le réseau des tiers-lieux de la région accueille cette année de nouveaux membres.\n\n"
    "Ils proposent des espaces de travail partagés et des formations au numérique pour les "
    "habitants des petites communes.\n"
)
NAV_WORDS = ("Accueil", "Rubriques", "Abonnez", "Partager", "Commentaires", "Mentions légales")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under data/, byte for byte."""
    data = root / "data"
    return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_html_article_is_registered_with_its_main_text_only(repo, tmp_path, capsys):
    page = write(tmp_path, "atelier.html", ARTICLE)
    before = load_documents(repo / "data" / "sources")

    assert (
        main(["ingest", str(page), "--url", "https://example.org/atelier", "--date", "2026-03"])
        == 0
    )

    out = capsys.readouterr().out
    assert "as document 005" in out
    assert "its 4 sentences are neither claimed nor listed yet" in out
    documents = load_documents(repo / "data" / "sources")  # the build's own reader accepts it
    assert set(documents) == {*before, "005"}
    new = documents["005"]
    assert "s'est tenu mardi dans les locaux de la médiathèque" in new.text
    assert "outils libres" in new.text
    for word in NAV_WORDS:
        assert word not in new.text
    assert new.path.name == f"005_{new.sha256[:16]}.txt"
    assert new.title == "Un atelier sur les données ouvertes"
    assert new.date == ("month", "2026-03")
    assert new.url == "https://example.org/atelier"
    assert new.language == "fr"
    # Claims and quotes still check; what stops the build is the new document's sentences,
    # neither claimed nor listed yet, and only those.
    _, accounts = check(Settings.from_env())
    assert len(accounts["005"].unaccounted) == 4
    assert all(not accounts[d].unaccounted for d in before)


def test_plain_text_with_its_metadata(repo, tmp_path, capsys):
    text = write(tmp_path, "tiers-lieux.txt", PLAIN)
    args = ["--title", "Tiers-lieux", "--date", "2024", "--publisher", "Un journal"]

    assert main(["ingest", str(text), "--url", "https://example.org/t", *args]) == 0

    new = load_documents(repo / "data" / "sources")["005"]
    assert new.path.read_bytes() == PLAIN.encode("utf-8")  # exactly as given
    assert (new.title, new.publisher, new.date) == ("Tiers-lieux", "Un journal", ("year", "2024"))
    assert new.date_from == "given to `maillage ingest --date`"


def test_a_document_registered_twice_is_refused_with_its_id(repo, tmp_path, capsys):
    text = write(tmp_path, "tiers-lieux.txt", PLAIN)
    assert main(["ingest", str(text), "--url", "https://example.org/t"]) == 0
    capsys.readouterr()
    registered = snapshot(repo)

    assert main(["ingest", str(text), "--url", "https://example.org/other"]) == 1

    assert "is already registered as document 005" in capsys.readouterr().err
    assert snapshot(repo) == registered


def test_one_of_the_five_is_refused_with_its_id(repo, tmp_path, capsys):
    original = next((repo / "data" / "sources").glob("001_*.txt"))
    copy = write(tmp_path, "copy.txt", original.read_bytes())
    before = snapshot(repo)

    assert main(["ingest", str(copy), "--url", "https://example.org/c"]) == 1

    assert f"already registered as document 001 ({original.name})" in capsys.readouterr().err
    assert snapshot(repo) == before


def fifty_megabytes(tmp_path: Path) -> Path:
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        out.truncate(50_000_000)
    return path


BAD_INPUTS = {
    "empty": (lambda t: write(t, "empty.txt", " \n\n"), [], "is empty: there is no text"),
    "binary": (
        lambda t: write(t, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        [],
        "is binary (a NUL byte at offset 8), not text",
    ),
    "not UTF-8": (
        lambda t: write(t, "latin1.txt", "Le réseau".encode("latin-1")),
        [],
        "is not UTF-8 text (byte 4 cannot be decoded)",
    ),
    "english": (
        lambda t: write(
            t,
            "english.txt",
            "The digital cluster of the region brings together companies, research centres "
            "and training organisations working on software and data.\n",
        ),
        [],
        "is not in French (langdetect says 'en')",
    ),
    "50 MB": (fifty_megabytes, [], "is 50000000 bytes, over the limit of 10000000"),
    "HTML without a main text": (
        lambda t: write(
            t,
            "menu.html",
            "<html><body><nav><a href='/'>Accueil</a> <a href='/x'>Rubriques</a></nav>"
            "<footer>Mentions légales</footer></body></html>",
        ),
        [],
        "is HTML without a main text",
    ),
    "unknown date format": (
        lambda t: write(t, "ok.txt", PLAIN),
        ["--date", "06/02/2019"],
        "--date '06/02/2019' is not a date the project accepts: YYYY, YYYY-MM, YYYY-MM-DD",
    ),
    "a day that does not exist": (
        lambda t: write(t, "ok.txt", PLAIN),
        ["--date", "2019-02-30"],
        "--date '2019-02-30' is not a date the project accepts",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_refused_in_one_sentence_and_nothing_is_written(repo, tmp_path, capsys, case):
    make, options, message = BAD_INPUTS[case]
    path = make(tmp_path)
    before = snapshot(repo)

    assert main(["ingest", str(path), "--url", "https://example.org/x", *options]) == 1

    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("maillage ingest: ")
    assert err.count("\n") == 1 and err.rstrip().endswith(".")
    assert snapshot(repo) == before
