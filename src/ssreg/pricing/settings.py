"""A pricer for a batch's settings (rulebook, engine, overrides, cover), checked and kept.

A pricer holds no claim's state (a batch keeps each person's running totals in a
:class:`~ssreg.pricing.pricer.PersonState`), so the rulebook keeps the pricers of the
settings it has seen: ``price_claim`` called again, or the claims of many cases, do not
build and warm a new one each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ..engines.engine import Engine, get_engine
from ..exceptions import InvalidClaimError, InvalidInputError, Problem
from ..model.limits import excerpt
from ..model.models import Cover
from ..model.structure import structure, unstructure
from ..rulebook.facts import check_overrides
from ..rulebook.inputs import cover_problems
from ..rulebook.loader import default_rulebook
from ..rulebook.rulebook import Rulebook
from .pricer import Pricer


ERRORS = ("raise", "collect")
MAX_WORKERS = 64


def make_pricer(rulebook: Rulebook | None, engine: str | Engine,
                overrides: Mapping[str, Any] | None,
                cover: Cover | Mapping[str, Cover] | None) -> Pricer:
    """The pricer for these settings, checked; kept on the rulebook for the same settings
    (a pricer keeps no claim's state: that is the batch's ``PersonState``), so repeated
    ``price_claim`` calls, or the claims of many cases, do not build one each time."""
    book = rulebook if rulebook is not None else default_rulebook()
    key = _settings_key(engine, overrides, cover)
    memo: dict[Any, tuple[Any, Pricer]] = book.memo().setdefault("pricers", {})
    if key is not None:
        found = memo.get(key)
        if found is not None:
            return found[1]
    pricer = _new_pricer(book, engine, overrides, cover)
    if key is not None:
        if len(memo) >= PRICERS:
            memo.clear()
        memo[key] = (engine, pricer)  # the engine kept: its id is part of the key
    return pricer


PRICERS = 64  # pricers kept per rulebook


def _settings_key(engine: Any, overrides: Any, cover: Any) -> Any:
    """A key for the settings of a pricer, or None when they cannot make one."""
    try:
        key = (engine if isinstance(engine, str) else id(engine), _frozen(overrides),
               _frozen(cover))
        hash(key)
    except TypeError:
        return None
    return key


def _frozen(value: Any, depth: int = 0) -> Any:
    """A hashable image of plain settings (mappings, lists, models); TypeError if none."""
    if depth > 6:
        raise TypeError("too deep")
    if value is None or isinstance(value, str | int | float | Decimal | date):
        return (type(value).__name__, value)
    if isinstance(value, Mapping):
        return ("map", frozenset((_frozen(k, depth + 1), _frozen(v, depth + 1))
                                 for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(_frozen(v, depth + 1) for v in value))
    if isinstance(value, Cover):
        return ("Cover", _frozen(unstructure(value), depth + 1))
    raise TypeError(type(value).__name__)


def _new_pricer(book: Rulebook, engine: str | Engine, overrides: Mapping[str, Any] | None,
                cover: Cover | Mapping[str, Cover] | None) -> Pricer:
    checked = check_overrides(book, overrides)
    covers: list[tuple[str, Any]] = []
    per_person = _per_person(cover)
    if per_person:
        covers = [(f"cover.{person}", c) for person, c in cover.items()]  # type: ignore[union-attr]
    elif cover is not None:
        covers = [("cover", cover)]
    built: dict[str, Cover] = {}
    problems: list[Problem] = []
    for path, item in covers:
        try:
            built[path] = structure(item, Cover, error=InvalidClaimError, path=path)
        except InvalidClaimError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(cover_problems(built[path], book, path))
    if problems:
        raise InvalidClaimError(problems)
    if per_person:
        chosen: Cover | Mapping[str, Cover] | None = {
            path.removeprefix("cover."): c for path, c in built.items()}
    else:
        chosen = built.get("cover")
    return Pricer(book, get_engine(engine), checked, chosen)


def _per_person(cover: Any) -> bool:
    """Whether ``cover`` maps persons to covers (rather than describing one cover).

    A table with any field of a cover (or an empty one) is one cover, read as
    :func:`ssreg.evaluate` reads a case's cover (a misspelt field is reported as such);
    a table of tables without any such field maps persons to covers.
    """
    if not isinstance(cover, Mapping) or isinstance(cover, Cover) or not cover:
        return False
    from ..model.fields import specs

    fields = {name for name, _ in specs(Cover)}
    return not any(key in fields for key in cover) and all(
        isinstance(value, Cover | Mapping) for value in cover.values())


def check_workers(workers: Any) -> int:
    """The number of processes, or InvalidInputError."""
    if workers is None:
        return 1
    if isinstance(workers, bool) or not isinstance(workers, int) or not (
            1 <= workers <= MAX_WORKERS):
        raise InvalidInputError([Problem("workers", f"expected a whole number from 1 to "
                                                    f"{MAX_WORKERS}, got {excerpt(workers)}")])
    return workers


def check_options(errors: Any, workers: Any) -> int:
    """Check ``errors`` and ``workers`` together; the number of processes."""
    problems = []
    if not isinstance(errors, str) or errors not in ERRORS:
        problems.append(Problem("errors", f"expected one of {', '.join(ERRORS)}, "
                                          f"got {excerpt(errors)}"))
    processes = 1
    try:
        processes = check_workers(workers)
    except InvalidInputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInputError(problems)
    return processes


def pricer_args(rulebook: Rulebook | None, engine: str | Engine,
                overrides: Mapping[str, Any] | None, cover: Any) -> tuple[Any, ...]:
    """What a worker process builds its pricer from (the built-in rulebook by name)."""
    default = rulebook is None or rulebook is default_rulebook()
    return (None if default else rulebook, engine, overrides, cover)
