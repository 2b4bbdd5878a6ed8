"""Short, positioned messages for SPARQL a parser refused, and the prefixes a query leaves to the
endpoint.

Parsers report errors badly for beginners: pyoxigraph lists the Unicode character classes it
could have read ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | …"), rdflib's
pyparsing grammar backtracks to the start of the query part it could not finish ("Expected
SelectQuery"). Here the query is parsed again with rdflib's grammar, recording the farthest
place any rule failed and what it wanted there; a small lexer then says what was found: a stray
character, an unclosed string, an unbalanced bracket, a word that is not a keyword, or the kind
of thing expected ("a term (IRI, variable or literal) after '?s ?p'"), with line and column.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
import threading
from collections.abc import Iterable, Iterator, Mapping

import pyparsing as pp
from pyparsing import ParseBaseException
from rdflib import Literal
from rdflib.plugins.sparql import parser as grammar

PARSER_LOCK = threading.Lock()
"""rdflib's pyparsing grammar is not thread-safe: two queries parsed at once in two threads
sometimes fail with a spurious syntax error (found by the benchmark: 2 of 72 concurrent
requests), and :func:`describe` changes it for the time of a parse. Hold it for every parse."""


def _negative_decimal(tokens: pp.ParseResults) -> Literal:
    """``-1.5`` as the literal SPARQL means: its lexical form with the sign. rdflib negates the
    parsed value, which raises a TypeError for a decimal (rdflib issue #2962, open), so every
    query holding a negative decimal failed in the policy's parse: a 500 found by the fuzzer."""
    return Literal(f"-{tokens[0]}", datatype=tokens[0].datatype)


grammar.DECIMAL_NEGATIVE.set_parse_action(_negative_decimal)

TOKENS = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<open_string>["'])
  | (?P<variable>[?$]\w+)
  | (?P<blank>_:[\w.-]*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<punctuation>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/!=<>|^])
  | (?P<stray>.)
    """,
    re.VERBOSE | re.DOTALL,
)
OPENERS = {"{": "}", "(": ")", "[": "]"}
CLOSERS = {closer: opener for opener, closer in OPENERS.items()}
FUNCTION_MARKERS = frozenset({"STR", "BOUND", "REGEX"})
"""Keywords that appear among the expectations only where an expression may start."""
TERM_MARKERS = frozenset({"?", "$"})
"""Variables may start here: a term (or more) is expected."""
LISTED = 8
"""At most this many expectations are listed."""


@dataclasses.dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, whitespace and comments left out (good enough to describe an error,
    not to parse: ``<`` followed by an IRI-like text reads as an IRI)."""
    for match in TOKENS.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            yield Token(str(match.lastgroup), match.group(), match.start())


def position(text: str, offset: int) -> str:
    """``line L, column C`` of an offset (both from 1)."""
    return f"line {pp.lineno(offset, text)}, column {pp.col(offset, text)}"


# ---- prefixes -------------------------------------------------------------------------------


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query declares itself (``PREFIX name: <…>``)."""
    return {
        following.text[:-1]
        for token, following in itertools.pairwise(tokens(text))
        if token.kind == "word" and token.text.upper() == "PREFIX" and following.kind == "pname"
    }


def undeclared_prefix(text: str, used: Iterable[str], known: Mapping[str, str]) -> str | None:
    """A sentence about the first prefix ``used`` that neither the query nor ``known`` declares
    (None when there is none)."""
    missing = set(used) - declared_prefixes(text) - set(known)
    if not missing:
        return None
    where, name = min(
        ((t.start, t.text.split(":", 1)[0]) for t in tokens(text) if t.kind == "pname"),
        key=lambda found: (found[1] not in missing, found[0]),
        default=(0, min(missing)),
    )
    listed = ", ".join(f"{prefix}:" for prefix in sorted(known))
    return (
        f"{position(text, where)}: the prefix '{name}:' is not declared; add "
        f"'PREFIX {name}: <…>' at the top of the query, or use one this endpoint "
        f"declares: {listed}"
    )


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """The query preceded by a ``PREFIX`` line for each of ``prefixes`` it does not declare
    (for an engine that cannot be given prefixes another way)."""
    declared = declared_prefixes(text)
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items() if name not in declared]
    return "".join(lines) + text


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first form keyword (None if it has none)."""
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    words = (t.text.upper() for t in tokens(text) if t.kind == "word")
    return next((word for word in words if word in forms), None)


# ---- syntax errors --------------------------------------------------------------------------


class _Farthest:
    """Records, for one thread, the farthest offset where a grammar rule failed, and the rules
    that failed there."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.offset = -1
        self.rules: list[pp.ParserElement] = []

    def __call__(self, _text: str, offset: int, rule: pp.ParserElement, _error: Exception) -> None:
        if threading.get_ident() != self.thread:
            return
        if offset > self.offset:
            self.offset, self.rules = offset, [rule]
        elif offset == self.offset:
            self.rules.append(rule)


def _rules(root: pp.ParserElement) -> list[pp.ParserElement]:
    seen: dict[int, pp.ParserElement] = {}
    stack = [root]
    while stack:
        rule = stack.pop()
        if id(rule) in seen:
            continue
        seen[id(rule)] = rule
        stack.extend(getattr(rule, "exprs", None) or ())
        if getattr(rule, "expr", None) is not None:
            stack.append(rule.expr)
    return list(seen.values())


RULES = _rules(grammar.Query)
KEYWORDS = frozenset(
    rule.match.upper()
    for rule in RULES
    if isinstance(rule, pp.Keyword | pp.CaselessKeyword) and rule.match[:1].isalpha()
) | {"A", "TRUE", "FALSE"}


def farthest_failure(text: str) -> _Farthest:
    """Where rdflib's grammar got farthest before failing on ``text`` (hold PARSER_LOCK)."""
    farthest = _Farthest()
    for rule in RULES:
        rule.set_fail_action(farthest)
    try:
        grammar.Query.parse_string(text, parse_all=True)
    except (ParseBaseException, RecursionError):
        pass
    finally:
        for rule in RULES:
            rule.set_fail_action(None)
    return farthest


def describe(text: str) -> str:
    """``syntax error at line L, column C: <what is wrong>`` for a text that is not a query
    (hold PARSER_LOCK)."""
    farthest = farthest_failure(text)
    offset = max(farthest.offset, 0)
    found = list(tokens(text))
    problem = _lexical_problem(text, found, offset) or _expectation(
        text, found, offset, _expected(farthest.rules)
    )
    return f"syntax error at {position(text, problem[0])}: {problem[1]}"


def _lexical_problem(text: str, found: list[Token], offset: int) -> tuple[int, str] | None:
    """A stray character, an unclosed string or an unbalanced bracket at or before ``offset``."""
    open_brackets: list[Token] = []
    for token in found:
        if token.start > offset:
            break
        if token.kind == "stray":
            return token.start, f"unexpected character {token.text!r}"
        if token.kind == "open_string":
            return token.start, "this string is not closed (its quote has no partner)"
        if token.text in OPENERS:
            open_brackets.append(token)
        elif token.text in CLOSERS:
            if not open_brackets:
                return token.start, f"'{token.text}' closes nothing: a bracket is unbalanced"
            if open_brackets[-1].text != CLOSERS[token.text]:
                opened = open_brackets[-1]
                return token.start, (
                    f"'{token.text}' found where the '{opened.text}' opened at "
                    f"{position(text, opened.start)} is still open"
                )
            open_brackets.pop()
    if open_brackets and not text[offset:].strip():
        opened = open_brackets[-1]
        return offset, (
            f"the query ends before the '{opened.text}' opened at "
            f"{position(text, opened.start)} is closed"
        )
    return None


def _expected(rules: list[pp.ParserElement]) -> list[str]:
    """The literal words and signs the failed rules wanted, in grammar order, once each."""
    words: dict[str, None] = {}
    signs: dict[str, None] = {}
    for rule in rules:
        if rule is grammar.INTEGER:
            signs["a whole number"] = None
        elif isinstance(rule, pp.Literal | pp.Keyword | pp.CaselessKeyword):
            if rule.match[:1].isalpha():
                words[rule.match.upper()] = None
            else:
                signs[f"'{rule.match}'"] = None
    return [*words, *signs]


def _expectation(
    text: str, found: list[Token], offset: int, expected: list[str]
) -> tuple[int, str]:
    here = next((t for t in found if t.start >= offset), None)
    last = next((t for t in reversed(found) if t.start < offset), None)
    if last is not None and last.kind == "word" and "':'" in expected:
        return last.start, (
            f"{last.text!r} is neither a keyword nor a prefixed name; write a prefixed name "
            f"(for instance org:{last.text}), a variable (?{last.text}) or an IRI (<…>)"
        )
    before = [t.text for t in found if t.start < offset][-2:]
    after = f" after {' '.join(before)!r}" if before else ""
    seen = "the end of the query" if here is None else repr(here.text)
    keywords = [word for word in expected if word.isupper()]
    if here is not None and here.kind == "word" and here.text.upper() not in KEYWORDS and keywords:
        guess = difflib.get_close_matches(here.text.upper(), keywords, n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        return here.start, f"{seen} is not a SPARQL keyword{hint}; expected {_list(expected)}"
    if last is not None and "\n" in text[last.start : offset]:
        offset = last.start + len(last.text)  # the end of the line where something is missing
    return offset, f"expected {_kind(expected)}{after}, found {seen}"


def _kind(expected: list[str]) -> str:
    if FUNCTION_MARKERS & set(expected):
        return "an expression (a variable, a value or a function call)"
    if TERM_MARKERS & {word.strip("'") for word in expected}:
        return "a term (IRI, variable or literal)"
    return _list(expected)


def _list(expected: list[str]) -> str:
    if not expected:
        return "something else"
    shown = expected[:LISTED]
    more = ", …" if len(expected) > LISTED else ""
    return ("one of " if len(expected) > 1 else "") + ", ".join(shown) + more


ENGINE_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
CHARACTER_CLASS = re.compile(r"\[[^\]]*\]")
SENTENCE = re.compile(r"\b[A-Z][a-z]+(?: [^,]+)+")
"""pyoxigraph puts its semantic errors among the expected tokens ("The SELECT overrides an
existing variable using an expression", "Prefix not found")."""
EXPECTED_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\b[A-Z][A-Z_0-9]+\b')


def engine_message(message: str) -> str:
    """pyoxigraph's ``error at L:C: expected one of …`` made short: the position, and the
    sentence it holds, or the tokens it expected without the character classes."""
    match = ENGINE_ERROR.match(message)
    if not match:
        return message.splitlines()[0] if message else "the query could not be read"
    line, column, rest = match.groups()
    rest = CHARACTER_CLASS.sub("", rest)
    sentence = SENTENCE.search(rest)
    expected = EXPECTED_TOKEN.findall(rest)
    if sentence:
        what = sentence[0][0].lower() + sentence[0][1:]
    elif expected:
        what = "expected " + ("one of " if len(expected) > 1 else "") + ", ".join(expected)
    else:
        what = "the query cannot be read from here"
    return f"syntax error at line {line}, column {column}: {what}"


def explain(text: str, known: Mapping[str, str]) -> str | None:
    """What is wrong with ``text`` as a query on an engine that declares ``known``: a syntax
    error or an undeclared prefix (None when rdflib finds neither)."""
    with PARSER_LOCK:
        try:
            grammar.Query.parse_string(text, parse_all=True)
        except ParseBaseException:
            return describe(text)
    used = [token.text.split(":", 1)[0] for token in tokens(text) if token.kind == "pname"]
    return undeclared_prefix(text, used, known)
