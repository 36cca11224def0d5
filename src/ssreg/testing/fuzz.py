"""Fuzzing entry points: junk and one-field mutations of good inputs, with an account.

A :class:`Door` is an entry point: a name, a function of one input, the inputs to try
(a hypothesis strategy, typically :func:`inputs` of some good examples) and an optional
invariant checked on what the function returns.  :class:`Doors` is a registry of them, so
an entry point added later is fuzzed by adding one line::

    DOORS.add("evaluate", lambda case: ssreg.evaluate(case, on="2026-09-15"),
              inputs(EXAMPLE_CASES), check=decision_is_consistent)

Each input ends in one of five outcomes, counted by :func:`campaign`:

- ``accepted``: the function returned and the invariant held;
- ``ssreg error``: an :class:`~ssreg.SsregError` whose message is short and writable and
  whose problems (if any) each name a field;
- ``other``: any other exception (a bug: an escape);
- ``hang``: the call took longer than the limit (2 s by default);
- ``invariant``: the function returned but the invariant failed (or the ssreg error
  was malformed).

>>> from hypothesis import strategies as st
>>> door = Door("int", int, st.sampled_from(["12", "x", None]))
>>> tally = campaign(door, 30)
>>> sorted(tally.counts)
['accepted', 'other']
>>> sorted((f.kind, f.error) for f in tally.failures)
[('other', 'TypeError'), ('other', 'ValueError')]
"""

from __future__ import annotations

import copy
import reprlib
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ..exceptions import InvalidInputError, SsregError
from ..model.limits import excerpt


OUTCOMES = ("accepted", "ssreg error", "other", "hang", "invariant")
HANG_SECONDS = 2.0
"""A call slower than this counts as a hang."""
STOP_SECONDS = 30.0
"""A call still running after this is interrupted (where signals allow) and counted."""

# ------------------------------------------------------------------------------ inputs

#: texts that broke or nearly broke ssreg once: non-ASCII digits, lone surrogates,
#: control characters, numbers in disguise, the ends of the calendar
TRICKY_TEXTS = (
    "NaN", "Infinity", "-0", "1e999", "0x10", "1_000", "٣", "³", "٣19032B00100102",
    "³46012B00100108", "２０２６-０９-０１", "2026-02-30", "9999-12-31", "0001-01-01",
    "0027-12-30", "2262-04-12", "2263-01-01", "20260901", "2026-2027", "0027-0028",
    "9998-9999", "UK", "EU", "ZZ", "GB", "fr", "", " ", "\x00", "\udc80", "a\ud800b",
    "\u202e", "\r\n", "é" * 3, "gynecology", "specialist_consultaton", "SE401-Q-106",
    "true", "295109912611193", "2A", "FR7630006000011234567890189",
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.sampled_from([5000, 4400, 400]).map(lambda n: 10 ** n),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.text(st.characters(categories=["Cs", "Cc", "Nd", "No", "Zs"]), max_size=8),
    st.text(max_size=5).map(lambda t: t * 20_000),
    st.sampled_from(TRICKY_TEXTS),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(), st.sampled_from([date.min, date.max]), st.datetimes(), st.binary(max_size=8),
)
"""Single values of every kind a JSON document, a form or a Python caller can send."""

junk = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=12) | st.sampled_from(TRICKY_TEXTS) | st.integers() | st.none(),
    inner, max_size=4), max_leaves=12)
"""Any plain data, nested."""


class Nested(list[Any]):
    """A list nested deep, shown short (printing it whole would recurse too deeply)."""

    def __repr__(self) -> str:
        return f"nested({self.depth})"

    depth = 0


def nested(depth: int) -> list[Any]:
    """A list nested ``depth`` deep (built without recursion).

    >>> nested(3), nested(3) == [[[[]]]]
    (nested(3), True)
    """
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    outer = Nested([value] if depth else [])
    outer.depth = depth
    return outer


deep = st.sampled_from([50, 1_000, 100_000]).map(nested)
"""Lists nested deeper than any parser or checker should follow."""


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value of a nested structure of dicts and lists."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*prefix, i))


@st.composite
def mutation(draw: st.DrawFn, example: Any) -> Any:
    """A copy of ``example`` with one field replaced by junk (or a key removed)."""
    document = copy.deepcopy(example)
    every = list(paths(document))[1:]
    if not every:
        return draw(junk)
    path = draw(st.sampled_from(every))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(junk | deep)
    return document


def inputs(examples: list[Any] | tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """Broad junk, one-field mutations of the good ``examples``, and the good examples
    themselves (so that the invariants of accepted answers are checked too)."""
    good = st.sampled_from(list(examples))
    return weighted((3, good), (4, good.flatmap(mutation)), (2, junk), (1, deep))


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each drawn about as often as its weight says (``one_of``
    lets the search drift towards the simplest branch)."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).flatmap(table.__getitem__)


# ------------------------------------------------------------------------------ doors


@attrs.frozen
class Door:
    """An entry point: ``call(input)``, the ``inputs`` to try, an invariant ``check`` on
    the result (raises ``AssertionError`` when broken), ``examples``, a cap on the inputs
    of a campaign for a slow door (None: no cap), ``hang``, the seconds after which a
    call of this door counts as a hang when its normal work takes longer than the
    campaign's limit (writing a whole site; None: the campaign's limit), and ``warm``,
    called once before the clock runs (importing matplotlib is not the door's time)."""

    name: str
    call: Callable[[Any], Any]
    inputs: st.SearchStrategy[Any]
    check: Callable[[Any, Any], None] | None = None
    examples: int | None = None
    hang: float | None = None
    warm: Callable[[], Any] | None = None


class Doors:
    """A registry of doors, in the order they were added."""

    def __init__(self) -> None:
        self._doors: dict[str, Door] = {}

    def add(self, name: str, call: Callable[[Any], Any], inputs: st.SearchStrategy[Any],
            check: Callable[[Any, Any], None] | None = None, *,
            examples: int | None = None, hang: float | None = None,
            warm: Callable[[], Any] | None = None) -> Door:
        if name in self._doors:
            raise ValueError(f"door {name!r} registered twice")
        door = self._doors[name] = Door(name, call, inputs, check, examples, hang, warm)
        return door

    def __iter__(self) -> Iterator[Door]:
        return iter(self._doors.values())

    def __getitem__(self, name: str) -> Door:
        return self._doors[name]

    def __len__(self) -> int:
        return len(self._doors)

    def names(self) -> list[str]:
        return list(self._doors)


# ------------------------------------------------------------------------------ outcomes


class Hang(BaseException):
    """Raised in a call that ran past :data:`STOP_SECONDS`."""


@attrs.frozen
class Outcome:
    """What one input did: its kind (one of :data:`OUTCOMES`), how long it took, the
    exception's type, where it was raised, a short detail and, for a failure, the input
    shown at more length (to reproduce it)."""

    kind: str
    seconds: float
    error: str = ""
    where: str = ""
    detail: str = ""
    value: str = ""


_long = reprlib.Repr()
_long.maxstring = _long.maxother = 300
_long.maxlist = _long.maxtuple = _long.maxdict = _long.maxset = 12
_long.maxlevel = 8


def shown(value: Any) -> str:
    """A reproducible-looking ``repr`` of an input, bounded (never raises)."""
    try:
        text = _long.repr(value)
    except Exception:  # a broken repr, a huge integer
        text = excerpt(value)
    return text[:4_000]


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/ssreg/" in f.filename and "/testing/fuzz" not in
              f.filename] or frames
    last = inside[-1] if inside else None
    return f"{last.filename.split('/ssreg/')[-1]}:{last.lineno}" if last else ""


def ssreg_error_problem(exc: SsregError) -> str:
    """What is wrong with an ssreg error as a message to a person ("" when nothing)."""
    message = str(exc)
    if not message or len(message) > 6_000:  # a problem's message, and its path
        return f"message of {len(message)} characters"
    try:
        message.encode("utf-8")
    except UnicodeEncodeError:
        return "message cannot be written as UTF-8"
    if isinstance(exc, InvalidInputError):
        if not exc.problems or not all(p.path and p.message for p in exc.problems):
            return "a problem without a path or a message"
        if len(exc.details()) > 200_000:
            return "details too long"
    return ""


def classify(door: Door, value: Any, hang: float = HANG_SECONDS) -> Outcome:
    """Run the door on one input and say what happened."""
    hang = max(hang, door.hang or 0)
    alarm = _Alarm(max(STOP_SECONDS, 3 * hang))
    start = time.perf_counter()
    try:
        with alarm:
            result = door.call(value)
            if door.check is not None:
                door.check(value, result)
    except Hang:
        return Outcome("hang", time.perf_counter() - start, "Hang", detail=excerpt(value),
                       value=shown(value))
    except AssertionError as exc:
        return Outcome("invariant", time.perf_counter() - start, "AssertionError",
                       _where(exc), f"{str(exc)[:300]} for {excerpt(value)}", shown(value))
    except SsregError as exc:
        seconds = time.perf_counter() - start
        problem = ssreg_error_problem(exc)
        if problem:
            return Outcome("invariant", seconds, type(exc).__name__, _where(exc),
                           f"{problem} for {excerpt(value)}", shown(value))
        if seconds > hang:
            return Outcome("hang", seconds, type(exc).__name__, detail=excerpt(value),
                           value=shown(value))
        return Outcome("ssreg error", seconds, type(exc).__name__)
    except Exception as exc:  # counting escapes is the point
        return Outcome("other", time.perf_counter() - start, type(exc).__name__, _where(exc),
                       f"{excerpt(str(exc))} for {excerpt(value)}", shown(value))
    seconds = time.perf_counter() - start
    if seconds > hang:
        return Outcome("hang", seconds, detail=excerpt(value), value=shown(value))
    return Outcome("accepted", seconds)


class _Alarm:
    """Interrupts the call after ``seconds`` (main thread, POSIX only)."""

    def __init__(self, seconds: float = STOP_SECONDS) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        self.armed = (threading.current_thread() is threading.main_thread()
                      and hasattr(signal, "setitimer"))
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._ring)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _ring(signum: int, frame: Any) -> None:
        raise Hang


@attrs.define
class Tally:
    """The account of a campaign on one door: counts per outcome, the first example of
    each distinct failure, the slowest call."""

    door: str
    counts: dict[str, int] = attrs.Factory(dict)
    failures: list[Outcome] = attrs.Factory(list)
    slowest: float = 0.0
    seconds: float = 0.0
    _seen: set[tuple[str, str, str]] = attrs.Factory(set)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.kind] = self.counts.get(outcome.kind, 0) + 1
        self.slowest = max(self.slowest, outcome.seconds)
        self.seconds += outcome.seconds
        key = (outcome.kind, outcome.error, outcome.where)
        if outcome.kind not in ("accepted", "ssreg error") and key not in self._seen:
            self._seen.add(key)
            self.failures.append(outcome)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return not any(self.counts.get(k) for k in ("other", "hang", "invariant"))

    def to_dict(self) -> dict[str, Any]:
        return {"door": self.door, "inputs": self.total,
                **{kind: self.counts.get(kind, 0) for kind in OUTCOMES},
                "slowest_seconds": round(self.slowest, 3),
                "seconds": round(self.seconds, 1),
                "failures": [attrs.asdict(f) for f in self.failures]}


def campaign(door: Door, examples: int, *, hang: float = HANG_SECONDS,
             seed: int | None = 0) -> Tally:
    """Draw ``examples`` inputs for ``door`` (capped by the door's own ``examples``), run
    each and count the outcomes.  Never raises for what the door does."""
    tally = Tally(door.name)
    budget = min(examples, door.examples) if door.examples else examples
    if door.warm is not None:
        door.warm()

    @settings(max_examples=budget, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(door.inputs)
    def run(value: Any) -> None:
        tally.add(classify(door, value, hang))

    (run if seed is None else hypothesis_seed(seed)(run))()
    return tally


def amounts_are_exact(result: Any) -> None:
    """The money invariants of a priced claim (an ``AssertionError`` when broken)."""
    assert result.amo + result.top_up + result.patient == result.billed, "not conserved"
    for name in ("billed", "amo", "top_up", "patient", "deduction", "flat_charge"):
        value = getattr(result, name)
        assert isinstance(value, Decimal), name
        assert value >= 0, name
        assert str(value) != "-0.00", name


__all__ = ["Door", "Doors", "Outcome", "Tally", "amounts_are_exact", "campaign", "classify",
           "deep", "inputs", "junk", "mutation", "nested", "scalars", "weighted"]
