"""A dossier's state from its history, each event read once.

A dossier's state on a date is a pure function of the events dated on or before it; it
is never stored in the dossier (nor in its JSON).  Reading the whole history again for
every new event would make a dossier built event by event cost the square of its
length.  So the state after a dossier's last event is *remembered* for that dossier
object (by the rulebook, like its other caches: bounded, dropped with the dossier), and
the state after one more event is computed from it (:meth:`Replay.then`).

Documents change status as events come; a :class:`~ssreg.Document` with its new status
is built (and checked) only when the state is read, once per kind of document.

>>> import ssreg
>>> from datetime import date
>>> d = ssreg.Dossier(case={"student": {"birth_date": "2004-03-01", "nationality": "BR",
...     "country_of_birth": "BR", "address_in_france": "Paris"}},
...     events=[{"type": "account_created", "date": "2026-08-25"}])
>>> state = replay(ssreg.default_rulebook(), d, date(2026, 9, 1))
>>> state.history["account_created"], len(state.events)
(True, 1)
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from ..fr import nir
from ..model.dossier import Dossier, Event, apply_changes, as_events, held_events
from ..model.models import Case, Document
from ..rulebook.rulebook import Rulebook


#: dossiers whose last state is remembered, per rulebook (then the memo starts again)
REMEMBERED = 10_000
_KEEP = object()  # a document's rejection reason as it came


@attrs.frozen
class DossierState:
    """What the history says on a date."""

    case: Case
    documents: tuple[Document, ...]
    history: Mapping[str, Any]
    number: str | None
    number_status: str
    number_date: date | None
    #: the events read: a tuple, or a dossier's events as held, read only when asked for
    #: (applying an event never reads them)
    source: Any

    @property
    def events(self) -> tuple[Event, ...]:
        """The events read, oldest first."""
        return as_events(self.source)


class Replay:
    """The state after some events; :meth:`then` gives the state after one more."""

    __slots__ = ("_state", "book", "case", "documents", "history", "number", "number_date",
                 "status")

    def __init__(self, book: Rulebook, case: Case) -> None:
        self.book = book
        self.case = case
        self.history: dict[str, Any] = {
            name: False if spec.type == "bool" else 0 if spec.type == "int" else None
            for name, spec in book.facts.items() if spec.kind == "history"}
        #: kind -> (the document as given, its status, its rejection reason or _KEEP)
        self.documents: dict[str, tuple[Document, str, Any]] = {}
        self.number: str | None = None
        self.status = "none"
        self.number_date: date | None = None
        self._state: DossierState | None = None

    def copy(self) -> Replay:
        other = Replay.__new__(Replay)
        other.book, other.case, other.number = self.book, self.case, self.number
        other.history, other.documents = dict(self.history), dict(self.documents)
        other.status, other.number_date, other._state = self.status, self.number_date, None
        return other

    def read(self, events: Iterable[Event]) -> Replay:
        """Read events in order (this replay changes; returned for chaining)."""
        specs = self.book.events
        for event in events:
            spec = specs.get(event.type)
            if spec is None:
                continue
            if spec.sets:
                self.history.update(spec.sets)
            if spec.document:
                kind = event.document_kind
                if kind is not None:
                    if event.document is not None:
                        self.documents[kind] = (event.document, spec.document, _KEEP)
                    elif kind in self.documents:
                        given = self.documents[kind][0]
                        self.documents[kind] = (given, spec.document, event.reason)
            if spec.number and event.number is not None:
                self.number = nir.compact(event.number)
                self.status, self.number_date = spec.number, event.date
            if spec.changes_case and event.changes:
                self.case = apply_changes(self.case, event.changes)
        self._state = None
        return self

    def then(self, event: Event) -> Replay:
        """The replay after one more event (this one is unchanged)."""
        return self.copy().read((event,))

    def state(self, source: Any) -> DossierState:
        """The state, with ``source`` the events read, or as held by their dossier
        (:func:`~ssreg.model.dossier.held_events`; built once)."""
        if self._state is None or self._state.source is not source:
            documents = {kind: _document(*found) for kind, found in self.documents.items()}
            held = tuple(d for d in self.case.documents if d.kind not in documents)
            self._state = DossierState(
                case=self.case, documents=held + tuple(documents.values()),
                history=dict(self.history), number=self.number, number_status=self.status,
                number_date=self.number_date, source=source)
        return self._state


def _document(given: Document, status: str, reason: Any) -> Document:
    if reason is _KEEP:
        return attrs.evolve(given, status=status)
    return attrs.evolve(given, status=status, rejection_reason=reason)


def last_replay(book: Rulebook, dossier: Dossier) -> Replay:
    """The replay of the whole history of ``dossier`` (remembered for that object)."""
    memo: dict[int, tuple[Any, Replay]] = book.memo().setdefault("replays", {})
    found = memo.get(id(dossier))
    if found is not None and found[0]() is dossier:
        return found[1]
    return remember(book, dossier, Replay(book, dossier.case).read(dossier.events))


def remember(book: Rulebook, dossier: Dossier, replay_: Replay) -> Replay:
    """Keep the replay of a dossier's whole history until the dossier is dropped."""
    memo: dict[int, tuple[Any, Replay]] = book.memo().setdefault("replays", {})
    if len(memo) >= REMEMBERED:
        memo.clear()
    key = id(dossier)

    def forget(_: Any) -> None:  # the dossier is gone: so is its state
        memo.pop(key, None)

    memo[key] = (weakref.ref(dossier, forget), replay_)
    return replay_


def replay(book: Rulebook, dossier: Dossier, on: date) -> DossierState:
    """The dossier's state from its events dated on or before ``on``."""
    last = dossier.last_event
    if last is None or on >= last.date:
        return last_replay(book, dossier).state(held_events(dossier))
    until = dossier.history_until(on)
    return Replay(book, dossier.case).read(until).state(until)
