"""What the rulebook says about asking: the question behind each input fact.

An ``input`` fact (a field of the student or of a claim) that a rule reads, directly or
through a derived fact's ``inputs``, carries its question in English, French and Spanish,
where its answer goes (``path``), the labels of special answers (``answers``, e.g.
``none`` for "I have no card"), the sources that define the notion (``citations``) and,
when one is honest, the ``default`` taken only when the caller asks to assume
(``evaluate(..., unknown="assume")``), which is then listed among the assumptions::

    [facts.stay_months]
    type = "int"
    kind = "input"
    path = "student.stay_months"
    question = { en = "How many months …?", fr = "Combien de mois … ?", es = "¿Cuántos …?" }
    default = 12
    citations = ["E5"]

The loader refuses an input fact read by a rule without its question in the three
languages, and a default or special answer of the wrong type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from ..model.limits import excerpt
from . import conditions as cond
from .collect import Checker, type_ok
from .rulebook import FactSpec, Rule
from .sources import Source


def question_fields(c: Checker, where: str, data: Mapping[str, Any], ftype: str,
                    values: tuple[str, ...], sources: Mapping[str, Source]) -> dict[str, Any]:
    """The asking part of a fact declaration, checked (keyword arguments of FactSpec)."""
    found: dict[str, Any] = {}
    kind = data.get("kind")
    if "question" in data:
        if kind != "input":
            c.add(f"{where}.question", "only an input fact is asked")
        found["question"] = c.labels(where, data.get("question"), "question")
    answers: dict[str, Mapping[str, str]] = {}
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, Mapping):
        c.add(f"{where}.answers", "expected a table value = { en, fr, es }")
        raw_answers = {}
    for value, labels in raw_answers.items():
        answers[str(value)] = c.labels(f"{where}.answers", labels, str(value))
    found["answers"] = MappingProxyType(answers)
    if "default" in data:
        default = data["default"]
        if not (type_ok(ftype, default) or (isinstance(default, str) and default in answers)):
            c.add(f"{where}.default", f"expected a {ftype} value (or one of the answers "
                  f"{', '.join(answers) or 'declared'}), got {excerpt(default)}")
        elif values and isinstance(default, str) and default not in values:
            c.add(f"{where}.default", f"{default!r} is not one of {', '.join(values)}")
        found["default"] = default
    path = data.get("path", "")
    if not isinstance(path, str) or (path and path.count(".") != 1):
        c.add(f"{where}.path", f"expected 'student.FIELD' or 'claim.FIELD', got {excerpt(path)}")
        path = ""
    if "question" in data and not path:
        c.add(f"{where}.path", "a question says where its answer goes: path = 'student.FIELD'")
    found["path"] = path
    inputs = c.names(f"{where}.inputs", data.get("inputs", []))
    if inputs and kind != "derived":
        c.add(f"{where}.inputs", "only a derived fact names the inputs it is computed from")
    found["inputs"] = inputs
    if kind == "input" and data.get("citations") is not None:
        found["citations"] = c.citations(where, data.get("citations"), sources)
    return found


def inputs_behind(facts: Mapping[str, FactSpec], name: str) -> tuple[str, ...]:
    """The input facts a fact depends on: itself, or a derived fact's ``inputs``."""
    spec = facts.get(name)
    if spec is None:
        return ()
    if spec.kind == "input":
        return (name,)
    return tuple(dict.fromkeys(i for n in spec.inputs for i in inputs_behind(facts, n)
                               if n != name))


def check_questions(c: Checker, facts: Mapping[str, FactSpec], rules: Iterable[Rule]) -> None:
    """Every input fact a rule reads (directly or through a derived fact) has a question."""
    for spec in facts.values():
        for source in spec.inputs:
            if source not in facts:
                c.add(f"{spec.origin}.inputs", f"unknown fact {source!r}")
    reported: set[str] = set()
    for rule in rules:
        for comp in cond.comparisons(rule.when):
            if comp.kind != "fact":
                continue
            for name in inputs_behind(facts, comp.name):
                spec = facts[name]
                if name in reported or spec.question:
                    continue
                reported.add(name)
                c.add(spec.origin, f"input fact {name!r} is read by rule {rule.id!r} but has "
                      "no question: add question = { en, fr, es } (and its path)")
