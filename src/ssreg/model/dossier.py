"""The dossier: a student's case and the append-only history of dated events.

A dossier's state is never stored: it is derived from its history on a date
(:func:`ssreg.evaluate`), so a dossier read back from JSON gives the same answers.
Events are appended with :func:`ssreg.apply_event`, which refuses an event the stage
does not allow and leaves the dossier unchanged.

>>> import ssreg
>>> dossier = ssreg.Dossier(case={"student": {"birth_date": "2004-03-01",
...     "nationality": "BR", "country_of_birth": "BR", "address_in_france": "Paris"}},
...     events=[{"type": "account_created", "date": "2026-08-25"}])
>>> ssreg.Dossier.from_dict(dossier.to_dict()) == dossier
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import attrs

from ..exceptions import InvalidDossierError, InvalidInputError
from .arguments import DAY, PATH, TABLE, accepts, instance
from .fields import field
from .kinds import BoolKind, CodeKind, DateKind, Kind, ListKind, Optional, TextKind
from .limits import MAX_CODE, excerpt
from .models import Case, Document, Student, Validated, checked
from .structure import ModelKind, structure, structure_problems, unstructure


SCHEMA = "ssreg.dossier/1"
CHANGEABLE = ("stay_months", "address_in_france", "has_s1", "quebec_form", "ehic_expiry",
              "ghic_expiry", "previously_affiliated", "enrolled_in_french_institution",
              "nationality")
CASE_CHANGEABLE = ("academic_year", "arrival_date")
EVENTS_LIMIT = 10_000  # events in one dossier
Day = date


class ChangesKind(Kind):
    """Changes to the student's situation: a table of student (or case) fields."""

    description = "a table of changed student fields"

    def check(self, value: Any) -> list[tuple[str, str]]:
        if not isinstance(value, Mapping) or not value:
            return [("", f"expected a non-empty table of changed fields, got {excerpt(value)}")]
        found = []
        for key in value:
            if not isinstance(key, str) or key not in (*CHANGEABLE, *CASE_CHANGEABLE):
                found.append(("", f"{excerpt(key)} cannot change; changeable: "
                                  f"{', '.join((*CHANGEABLE, *CASE_CHANGEABLE))}"))
        return found

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "propertyNames": {"enum": [*CHANGEABLE, *CASE_CHANGEABLE]},
                "minProperties": 1}


OPTIONAL_BOOL = Optional(BoolKind())


@checked
@attrs.frozen(kw_only=True)
class Event(Validated):
    """One dated event of a dossier (its ``type`` is one of the rulebook's events)."""

    error: ClassVar[type[InvalidInputError]] = InvalidDossierError

    type: str = field(CodeKind(vocabulary="events"), doc="event type")
    date: Day = field(DateKind(), doc="date of the event")
    document: Document | None = field(Optional(ModelKind(Document)), default=None,
                                      doc="the document uploaded or replaced")
    kind: str | None = field(Optional(CodeKind(vocabulary="document kinds")), default=None,
                             doc="the document kind accepted or rejected")
    reason: str | None = field(Optional(TextKind()), default=None,
                               doc="why a document was rejected, or a route changed")
    number: str | None = field(Optional(TextKind(max_length=40)), default=None,
                               doc="the social security number given")
    photo: bool | None = field(OPTIONAL_BOOL, default=None, doc="a photo was supplied")
    id_document: bool | None = field(OPTIONAL_BOOL, default=None,
                                     doc="an identity document was supplied")
    signed_by_parent: bool | None = field(OPTIONAL_BOOL, default=None,
                                          doc="a parent signed (students under 18)")
    changes: Mapping[str, Any] | None = field(Optional(ChangesKind()), default=None,
                                              doc="changed student fields (route_changed)")
    note: str | None = field(Optional(TextKind()), default=None, doc="a free note")

    @property
    def document_kind(self) -> str | None:
        """The document kind the event is about."""
        return self.document.kind if self.document is not None else self.kind

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(self)
        return data


def apply_changes(case: Case, changes: Mapping[str, Any]) -> Case:
    """The case with an event's changes applied (checked like any case)."""
    student_changes = {k: v for k, v in changes.items() if k in CHANGEABLE}
    case_changes = {k: v for k, v in changes.items() if k in CASE_CHANGEABLE}
    student = case.student
    if student_changes:
        student = structure({**unstructure(student), **student_changes}, Student,
                            error=InvalidDossierError, path="changes")
    data = {**{k: getattr(case, k) for k in ("documents", "claims", "cover",
                                             "academic_year", "arrival_date")},
            **case_changes, "student": student}
    return structure(data, Case, error=InvalidDossierError, path="changes")


@checked
@attrs.frozen(kw_only=True)
class Dossier(Validated):
    """A student's case and the append-only, date-ordered history of events."""

    error: ClassVar[type[InvalidInputError]] = InvalidDossierError

    case: Case = field(ModelKind(Case), doc="the student's case")
    events: tuple[Event, ...] = field(ListKind(ModelKind(Event), EVENTS_LIMIT), default=(),
                                      doc="the history, oldest first")
    id: str | None = field(Optional(TextKind(max_length=MAX_CODE * 4)), default=None,
                           doc="your identifier for this dossier")

    def _cross_check(self) -> list[tuple[str, str]]:
        found = []
        for i in range(1, len(self.events)):
            if self.events[i].date < self.events[i - 1].date:
                found.append((f"events[{i}].date", f"{self.events[i].date} is before the "
                              f"previous event ({self.events[i - 1].date}); the history is "
                              "in date order"))
        case = self.case
        for i, event in enumerate(self.events):
            if event.changes:
                _, problems = _changes_problems(case, event.changes)
                found.extend((f"events[{i}].changes{p if p.startswith('.') else '.' + p}"
                              if p else f"events[{i}].changes", m) for p, m in problems)
                if not problems:
                    case = apply_changes(case, event.changes)
        return found

    def appended(self, event: Event) -> Dossier:
        """This dossier with ``event`` (a checked :class:`Event`) appended, checking only
        what it adds: a valid dossier stays valid when the new event is not dated before
        the last one and the history stays within its length (an event that changes the
        case is checked with the whole history, as the constructor does).  Built without
        checking or copying the earlier events (:class:`_History`), so a dossier grows
        event by event in linear time.
        """
        last = self.last_event
        if (not isinstance(event, Event) or self.event_count >= EVENTS_LIMIT or event.changes
                or (last is not None and event.date < last.date)):
            return Dossier(case=self.case, events=(*self.events, event), id=self.id)
        new = object.__new__(Dossier)
        for name, value in (("case", self.case), ("id", self.id)):
            object.__setattr__(new, name, value)
        _EVENTS_SLOT.__set__(new, _History.after(_EVENTS_SLOT.__get__(self, Dossier), event))
        return new

    @property
    def event_count(self) -> int:
        """How many events the history holds (``len(events)``)."""
        return len(_EVENTS_SLOT.__get__(self, Dossier))

    @property
    def last_event(self) -> Event | None:
        """The last event of the history (``None`` for none yet)."""
        held = _EVENTS_SLOT.__get__(self, Dossier)
        if held.__class__ is tuple:
            return held[-1] if held else None
        last: Event = held.last
        return last

    @accepts(on=DAY)
    def history_until(self, on: date) -> tuple[Event, ...]:
        """The events dated on or before ``on``."""
        return tuple(e for e in self.events if e.date <= on)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form (``"schema": "ssreg.dossier/1"``)."""
        data: dict[str, Any] = {"schema": SCHEMA}
        if self.id is not None:
            data["id"] = self.id
        data["case"] = unstructure(self.case)
        data["events"] = [unstructure(e) for e in self.events]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any) -> Dossier:
        """A dossier from its JSON form (the ``schema`` key is optional but checked)."""
        return structure_dossier(data)


class _History:
    """The events of a dossier grown by :meth:`Dossier.appended`: the first ``length``
    items of a list shared by the dossiers of one line of growth.  Appending to the
    newest dossier adds to the list (O(1)); appending to an older one (a branch) copies
    its events once.  The list only grows past ``length``, so every dossier still sees
    its own events, and ``Dossier.events`` reads them as a tuple (made on first read,
    then kept)."""

    __slots__ = ("_tuple", "items", "length")

    def __init__(self, items: list[Event], length: int) -> None:
        self.items, self.length = items, length
        self._tuple: tuple[Event, ...] | None = None

    @classmethod
    def after(cls, held: tuple[Event, ...] | _History, event: Event) -> _History:
        """The history ``held`` with ``event`` after it."""
        if isinstance(held, _History) and len(held.items) == held.length:
            items = held.items
            items.append(event)
            if len(items) == held.length + 1:  # no other dossier appended meanwhile
                return cls(items, held.length + 1)
        events = [*(held.items[:held.length] if isinstance(held, _History) else held), event]
        return cls(events, len(events))

    def __len__(self) -> int:
        return self.length

    @property
    def last(self) -> Event:
        return self.items[self.length - 1]

    def as_tuple(self) -> tuple[Event, ...]:
        if self._tuple is None:
            self._tuple = tuple(self.items[:self.length])
        return self._tuple


def held_events(dossier: Dossier) -> tuple[Event, ...] | _History:
    """A dossier's events as held: a tuple, or a history whose tuple is not made yet
    (read it with :func:`as_events`); holding it does not keep the dossier alive."""
    held: tuple[Event, ...] | _History = _EVENTS_SLOT.__get__(dossier, Dossier)
    return held


def as_events(held: tuple[Event, ...] | _History) -> tuple[Event, ...]:
    """The tuple of events of what :func:`held_events` gave."""
    return held if isinstance(held, tuple) else held.as_tuple()


def _events(self: Dossier) -> tuple[Event, ...]:
    held = _EVENTS_SLOT.__get__(self, Dossier)
    return held if held.__class__ is tuple else held.as_tuple()


def _set_events(self: Dossier, value: Any) -> None:
    _EVENTS_SLOT.__set__(self, value)


_EVENTS_SLOT: Any = Dossier.__dict__["events"]
Dossier.events = property(_events, _set_events,  # type: ignore[assignment]
                          doc="the history, oldest first (a tuple)")


def _changes_problems(case: Case, changes: Mapping[str, Any]) -> tuple[
        Case | None, list[tuple[str, str]]]:
    try:
        return apply_changes(case, changes), []
    except InvalidInputError as exc:
        return None, [(p.path.removeprefix("changes"), p.message) for p in exc.problems]


def structure_dossier(data: Any) -> Dossier:
    """A :class:`Dossier` from plain data (its JSON form) or a Dossier."""
    if isinstance(data, Dossier):
        return data
    if isinstance(data, Mapping) and "schema" in data:
        if data["schema"] != SCHEMA:
            raise InvalidDossierError([_problem("schema", f"expected the schema {SCHEMA!r}, "
                                                          f"got {excerpt(data['schema'])}")])
        data = {k: v for k, v in data.items() if k != "schema"}
    return structure(data, Dossier, error=InvalidDossierError)


def structure_event(data: Any) -> Event:
    """An :class:`Event` from plain data or an Event."""
    return structure(data, Event, error=InvalidDossierError, path="event")


def _problem(path: str, message: str) -> Any:
    from ..exceptions import Problem

    return Problem(path, message)


DOSSIER = TABLE | instance(Dossier, "a Dossier")
EVENT = TABLE | instance(Event, "an Event")


@accepts(source=PATH | DOSSIER)
def load_dossier(source: str | Path | Mapping[str, Any]) -> Dossier:
    """A dossier from a JSON file or from its dict form."""
    if isinstance(source, Dossier):
        return source
    if isinstance(source, Mapping):
        return structure_dossier(source)
    from .files import MAX_DOCUMENT_BYTES, read_text

    path = Path(source)
    text = read_text(path, error=InvalidDossierError, limit=MAX_DOCUMENT_BYTES)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidDossierError([_problem(str(path)[-200:], f"not valid JSON: "
                                                             f"{str(exc)[:200]}")]) from None
    return structure_dossier(data)


__all__ = ["Dossier", "Event", "load_dossier", "structure_problems"]
