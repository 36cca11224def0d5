"""A linter for the texts ssreg writes: words a student can trust, in their language.

:func:`lint_text` returns what is wrong with a rendered text (a summary, an explanation, a
refusal, an error, a table), one finding per line:

- a heading written twice in a row (``Bloquant : Bloquant :``) or twice in a summary;
- a raw code (``number_status``, ``gp_consultation``) where a label belongs;
- English in a French or Spanish text, beyond the listed proper nouns;
- typography: in French a narrow no-break space before ``; : ! ?``, ``1er`` for the first
  day of a month, a decimal comma; in English and Spanish no space before those marks;
  a Spanish question opened by ``¿``; nowhere a full stop before a colon;
- a mechanical "actual / required" sentence in a student-facing text.

Lines that cite a source (``[R1] ...``) keep the source's own title and language, and
addresses (``https://...``) are left alone.  Use it on your own overlay's texts too.

>>> from ssreg.testing.textlint import lint_text
>>> lint_text("Bloquant : Bloquant : une adresse", "fr")  # doctest: +NORMALIZE_WHITESPACE
['doubled heading: Bloquant',
 'French typography: a narrow no-break space before :: Bloquant :']
>>> lint_text("Votre séjour dure 4\\u202fmois.", "fr")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable


__all__ = ["ENGLISH", "PROPER", "lint_text"]

#: words that are English and neither French nor Spanish
ENGLISH = frozenset({
    "the", "and", "with", "your", "you", "from", "this", "that", "required", "because",
    "given", "missing", "expired", "none", "yes", "true", "false", "null", "not", "rejected",
    "uploaded", "held", "accepted", "days", "since", "until", "claim", "assumed", "warning",
    "other", "choice", "what", "where", "when", "which", "must", "needs", "need", "have",
    "has", "been", "will", "should", "yet", "already", "first", "step", "steps", "next",
    "done", "refused", "blocks", "blocked", "blocking", "expected",
    "got", "unknown", "invalid", "valid", "field", "fields", "known", "mean", "did", "please",
    "nothing", "left", "who", "each", "same", "under", "year", "years", "card", "number",
    "online", "register", "registration", "insurance", "doctor", "is", "are", "was", "of",
    "for", "to", "by", "it", "its", "can", "cannot",
})
#: names kept in every language (proper nouns, French institutions, the site's address)
PROPER = frozenset({
    "assurance", "maladie", "carte", "vitale", "médecin", "traitant", "ameli", "etudiant",
    "etranger", "cpam", "vls", "ts", "ofii", "ramq", "ghic", "iban", "titre", "séjour",
    "récépissé", "mutuelle", "contrat", "responsable", "solidaire", "santé", "complémentaire",
})
_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[A-Z]+_[A-Z_]+\b")
_URL = re.compile(r"<?https?://\S+|\S+@\S+|\S+\.(?:fr|com|org)\b\S*")
_SOURCE = re.compile(r"^\s*\[[^\]]+\] ")
_MONTHS_FR = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
              "|décembre")
_HEADING = re.compile(r"([\w'’][\w'’ ]*?)[ \u00a0\u202f]?:[ \u00a0\u202f]+\1[ \u00a0\u202f]?:")
_MECHANICAL = re.compile(  # "fact is X, required Y": the engine's form, not a person's
    r"\bis [^,;]+, required\b|\(required:|\brequired: (?:not|less|more|at|one|none)\b|"
    r"\bvaut\b|, requis\b|requis[ \u202f]?:|, requerido\b|requerido:")


def _clean(line: str) -> str:
    """A line without its addresses and its lists of cited sources (``[R1, seed:step1]``)."""
    return re.sub(r"\[[^\]]*\]", " ", _URL.sub(" ", line))


def _typography(line: str, lang: str) -> list[str]:
    found = []
    if re.search(r"(?<!\.)\.[ \u00a0\u202f]*:", line):
        found.append(f"a full stop before a colon: {line.strip()[:80]}")
    if lang == "fr":
        for match in re.finditer(r"(.?)(.)([;:!?])(?=\s|$)", line):
            two, one, mark = match.groups()
            if not line[:match.start(3)].strip():
                continue  # a mark opening the line (a bullet), not ending a word
            if one != "\u202f" or two in (" ", "\u00a0"):
                found.append(f"French typography: a narrow no-break space before {mark}: "
                             f"{line[max(0, match.start() - 12):match.end()].strip()}")
                break
        if re.search(rf"(?<![\d,.])\b1[ \u00a0\u202f]({_MONTHS_FR})\b", line):
            found.append(f"French typography: 1er for the first of a month: {line.strip()[:80]}")
    else:
        if re.search(r"\S[ \u00a0\u202f]+[;:!?](?=\s|$)", line):
            found.append(f"{lang} typography: a space before a mark: {line.strip()[:80]}")
    if lang in ("fr", "es") and re.search(r"(?<![\d.,\w])\d+\.\d+(?![\d.])", line):
        found.append(f"{lang} typography: a decimal point: {line.strip()[:80]}")
    if lang == "es" and "?" in line:
        for sentence in re.findall(r"[^.!?]*\?", line):
            if "¿" not in sentence:
                found.append(f"es typography: a question without ¿: {sentence.strip()[:80]}")
    return found


def lint_text(text: str, lang: str, *, student: bool = True,
              headings: Iterable[str] = ()) -> list[str]:
    """What is wrong with a rendered text in ``lang`` (empty: nothing).

    ``student``: the text is for a student (no mechanical sentence); ``headings``: the
    summary's headings, each allowed once.
    """
    found: list[str] = []
    seen: set[str] = set()
    heads = tuple(dict.fromkeys(headings))
    for raw in text.splitlines():
        if _SOURCE.match(raw):
            continue  # a source keeps its own title and language
        line = _clean(raw)
        match = _HEADING.search(line)
        if match:
            found.append(f"doubled heading: {match.group(1).strip()}")
        for head in heads:
            if line.startswith((f"{head}:", f"{head}\u202f:", f"{head} :")):
                if head in seen:
                    found.append(f"heading twice: {head}")
                seen.add(head)
        found += [f"raw code: {code}" for code in _CODE.findall(line)]
        if lang in ("fr", "es"):
            words = set(re.findall(r"\b[a-zà-ÿ']+\b", line))  # codes of countries: capitals
            english = sorted(words & ENGLISH - PROPER)
            if english:
                found.append(f"English in a {lang} text: {', '.join(english)}: "
                             f"{raw.strip()[:80]}")
        found += _typography(raw if not _URL.search(raw) else line, lang)
        if student and _MECHANICAL.search(line):
            found.append(f"a mechanical sentence: {raw.strip()[:80]}")
    return found
