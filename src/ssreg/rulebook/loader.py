"""Reading rulebooks: TOML files or folders, overlays, and the built-in rulebook.

Reading never executes code (``tomllib`` with ``parse_float=Decimal``).  Everything
gathered is then checked by :mod:`ssreg.rulebook.checks`, which reports every problem with
its file and key.
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..exceptions import Problem, RulebookError
from ..model.arguments import PATH, accepts
from ..model.files import MAX_TOML_BYTES, decode, read_bytes
from . import cache as _tomlcache
from . import conditions as cond
from .checks import build
from .collect import Raw
from .rulebook import FAR_FUTURE, OPTIONAL_RULEBOOK, Parameter, Rule, Rulebook


TABLE_SECTIONS = ("sources", "facts", "decisions", "vocabulary", "parameters", "documents",
                  "requirements", "events", "steps", "reasons")
TOP_LEVEL_KEYS = (*TABLE_SECTIONS, "rules", "rulebook")




def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        raw = read_bytes(path, MAX_TOML_BYTES)
        builtin = path.parent == builtin_rules_dir()
        if builtin:
            cached = _tomlcache.load(raw)
            if cached is not None:
                return cached
        text = decode(raw, path.name, error=RulebookError)
        data = tomllib.loads(text, parse_float=Decimal)
        if builtin:
            _tomlcache.store(raw, data)
        return data
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(path.name, f"not valid TOML: {exc}"))
    except RecursionError:
        problems.append(Problem(path.name, "not valid TOML: nested too deeply"))
    except ValueError:  # Python refuses integers of more than 4300 digits
        problems.append(Problem(path.name, "not valid TOML: a number has too many digits"))
    except RulebookError as exc:
        problems.extend(exc.problems)
    except OSError as exc:
        problems.append(Problem(str(path), f"cannot read: {exc.strerror}"))
    return {}


MAX_RULE_FILES = 1_000
"""Most rule files read from the folders given (the built-in rulebook has 11)."""


def _toml_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = list(itertools.islice(path.rglob("*.toml"), MAX_RULE_FILES + 1))
            if len(found) > MAX_RULE_FILES:
                raise RulebookError([Problem(str(path)[:300], f"more than {MAX_RULE_FILES} "
                                                              "rule files")])
            files.extend(sorted(found))
        else:
            files.append(path)
    return files


def _gather(raw: Raw, files: list[Path], problems: list[Problem], *, overlay: bool) -> None:
    file_rules: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in files:
        data = _read_toml(path, problems)
        name = path.name
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                problems.append(
                    Problem(f"{name}:{key}", f"unknown table; expected one of {TOP_LEVEL_KEYS}")
                )
        meta = data.get("rulebook")
        if meta is not None:
            if isinstance(meta, dict):
                raw.meta = (f"{name}:rulebook", meta)
            else:
                problems.append(Problem(f"{name}:rulebook", "expected a table"))
        for section in TABLE_SECTIONS:
            table = data.get(section, {})
            if not isinstance(table, dict):
                problems.append(Problem(f"{name}:{section}", "expected a table"))
                continue
            target: dict[str, tuple[str, dict[str, Any]]] = getattr(raw, section)
            for key, value in table.items():
                if not isinstance(value, dict):
                    problems.append(Problem(f"{name}:{section}.{key}", "expected a table"))
                    continue
                target[key] = (f"{name}:{section}.{key}", value)
        rules = data.get("rules", [])
        if not isinstance(rules, list):
            problems.append(Problem(f"{name}:rules", "expected an array of tables [[rules]]"))
            continue
        for i, rule in enumerate(rules):
            where = f"{name}:rules[{i}]"
            if not isinstance(rule, dict) or not isinstance(rule.get("id"), str):
                problems.append(Problem(where, "each [[rules]] entry needs a string `id`"))
                continue
            if rule.get("disabled") is True:
                raw.disabled.add(rule["id"])
                continue
            file_rules.setdefault(rule["id"], []).append((where, rule))
    for rule_id, versions in file_rules.items():
        if overlay:
            raw.rules[rule_id] = versions  # an overlay replaces every version of an id
        else:
            raw.rules.setdefault(rule_id, []).extend(versions)
    for rule_id in raw.disabled:
        raw.rules.pop(rule_id, None)


def _fingerprint(files: list[Path], base: str) -> str:
    digest = hashlib.sha256(base.encode())
    for path in files:
        try:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:16]


@cache
def builtin_rules_dir() -> Path:
    """The folder of the built-in rulebook inside the installed package."""
    from importlib import resources  # here: it imports tempfile, unneeded at start

    return Path(str(resources.files("ssreg") / "rules"))


@cache
def default_rulebook() -> Rulebook:
    """The built-in rulebook, loaded and checked once per process."""
    return load_rulebook(builtin_rules_dir())


@accepts(paths=PATH, base=OPTIONAL_RULEBOOK)
def load_rulebook(*paths: str | Path, base: Rulebook | None = None) -> Rulebook:
    """Load TOML rule files or folders into a checked :class:`Rulebook`.

    With ``base``, the files form an *overlay*: their sources, facts, decisions,
    parameters and labels replace the base's entries of the same key; a rule id replaces
    every version of that id; ``disabled = true`` removes a rule.  The whole result is
    checked and every problem is reported at once.

    >>> import ssreg
    >>> book = ssreg.load_rulebook(ssreg.builtin_rules_dir())
    >>> "route.online.first_time_international" in {r.id for r in book.rules}
    True
    >>> ssreg.load_rulebook("/no/such/file.toml")
    Traceback (most recent call last):
    ...
    ssreg.exceptions.RulebookError: invalid rulebook: /no/such/file.toml: cannot read: ...
    """
    problems: list[Problem] = []
    files = _toml_files(paths)
    raw = Raw()
    if base is not None:
        _seed_from(raw, base)
    _gather(raw, files, problems, overlay=base is not None)
    if problems:
        raise RulebookError(problems)
    fingerprint = _fingerprint(files, base.fingerprint if base else "")
    if (base is not None and base.meta.version and raw.meta is not None
            and raw.meta[0] == base.meta.origin):
        # the overlay keeps the base's [rulebook] table: its version says it was changed
        where, meta = raw.meta
        release = base.meta.version.split("+")[0]
        raw.meta = (where, {**meta, "version": f"{release}+{fingerprint[:8]}"})
    return build(raw, fingerprint)


# --------------------------------------------------------------------------- overlays


def _labels(value: Any) -> dict[str, str]:
    return dict(value)


def _seed_from(raw: Raw, base: Rulebook) -> None:
    """Fill raw tables from an already built rulebook (overlay on a custom base)."""
    for key, src in base.sources.items():
        raw.sources[key] = (src.origin, {"title": src.title, "url": src.url,
                                         "note": src.note, "kind": src.kind,
                                         "checked": src.checked, "about": src.about})
    for key, fact in base.facts.items():
        data: dict[str, Any] = {"type": fact.type, "kind": fact.kind,
                                "label": _labels(fact.label)}
        if fact.citations:
            data["citations"] = list(fact.citations)
        if fact.values:
            data["values"] = list(fact.values)
        if fact.names_parameter:
            data["names_parameter"] = True
        if fact.parameter_unit:
            data["parameter_unit"] = fact.parameter_unit
        if fact.reads:
            data["reads"] = {k: dict(v) for k, v in fact.reads.items()}
        if fact.vocabulary:
            data["vocabulary"] = fact.vocabulary
        if fact.display:
            data["display"] = fact.display
        if fact.question:
            data["question"] = _labels(fact.question)
        if fact.default is not None:
            data["default"] = fact.default
        if fact.answers:
            data["answers"] = {k: _labels(v) for k, v in fact.answers.items()}
        if fact.inputs:
            data["inputs"] = list(fact.inputs)
        if fact.path:
            data["path"] = fact.path
        raw.facts[key] = (fact.origin, data)
    for key, dec in base.decisions.items():
        raw.decisions[key] = (dec.origin, {
            "hit_policy": dec.hit_policy, "outputs": list(dec.outputs),
            "label": _labels(dec.label), "order": dec.order, "scope": dec.scope})
    for key, labels in base.vocabulary.items():
        if not key.startswith(("requirement.", "step.", "event.")):
            raw.vocabulary[key] = ("", dict(labels))
    for key, kind in base.documents.items():
        raw.documents[key] = (kind.origin, {"label": _labels(kind.label),
                                            "checks": list(kind.checks)})
    for key, req in base.requirements.items():
        raw.requirements[key] = (req.origin, {
            "label": _labels(req.label), "short": _labels(req.short or req.label),
            "one_of": list(req.one_of), "stage": req.stage,
            "informational": req.informational})
    for key, event in base.events.items():
        data = {"actor": event.actor, "label": _labels(event.label),
                "citations": list(event.citations), "sets": dict(event.sets),
                "payload": list(event.payload)}
        if event.document:
            data["document"] = event.document
        if event.number:
            data["number"] = event.number
        if event.changes_case:
            data["changes_case"] = True
        if event.routes:
            data["routes"] = list(event.routes)
        raw.events[key] = (event.origin, data)
    for key, step in base.steps.items():
        data = {"actor": step.actor, "label": _labels(step.label),
                "needs": _labels(step.needs), "citations": list(step.citations)}
        if step.event:
            data["event"] = step.event
        raw.steps[key] = (step.origin, data)
    if base.meta.horizon is not None:
        raw.meta = (base.meta.origin, {"horizon": base.meta.horizon,
                                       "note": _labels(base.meta.note),
                                       "citations": list(base.meta.citations),
                                       "version": base.meta.version})
    for key, param in base.parameters.items():
        raw.parameters[key] = (param.origin, _param_to_raw(param))
        raw.base_kinds[key] = param.kind
    for key, reason in base.reasons.items():
        data = dict(reason.text)
        if reason.unknown is not None:
            data["unknown"] = _labels(reason.unknown)
        if reason.actual:
            data["actual"] = {k: _labels(v) for k, v in reason.actual.items()}
        raw.reasons[key] = (reason.origin, data)
    for rule in base.rules:
        raw.rules.setdefault(rule.id, []).append((rule.origin, _rule_to_raw(rule)))


def _param_to_raw(param: Parameter) -> dict[str, Any]:
    values = []
    for v in param.values:
        value = list(v.value) if isinstance(v.value, tuple) else v.value
        entry: dict[str, Any] = {"start": v.start, "value": value,
                                 "citations": list(v.citations)}
        if v.end != FAR_FUTURE:
            entry["end"] = v.end
        if v.note:
            entry["note"] = v.note
        if v.uncertain:
            entry["uncertain"] = True
        values.append(entry)
    data: dict[str, Any] = {"type": param.type, "unit": param.unit,
                            "label": _labels(param.label), "values": values}
    if param.minimum is not None:
        data["min"] = param.minimum
    if param.maximum is not None:
        data["max"] = param.maximum
    if param.options:
        data["options"] = list(param.options)
        data["alternatives"] = {k: list(v) for k, v in param.alternatives.items()}
        data["option_labels"] = {k: dict(v) for k, v in param.option_labels.items()}
    return data


def _rule_to_raw(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id, "decision": rule.decision, "priority": rule.priority,
        "outcome": dict(rule.outcome), "when": cond.to_data(rule.when),
        "label": _labels(rule.label), "citations": list(rule.citations), "start": rule.start,
    }
    if rule.end != FAR_FUTURE:
        data["end"] = rule.end
    return data

