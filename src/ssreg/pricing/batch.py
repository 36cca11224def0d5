"""Pricing one claim or a batch: exactly one result per claim, in input order.

Caps apply per person in date-of-care order; claims of one person on the same day are
taken in input order (the tie rule).  A batch is either read whole and priced person by
person (the default), or streamed when each person's claims already come in date order
(``presorted=True``).  With ``errors="collect"`` a refused claim becomes a
:class:`~ssreg.ClaimError` in its place and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from ..engines.engine import ENGINE, Engine
from ..exceptions import InvalidClaimError, InvalidInputError, Problem, SsregError, described
from ..model.arguments import FLAG, NONE, TABLE, accepts, between, iterable, one_of
from ..model.models import CLAIM, COVER, Claim, Cover
from ..model.structure import structure
from ..model.text import text_problem
from ..rulebook.inputs import claim_problems
from ..rulebook.rulebook import OPTIONAL_RULEBOOK, Rulebook
from .packed import Packed, Results, person_groups
from .pricer import PersonState, Pricer, out_of_order
from .results import ClaimError, ClaimResult
from .settings import (
    ERRORS,
    MAX_WORKERS,
    check_options,
    check_workers,
    make_pricer,
    pricer_args,
)


__all__ = ["ERRORS", "MAX_WORKERS", "Batch", "BatchConsumed", "as_claim", "check_options",
           "check_workers", "make_pricer", "price_claim", "price_claims", "pricer_args"]


CLAIMS = iterable("claims as a list or an iterator of claims (dicts or Claims)")
WORKERS = NONE | between(1, MAX_WORKERS)
PRICING = {"cover": COVER, "rulebook": OPTIONAL_RULEBOOK, "engine": ENGINE,
           "overrides": NONE | TABLE}
"""What the pricing functions accept, beside the claims."""


class BatchConsumed(SsregError, RuntimeError):
    """A priced batch was iterated a second time (it is a one-pass stream)."""


def _problems(exc: SsregError, path: str) -> tuple[Problem, ...]:
    if isinstance(exc, InvalidInputError):
        return exc.problems
    return (Problem(path, described(exc)),)


def as_claim(item: Any, index: int, pricer: Pricer) -> Claim:
    """A checked claim (model, codes of the rulebook, an age), or InvalidClaimError."""
    if isinstance(item, Claim):
        claim = item
    else:
        claim = structure(item, Claim, error=InvalidClaimError, path=f"claims[{index}]")
    problems = claim_problems(claim, pricer.book, f"claims[{index}]")
    if claim.age is None and claim.birth_date is None:
        problems.append(Problem(f"claims[{index}].age", "required: the age on the date of "
                                "care (or birth_date); in a case, the student's claims take "
                                "it from the student"))
    if problems:
        raise InvalidClaimError(problems)
    return claim


@accepts(claim=CLAIM, **PRICING)
def price_claim(claim: Claim | Mapping[str, Any], *,
                cover: Cover | Mapping[str, Any] | None = None,
                rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                overrides: Mapping[str, Any] | None = None) -> ClaimResult:
    """Price one claim on its own (no earlier claims count towards the caps).

    >>> import ssreg
    >>> r = ssreg.price_claim({"care": "gp_consultation", "date": "2025-03-10",
    ...                        "billed": "30", "age": 22, "referent_doctor_declared": True})
    >>> r.amo_gross, r.deduction, r.amo, r.patient
    (Decimal('21.00'), Decimal('2.00'), Decimal('19.00'), Decimal('11.00'))
    """
    pricer = make_pricer(rulebook, engine, overrides, cover)
    return pricer.price(0, as_claim(claim, 0, pricer), PersonState())


class Batch:
    """The priced claims of a batch, produced once, in input order.

    Iterate it (or pass it to :func:`ssreg.summarize`, :func:`ssreg.rows`...) once: a
    second pass raises :class:`BatchConsumed` instead of silently giving nothing; keep
    ``list(batch)`` to reuse the results.
    """

    def __init__(self, results: Iterator[ClaimResult | ClaimError]) -> None:
        self._results = results
        self._done = False
        self._started = False

    def __iter__(self) -> Batch:
        if self._done:
            raise BatchConsumed("this batch of priced claims was already consumed; keep "
                                "list(ssreg.price_claims(...)) to use the results twice")
        self._started = True
        return self

    def __next__(self) -> ClaimResult | ClaimError:
        try:
            return next(self._results)
        except StopIteration:
            self._done = True
            raise


@accepts(claims=CLAIMS, presorted=FLAG, errors=one_of(ERRORS), workers=WORKERS, **PRICING)
def price_claims(claims: Iterable[Claim | Mapping[str, Any]], *,
                 cover: Cover | Mapping[str, Any] | None = None,
                 rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                 overrides: Mapping[str, Any] | None = None, presorted: bool = False,
                 errors: str = "raise", workers: int | None = None) -> Batch:
    """Price a batch: exactly one result per claim, in input order.

    Caps apply per person in date-of-care order (ties: input order).  ``cover`` is one
    contract for everybody or a mapping ``person -> Cover``.  By default the claims are
    read first and priced person by person.  With ``presorted=True`` the claims of each
    person must come in date order (persons may be interleaved): the batch then streams
    with memory bounded by the number of persons.

    ``errors="raise"`` (default) stops at the first refused claim with
    :class:`~ssreg.InvalidClaimError`; ``errors="collect"`` yields a
    :class:`~ssreg.ClaimError` (position, id, problems) in its place and goes on.

    ``workers=N`` prices on N processes, the claims partitioned by person (the caps stay
    exact; the results equal the one-process results claim for claim); the batch is
    then read whole whatever ``presorted`` says.  See :mod:`ssreg.pricing.spread`.

    ``claims`` may also be a pandas DataFrame (columns named like the fields of
    :class:`~ssreg.Claim`): it is then read and priced by columns, as
    :func:`ssreg.price_frame` does, and the results are the same objects.
    """
    processes = check_options(errors, workers)
    pricer = make_pricer(rulebook, engine, overrides, cover)
    collect = errors == "collect"
    from .at_once import frame_batch, is_frame, spread_batch

    if is_frame(claims):
        return Batch(frame_batch(pricer, claims, collect, presorted, processes,
                            pricer_args(rulebook, engine, overrides, cover)))
    if processes > 1:
        spawn_args = pricer_args(rulebook, engine, overrides, cover)
        if columnar_workers():
            return Batch(spread_batch(pricer, claims, collect, processes, spawn_args))
        return Batch(_by_person(pricer, claims, collect, processes, spawn_args))
    if presorted:
        return Batch(_stream(pricer, claims, collect))
    return Batch(_by_person(pricer, claims, collect))


#: price ``workers=N`` batches by columns in the workers (when numpy is installed)
COLUMNAR_WORKERS = True


def columnar_workers() -> bool:
    import importlib.util

    return COLUMNAR_WORKERS and importlib.util.find_spec("numpy") is not None


def _error(index: int, item: Any, exc: SsregError) -> ClaimError:
    if isinstance(item, Mapping):
        ident, person = item.get("id"), item.get("person")
    else:  # a checked claim (or its packed record) refused while pricing
        ident, person = getattr(item, "id", None), getattr(item, "person", None)
    return ClaimError(position=index, id=_kept(ident, 200), person=_kept(person, 64),
                      problems=_problems(exc, f"claims[{index}]"))


def _kept(text: Any, limit: int) -> str | None:
    """A refused claim's id or person, when it is text that can be written back."""
    return text if isinstance(text, str) and not text_problem(text, limit) else None


def _stream(pricer: Pricer, claims: Iterable[Any], collect: bool) -> Iterator[
        ClaimResult | ClaimError]:
    states: dict[str, PersonState] = {}
    for index, item in enumerate(claims):
        try:
            claim = as_claim(item, index, pricer)
            state = states.get(claim.person)
            if state is None:
                state = states[claim.person] = PersonState()
            elif state.day is not None and claim.date < state.day:
                raise InvalidClaimError([out_of_order(index, claim.date, claim.person,
                                                      state.day)])
            yield pricer.price(index, claim, state)
        except SsregError as exc:
            if not collect:
                raise
            yield _error(index, item, exc)


def _by_person(pricer: Pricer, claims: Iterable[Any], collect: bool, workers: int = 1,
               spawn_args: tuple[Any, ...] = ()) -> Iterator[ClaimResult | ClaimError]:
    """Read the batch whole, price each person's claims in date order, yield in order.

    Claims the caller already holds (a sequence of ``Claim``) are used in place; any
    other batch is read into packed records.  When each person's claims came in date
    order they are priced as they came; otherwise person by person, the results kept as
    packed records until they are yielded in input order.
    """
    held: Sequence[Claim] | None = None
    if isinstance(claims, Sequence) and all(isinstance(c, Claim) for c in claims):
        held = claims
    refused: dict[int, ClaimError] = {}
    if held is not None:
        in_order, count = _check_held(pricer, held, refused, collect), len(held)
        get: Callable[[int], Any] = held.__getitem__
    else:
        packed = Packed()
        for index, item in enumerate(claims):
            try:
                packed.add(as_claim(item, index, pricer))
            except SsregError as exc:
                if not collect:
                    raise
                refused[index] = _error(index, item, exc)
                packed.add_empty()
        in_order, count, get = packed.in_order, packed.count, packed.claim
    if workers > 1:
        person = packed.person if held is None else (lambda position: held[position].person)
        from .pipeline import price_pipelined
        from .processes import price_in_processes

        parallel = price_pipelined if in_order else price_in_processes
        yield from parallel(pricer, count, get, person, refused, collect, workers,
                            spawn_args)
        return
    if in_order:  # each person's claims came in date order: price them as they came
        states: dict[str, PersonState] = {}
        for position in range(count):
            error = refused.pop(position, None)
            if error is not None:
                yield error
                continue
            claim = get(position)
            state = states.get(claim.person)
            if state is None:
                state = states[claim.person] = PersonState()
            try:
                yield pricer.price(position, claim, state)
            except SsregError as exc:
                if not collect:
                    raise
                yield _error(position, claim, exc)
        return
    groups = (packed.by_person(refused) if held is None
              else _held_groups(held, refused))
    results = Results(count)
    for group in groups:
        state = PersonState()
        for position in group:
            claim = get(position)
            try:
                results.store(position, pricer.price(position, claim, state))
            except SsregError as exc:
                if not collect:
                    raise
                refused[position] = _error(position, claim, exc)
    for position in range(count):
        error = refused.pop(position, None)
        yield error if error is not None else results.result(position, get(position))


def _check_held(pricer: Pricer, claims: Sequence[Claim], refused: dict[int, ClaimError],
                collect: bool) -> bool:
    """Check every claim (refused ones noted); whether each person's came in date order."""
    last: dict[str, date] = {}
    in_order = True
    for index, claim in enumerate(claims):
        try:
            as_claim(claim, index, pricer)
        except SsregError as exc:
            if not collect:
                raise
            refused[index] = _error(index, claim, exc)
            continue
        if in_order:
            before = last.get(claim.person)
            if before is not None and claim.date < before:
                in_order = False
            last[claim.person] = claim.date
    return in_order


def _held_groups(claims: Sequence[Claim], refused: Container[int]) -> Iterator[list[int]]:
    numbers: dict[str, int] = {}
    for claim in claims:
        numbers.setdefault(claim.person, len(numbers))
    first = min((c.date for c in claims), default=date.max).toordinal()
    keys = ((numbers[c.person], c.date.toordinal(), i) for i, c in enumerate(claims)
            if i not in refused)
    return person_groups(keys, first)
