"""The search query language, parsed by us and written out in each engine's own syntax.

    words        all of them (AND is implied; `AND` may be written)
    a OR b       either
    a NOT b      a, without b (NOT needs something before it to exclude from)
    "a b c"      the phrase
    secur*       a word starting with `secur`
    ( ... )      grouping

Operators are upper case (`and`, `or` and `not` are words). A word is a run of letters and digits, as both
engines cut text: `anti-US` is the phrase "anti us". The user's text never reaches FTS5's MATCH nor
`to_tsquery` as written: only the tree below, rebuilt from tokens of letters and digits, does. Pure."""

from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_DEPTH = 8
OPERATORS = frozenset({"AND", "OR", "NOT"})


class QuerySyntaxError(ValueError):
    """A query the language does not accept; its message says why, for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word (one token), a phrase (several) or, with `prefix`, words starting with the last token."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    child: "Node"


@dataclass(frozen=True, slots=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple["Node", ...]


Node = Term | Not | And | Or


def words(text: str) -> list[tuple[int, int]]:
    """The words of `text` as (start, end) code-point spans: runs of letters and digits."""
    spans = []
    start = None
    for i, ch in enumerate(text):
        if ch.isalnum():
            if start is None:
                start = i
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def tokens(text: str) -> tuple[str, ...]:
    return tuple(text[s:e].lower() for s, e in words(text))


def _lex(text: str) -> list[tuple[str, object]]:
    """(kind, value) pairs: ("(", None), (")", None), ("op", "AND"), ("term", Term | None)."""
    found: list[tuple[str, object]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            found.append((ch, None))
            i += 1
        elif ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QuerySyntaxError('A phrase opened with " is not closed: add the closing ".')
            inner = text[i + 1 : close]
            prefix = close + 1 < len(text) and text[close + 1] == "*"
            found.append(("term", _term(inner, prefix=prefix)))
            i = close + 1 + prefix
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            if word in OPERATORS:
                found.append(("op", word))
            else:
                found.append(("term", _term(word.rstrip("*"), prefix=word.endswith("*"))))
            i = j
    return found


def _term(text: str, *, prefix: bool) -> Term | None:
    """None for a word with no letter or digit (`&`, `*`): it is left out of the query."""
    found = tokens(text)
    return Term(found, prefix) if found else None


class _Parser:
    def __init__(self, items: list[tuple[str, object]]):
        self.items = items
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, object] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self) -> tuple[str, object]:
        item = self.items[self.at]
        self.at += 1
        return item

    def either(self) -> Node | None:
        children = [self.all_of()]
        while self.peek() == ("op", "OR"):
            self.take()
            if self.peek() is None or self.peek()[0] == ")" or self.peek() == ("op", "OR"):
                raise QuerySyntaxError("OR needs words on both sides: write a OR b.")
            children.append(self.all_of())
        kept = tuple(child for child in children if child is not None)
        if len(kept) < len(children) and kept:
            # `a OR &`: the side without words would match nothing; say so rather than guess.
            raise QuerySyntaxError("OR needs words on both sides: write a OR b.")
        return kept[0] if len(kept) == 1 else (Or(kept) if kept else None)

    def all_of(self) -> Node | None:
        children: list[Node | None] = []
        while True:
            item = self.peek()
            if item is None or item[0] == ")" or item == ("op", "OR"):
                break
            if item == ("op", "AND"):
                self.take()
                following = self.peek()
                if (
                    not children
                    or following is None
                    or following[0] == ")"
                    or following in (("op", "AND"), ("op", "OR"))
                ):
                    raise QuerySyntaxError("AND needs words on both sides: write a AND b.")
                continue
            children.append(self.one())
        if not children:
            if self.peek() == ("op", "OR"):
                raise QuerySyntaxError("OR needs words on both sides: write a OR b.")
            return None
        kept = [child for child in children if child is not None]
        if kept and all(isinstance(child, Not) for child in kept):
            raise QuerySyntaxError("NOT needs words to exclude from: write a NOT b.")
        return kept[0] if len(kept) == 1 else (And(tuple(kept)) if kept else None)

    def one(self) -> Node | None:
        kind, value = self.take()
        if kind == "op" and value == "NOT":
            if self.peek() is None or self.peek()[0] in (")", "op"):
                raise QuerySyntaxError("NOT needs a word or a group after it: write a NOT b.")
            child = self.one()
            if isinstance(child, Not):
                raise QuerySyntaxError("NOT NOT cancels out: leave both out.")
            return None if child is None else Not(child)
        if kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(f"Parentheses nest at most {MAX_DEPTH} deep.")
            inner = self.either()
            if self.peek() is None:
                raise QuerySyntaxError("A parenthesis is opened and not closed: add the closing ).")
            self.take()
            self.depth -= 1
            return inner
        if kind == ")":
            raise QuerySyntaxError("A closing ) has no opening (.")
        return value  # a Term, or None


def _count(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Not):
        return _count(node.child)
    return sum(_count(child) for child in node.children)


def parse(text: str) -> Node:
    """The query's tree, or QuerySyntaxError with a message for the user."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"The query is too long (at most {MAX_QUERY_CHARS} characters).")
    parser = _Parser(_lex(text))
    tree = parser.either()
    if parser.peek() is not None:
        raise QuerySyntaxError("A closing ) has no opening (.")
    if tree is None:
        raise QuerySyntaxError("The query has no words to search for.")
    if isinstance(tree, Not):
        raise QuerySyntaxError("NOT needs words to exclude from: write a NOT b.")
    if _count(tree) > MAX_TERMS:
        raise QuerySyntaxError(f"The query has too many words (at most {MAX_TERMS}).")
    return tree


def positive_terms(node: Node) -> list[Term]:
    """The terms a hit may contain (not those under NOT): what is highlighted."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [term for child in node.children for term in positive_terms(child)]


def fts5(node: Node) -> str:
    """The tree in SQLite FTS5's query syntax; every token is a run of letters and digits, in double quotes."""
    if isinstance(node, Term):
        return '"' + " ".join(node.tokens) + '"' + (" *" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(fts5(child) for child in node.children) + ")"
    if isinstance(node, Not):  # only inside And (parse refuses it elsewhere)
        return fts5(node.child)
    positive = [fts5(child) for child in node.children if not isinstance(child, Not)]
    negative = [fts5(child) for child in node.children if isinstance(child, Not)]
    written = "(" + " AND ".join(positive) + ")"
    return written + "".join(f" NOT {clause}" for clause in negative)


def tsquery(node: Node) -> str:
    """The tree in PostgreSQL's to_tsquery syntax; every token is a run of letters and digits, quoted."""
    if isinstance(node, Term):
        words = [f"'{token}'" for token in node.tokens]
        if node.prefix:
            words[-1] += ":*"
        return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(tsquery(child) for child in node.children) + ")"
    if isinstance(node, Not):
        return "!" + tsquery(node.child)
    return "(" + " & ".join(tsquery(child) for child in node.children) + ")"
