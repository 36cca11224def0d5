"""``ssreg interview``: the questions asked one at a time, in English, French or Spanish.

Each answer is checked (a bad one is asked again with the reason); ``?`` means "I don't
know" and the question is not asked again.  The interview stops when the route and the
document checklist no longer depend on anything asked (:func:`ssreg.next_question`), then
prints the summary and can save the case, which ``ssreg evaluate`` reads back.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from ..model.fields import specs
from ..model.models import Student
from ..registration.questions import Question
from ..rulebook.rulebook import Rulebook


SKIP = object()
YES = {"yes", "y", "oui", "o", "sí", "si", "s", "true", "1"}
NO = {"no", "n", "non", "false", "0"}


def word(key: str, lang: str, **values: Any) -> str:
    """A text of the catalogue's ``[interview]`` section (``src/ssreg/texts/asking.toml``),
    typeset for the language."""
    from ..output import i18n

    section = "value" if key in ("yes", "no") else "interview"
    return i18n.typeset(i18n.text(f"{section}.{key.replace('.', '_')}", lang, **values),
                        lang)


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _read() -> str | None:
    line = sys.stdin.readline()
    return None if line == "" else line.strip()


class Asker:
    """Asks one question, parses and checks the answer, in a language."""

    def __init__(self, book: Rulebook, lang: str) -> None:
        self.book, self.lang = book, lang
        self.kinds = dict(specs(Student))

    def choices(self, question: Question) -> list[Any]:
        spec = self.book.facts[question.fact]
        return [*spec.values, *spec.answers]

    def show(self, question: Question) -> None:
        from ..output.asking import question_text, value_label

        spec = self.book.facts[question.fact]
        choices = self.choices(question)
        hint = ""
        if question.type == "bool":
            hint = word("hint.bool", self.lang)
        elif question.type == "date":
            hint = word("hint.date", self.lang)
        elif question.type == "int":
            hint = word("hint.int", self.lang)
        elif spec.display == "country":
            hint = word("hint.country", self.lang)
        _say(f"{question_text(self.book, question, self.lang)} {hint}".rstrip())
        if choices:
            if question.type in ("date", "int"):
                _say(f"  {word('hint.choose', self.lang)}")
            for number, value in enumerate(choices, start=1):
                _say(f"  {number}. {value_label(self.book, question.fact, value, self.lang)}")

    def parse(self, question: Question, text: str) -> tuple[Any, str]:
        """The answer as case data, or ``(None, reason)``."""
        choices = self.choices(question)
        if choices and text.isdigit() and question.type != "int":  # a numbered answer
            index = int(text) - 1
            if 0 <= index < len(choices):
                return choices[index], ""
            return None, word("bad.choice", self.lang)
        if text in choices:
            return text, ""
        if question.type == "bool":
            lowered = text.lower()
            if lowered in YES or lowered == word("yes", self.lang):
                return True, ""
            if lowered in NO or lowered == word("no", self.lang):
                return False, ""
            return None, word("bad.bool", self.lang)
        if question.type == "str" and choices:
            return None, word("bad.choice", self.lang)
        value: Any = text
        if question.type == "int":
            kind = self.kinds[question.path.removeprefix("student.")].kind
            inner = getattr(kind, "inner", kind)
            low, high = getattr(inner, "minimum", 0), getattr(inner, "maximum", 0)
            if not text.lstrip("-").isdigit():
                return None, word("bad.int", self.lang, low=low, high=high)
            value = int(text)
            if not low <= value <= high:
                return None, word("bad.int", self.lang, low=low, high=high)
            return value, ""
        if question.type == "date":
            try:
                return date.fromisoformat(text).isoformat(), ""
            except ValueError:
                return None, word("bad.date", self.lang)
        kind = self.kinds[question.path.removeprefix("student.")].kind
        converted = kind.convert(text)
        found = kind.check(converted)
        if found:
            reason = word("bad.country", self.lang) if self.book.facts[
                question.fact].display == "country" else ""
            return None, f"{reason} ({found[0][1]})".strip()
        return converted, ""

    def ask(self, question: Question) -> Any:
        """The answer, :data:`SKIP` for "I don't know", or ``None`` at the end of input."""
        self.show(question)
        while True:
            sys.stdout.write("> ")
            sys.stdout.flush()
            text = _read()
            if text is None:
                return None
            if text == "?":
                if question.required:
                    _say(word("needed", self.lang))
                    continue
                return SKIP
            value, reason = self.parse(question, text)
            if not reason:
                return value
            _say(reason)


def run_interview(args: argparse.Namespace, book: Rulebook, on: date,
                  overrides: dict[str, Any]) -> int:
    from ..registration.evaluate import evaluate
    from ..registration.partial import next_question
    from .inputs import write_atomically

    lang = args.lang
    asker = Asker(book, lang)
    case: dict[str, Any] = {"student": {}}
    skipped: list[str] = []
    _say(word("intro", lang))
    while True:
        question = next_question(case, on=on, rulebook=book, engine=args.engine,
                                 overrides=overrides, skip=skipped)
        if question is None:
            break
        _say()
        answer = asker.ask(question)
        if answer is None:  # the input ended
            print(word("interrupted", lang), file=sys.stderr)
            return 1
        if answer is SKIP:
            skipped.append(question.fact)
            continue
        case["student"][question.path.removeprefix("student.")] = answer
    decision = evaluate(case, on=on, rulebook=book, engine=args.engine, overrides=overrides)
    _say()
    _say(decision.summary(lang))
    if skipped:
        from ..output.asking import question_text

        _say(word("unknown", lang, facts="; ".join(question_text(book, name, lang)
                                                  for name in skipped)))
    if args.save:
        from pathlib import Path

        write_atomically(Path(args.save), json.dumps(case, ensure_ascii=False, indent=2) +
                         "\n")
        _say(word("saved", lang, path=args.save))
    return 0


def cmd_interview(args: argparse.Namespace) -> int:
    """``ssreg interview``: ask until the route and the documents are settled."""
    from .inputs import book, on, overrides

    return run_interview(args, book(args), on(args), overrides(args.set))


def cmd_questions(args: argparse.Namespace) -> int:
    """``ssreg questions``: what a partial case still depends on (``--next``: the question
    to ask now), in words or in JSON."""
    from ..output.asking import answer_label, gives, question_dict, question_text, settles_label
    from ..output.i18n import colon, typeset
    from ..registration.partial import next_question, questions
    from .inputs import book, emit, on, overrides, read_json

    rulebook, source = book(args), read_json(args.case)
    options = {"on": on(args), "rulebook": rulebook, "engine": args.engine,
               "overrides": overrides(args.set)}
    found = ((next_question(source, **options),) if args.next else
             questions(source, **options))
    asked = [q for q in found if q is not None]
    if args.json:
        data = [question_dict(rulebook, q, args.lang) for q in asked]
        emit((data[0] if data else None) if args.next else data)
        return 0
    lang = args.lang
    c = colon(lang)
    for question in asked:
        print(f"{question_text(rulebook, question, lang)} ({question.path})")
        for answer in question.answers:
            what = "; ".join(f"{settles_label(rulebook, name, lang)}{c}"
                             f"{gives(rulebook, answer, name, lang)}"
                             for name in question.settles)
            print(typeset(f"  - {answer_label(rulebook, question, answer, lang)}{c}{what}",
                          lang))
    return 0
