"""Arguments checked at the door of every public function: one mechanism for all.

A public function declares what each argument accepts with :func:`accepts`, using the
same :class:`~ssreg.model.kinds.Kind` objects as the model fields (or the small kinds
below).  A call with an argument of the wrong type or value, an unknown keyword, a
missing argument or too many positional ones raises
:class:`~ssreg.exceptions.InvalidArgumentError` naming every faulty argument and what it
expects, before any work is done; it is also a ``TypeError`` (and a ``ValueError``), as
Python's own argument errors are.  Arguments left at their default are not checked (the
defaults are valid by construction), so the check costs a dictionary look-up per
argument given.

>>> from ssreg.model.kinds import ChoiceKind
>>> @accepts(lang=ChoiceKind(("en", "fr", "es")), count=Is(lambda v: type(v) is int,
...                                                       "a whole number"))
... def greet(name, *, lang="en", count=1):
...     return f"{name} x{count} ({lang})"
>>> greet("Ana", lang="fr")
'Ana x1 (fr)'
>>> greet("Ana", lang="de", count="2")
Traceback (most recent call last):
...
ssreg.exceptions.InvalidArgumentError: invalid argument: lang: expected one of en, fr, es, ...
>>> greet("Ana", colour="red")
Traceback (most recent call last):
...
ssreg.exceptions.InvalidArgumentError: invalid argument: colour: unknown argument of greet; ...
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

from ..exceptions import InvalidArgumentError, Problem
from .kinds import DateKind, Found, Kind, _expected
from .limits import MAX_PROBLEMS, excerpt


P = ParamSpec("P")
R = TypeVar("R")
MAX_PATH_LENGTH = 4_096
"""Longest file path accepted (Linux's PATH_MAX)."""


class Is(Kind):
    """A value for which ``test`` holds; otherwise "expected ``what``, got ...".

    A test that raises (a user's object with a broken ``__eq__``...) counts as failed.
    """

    def __init__(self, test: Callable[[Any], bool], what: str) -> None:
        self.test = test
        self.description = what

    def ok(self, value: Any) -> bool:
        """Whether the value is accepted (cheap: no message is written)."""
        try:
            return bool(self.test(value))
        except Exception:  # a value that breaks the test is not accepted
            return False

    def check(self, value: Any) -> Found:
        return [] if self.ok(value) else _expected(self.description, value)

    def __or__(self, other: Kind) -> Either:
        return Either(self, other)


class Either(Kind):
    """A value accepted by any of ``kinds`` (the message lists what each expects)."""

    def __init__(self, *kinds: Kind) -> None:
        self.kinds = kinds
        self.description = " or ".join(k.description for k in kinds)

    def ok(self, value: Any) -> bool:
        """Whether any of the kinds accepts the value (no message is written)."""
        for kind in self.kinds:  # noqa: SIM110 - a loop: no generator on the hot path
            if kind.ok(value):
                return True
        return False

    def check(self, value: Any) -> Found:
        return [] if self.ok(value) else _expected(self.description, value)

    def __or__(self, other: Kind) -> Either:
        return Either(*self.kinds, other)


def instance(cls: type | tuple[type, ...], what: str) -> Is:
    """An instance of ``cls`` (``bool`` is never taken for an ``int``)."""
    def test(value: Any) -> bool:
        return isinstance(value, cls) and not (isinstance(value, bool) and cls in (int, float))
    return Is(test, what)


NONE = Is(lambda value: value is None, "None")
TABLE = Is(lambda value: type(value) is dict or isinstance(value, Mapping), "a table (a dict)")
TEXT = instance(str, "a text (a str)")
FLAG = Is(lambda value: isinstance(value, bool), "True or False")
DAY = Is(lambda value: isinstance(value, date) and not isinstance(value, datetime),
         "a date (datetime.date)")
ISO_DAY = Is(lambda value: isinstance(value, str) and len(value.strip()) == 10 and DAY.ok(
    DateKind().convert(value.strip())), "a date as a text YYYY-MM-DD")


def _is_path(value: Any) -> bool:
    if isinstance(value, os.PathLike):
        try:
            value = os.fspath(value)
        except Exception:  # a broken __fspath__ of a user's object
            return False
    return (isinstance(value, str) and 0 < len(value) <= MAX_PATH_LENGTH
            and "\x00" not in value)


PATH = Is(_is_path, f"a file path (a str or a pathlib.Path, at most {MAX_PATH_LENGTH} "
                    "characters)")


def _is_iterable(value: Any) -> bool:
    if isinstance(value, str | bytes | bytearray | Mapping):
        return False
    kind = type(value)  # not iter(value): it would start a one-pass stream
    return callable(getattr(kind, "__iter__", None)) or callable(
        getattr(kind, "__getitem__", None))


def iterable(what: str) -> Is:
    """A collection or an iterator of items (a text or a single table is refused: it
    is one item, not a list of them)."""
    return Is(_is_iterable, what)


def between(low: int, high: int, what: str = "a whole number") -> Is:
    """An ``int`` (not a ``bool``) from ``low`` to ``high``."""
    return Is(lambda v: type(v) is int and low <= v <= high, f"{what} from {low} to {high}")


def one_of(values: Iterable[str]) -> Is:
    """One of some texts."""
    allowed = tuple(values)
    return Is(lambda v: isinstance(v, str) and v in allowed,
              "one of " + ", ".join(repr(v) for v in allowed))


def items(values: Iterable[Any], kind: Kind, name: str) -> Iterator[Any]:
    """The items of an iterable argument, each checked by ``kind`` as it comes.

    For arguments read once (iterators, batches): a bad item raises
    :class:`~ssreg.exceptions.InvalidArgumentError` naming ``name[index]``.
    """
    for index, value in enumerate(values):
        found = kind.check(value)
        if found:
            raise InvalidArgumentError([Problem(f"{name}[{index}]{sub}", message)
                                        for sub, message in found])
        yield value


def accepts(**kinds: Kind) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Check the named arguments of the decorated function with their kinds.

    The function's signature also gives the names known, the ones required and how
    many may be given by position; a variable positional argument (``*paths``) has its
    items checked one by one (``paths[1]``).
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        door = _Door(function, kinds)

        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            door.check(args, kwargs)
            return function(*args, **kwargs)

        checked.__ssreg_door__ = door  # type: ignore[attr-defined]
        return checked

    return decorate


def declares(**kinds: Kind) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Like :func:`accepts`, for a function called in hot loops: the kinds are declared
    (and read by :func:`accepted`) but checked only when the function itself finds a
    wrong argument and calls :func:`refuse`, so a right call costs nothing more."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        function.__ssreg_door__ = _Door(function, kinds)  # type: ignore[attr-defined]
        return function

    return decorate


def refuse(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Raise InvalidArgumentError for a wrong call of a function declared with
    :func:`declares` (nothing when its declared kinds accept the call)."""
    door: _Door = getattr(function, "__ssreg_door__")  # noqa: B009 - set by declares
    door.check(args, kwargs)


class _Door:
    """What one function accepts, read once from its signature."""

    def __init__(self, function: Callable[..., Any], kinds: Mapping[str, Kind]) -> None:
        signature = inspect.signature(function)
        self.name = function.__name__
        self.kinds = dict(kinds)
        params = list(signature.parameters.values())
        kind_of = inspect.Parameter
        self.positional = tuple(p.name for p in params if p.kind in (
            kind_of.POSITIONAL_ONLY, kind_of.POSITIONAL_OR_KEYWORD))
        self.star = next((p.name for p in params if p.kind == kind_of.VAR_POSITIONAL), None)
        self.keywords = frozenset(p.name for p in params if p.kind in (
            kind_of.POSITIONAL_OR_KEYWORD, kind_of.KEYWORD_ONLY))
        self.any_keyword = any(p.kind == kind_of.VAR_KEYWORD for p in params)
        self.required = tuple(p.name for p in params if p.default is p.empty and p.kind in (
            kind_of.POSITIONAL_ONLY, kind_of.POSITIONAL_OR_KEYWORD, kind_of.KEYWORD_ONLY))
        self.count = len(self.positional)
        self.place = {name: i for i, name in enumerate(self.positional)}
        self.required_positional = tuple(n for n in self.required if n in self.place)
        self.required_keywords = tuple(n for n in self.required if n not in self.place)
        unknown = set(self.kinds) - {p.name for p in params}
        if unknown:  # a mistake in the declaration, found when the module is imported
            raise AssertionError(f"{self.name}: no argument named {sorted(unknown)}")

    def check(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        """Nothing when the call is right; else InvalidArgumentError with every problem."""
        if not self._right(args, kwargs):
            self._refuse(args, kwargs)

    def _right(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> bool:
        """The fast answer for a right call: no message is written."""
        count = len(args)
        kinds = self.kinds
        if count > self.count:
            if self.star is None:
                return False
            kind = kinds.get(self.star)
            if kind is not None and not all(kind.ok(v) for v in args[self.count:]):
                return False
        for name, value in zip(self.positional, args, strict=False):
            kind = kinds.get(name)
            if kind is not None and not kind.ok(value):
                return False
        for name, value in kwargs.items():
            kind = kinds.get(name)
            if kind is not None:
                if not kind.ok(value):
                    return False
            elif name not in self.keywords and not self.any_keyword:
                return False
            if count and self.place.get(name, count) < count:
                return False  # given twice
        for name in self.required_positional[count:]:
            if name not in kwargs:
                return False
        for name in self.required_keywords:  # noqa: SIM110 - as above
            if name not in kwargs:
                return False
        return True

    def _refuse(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        problems: list[Problem] = []
        kinds = self.kinds
        count = len(self.positional)
        for name, value in zip(self.positional, args, strict=False):
            kind = kinds.get(name)
            if kind is not None:
                problems.extend(_located(name, kind.check(value)))
        if len(args) > count:
            if self.star is None:
                problems.append(Problem("(arguments)", f"{self.name} takes at most {count} "
                                        f"positional arguments, got {len(args)}; give the "
                                        "others by name"))
            elif self.star in kinds:
                kind = kinds[self.star]
                for index, value in enumerate(args[count:]):
                    problems.extend(_located(f"{self.star}[{index}]", kind.check(value)))
        for name, value in kwargs.items():
            kind = kinds.get(name)
            if kind is not None:
                problems.extend(_located(name, kind.check(value)))
            elif name not in self.keywords and not self.any_keyword:
                problems.append(Problem(name if 0 < len(name) <= 60 else excerpt(name),
                                        f"unknown argument of {self.name}; known: "
                                        f"{', '.join(sorted(self.keywords)) or 'none'}"))
            if self.place.get(name, len(args)) < len(args):
                problems.append(Problem(name, "given twice (by position and by name)"))
        for name in self.required:
            if name not in kwargs and name not in self.positional[:len(args)]:
                problems.append(Problem(name, f"required argument of {self.name} missing"))
        if problems:
            raise InvalidArgumentError(problems[:MAX_PROBLEMS])


def _located(name: str, found: Found) -> list[Problem]:
    return [Problem(name + sub, message) for sub, message in found]


def accepted(function: Callable[..., Any]) -> Mapping[str, Kind]:
    """The kinds a function declared with :func:`accepts` (empty: none declared)."""
    door = getattr(function, "__ssreg_door__", None)
    return door.kinds if door is not None else {}


def check_call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Check arguments meant for ``function`` (declared with :func:`accepts`) now,
    without calling it: for arguments passed on to be used later (a Dask task)."""
    door: _Door | None = getattr(function, "__ssreg_door__", None)
    if door is not None:
        door.check(args, kwargs)
