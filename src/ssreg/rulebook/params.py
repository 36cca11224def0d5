"""Building the dated parameters, and checking that each is of the kind its readers expect.

Every value of a parameter is checked against the kind declared beside it in the rule
data (type, unit, ``min``/``max``: :mod:`ssreg.rulebook.values`).  An overlay that
replaces a parameter of its base keeps the base's type and unit (the rules and the code
reading it were written for them); it may leave ``min``/``max`` out (the base's range
holds) or narrow them.  Then :func:`check_readers` checks the parameters against what
reads them: the pricer's roles (an ``amount`` is in euros, an ``in_pathway_rate`` a
rate), the outcomes that name a parameter (``rate_key`` names a rate), and the
parameters the derived facts read by name (:data:`READ_BY_CODE`).  A fact whose
outcome values name parameters says their unit in the data (``parameter_unit``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from ..model.limits import excerpt
from .collect import Checker, Raw, close_periods
from .rulebook import FAR_FUTURE, FactSpec, Parameter, ParameterValue
from .sources import Source
from .values import (
    PARAMETER_TYPES,
    UNITS,
    Kind,
    range_problem,
    unit_problem,
    value_problem,
)


#: the kind the pricer expects of the parameter it reads in each role
ROLE_KINDS: Mapping[str, tuple[str, str]] = {
    "amount": ("decimal", "EUR"), "daily_cap": ("decimal", "EUR"),
    "yearly_cap": ("decimal", "EUR"), "threshold": ("decimal", "EUR"),
    "in_pathway_rate": ("decimal", "rate"), "gap": ("decimal", "rate"),
    "cap": ("decimal", "rate"),
}
#: parameters that code reads by name: (type, unit, the range its code can take)
READ_BY_CODE: Mapping[str, tuple[str, str, Any, Any]] = {
    "academic_year_start_month": ("int", "count", 1, 12),
    "academic_year_early_arrival_months": ("int", "months", 0, 1_200),
    "provisional_number_validity_months": ("int", "months", 0, 1_200),
    "eu_eea_swiss_countries": ("str_list", "list", None, None),
    "overseas_collectivities": ("str_list", "list", None, None),
    "translation_languages_for_europeans": ("str_list", "list", None, None),
    "minimum_monthly_resources": ("decimal", "EUR", None, None),
    "rounding": ("str", "choice", None, None),
}


def build_parameters(c: Checker, raw: Raw, sources: Mapping[str, Source]) -> dict[
        str, Parameter]:
    """Every parameter, each value checked against the parameter's declared kind."""
    out = {}
    for name, (where, data) in raw.parameters.items():
        kind = _kind(c, where, data, raw.base_kinds.get(name))
        if kind is None:
            continue
        values: list[ParameterValue] = []
        raw_values = data.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            c.add(f"{where}.values", "expected an array [[values]] with at least one entry")
            raw_values = []
        for i, entry in enumerate(raw_values):
            value = _value(c, f"{where}.values[{i}]", entry, kind, sources)
            if value is not None:
                values.append(value)
        options = kind.options
        alternatives = {
            opt: c.citations(f"{where}.alternatives.{opt}", cites, sources)
            for opt, cites in _table(c, f"{where}.alternatives", data.get("alternatives"))
        }
        for opt in alternatives:
            if opt not in options:
                c.add(f"{where}.alternatives.{excerpt(opt)}",
                      f"{excerpt(opt)} is not one of options {options}")
        raw_labels = dict(_table(c, f"{where}.option_labels", data.get("option_labels")))
        option_labels = {opt: c.labels(f"{where}.option_labels", raw_labels.get(opt), opt)
                         for opt in options}
        for opt in raw_labels:
            if opt not in options:
                c.add(f"{where}.option_labels.{excerpt(opt)}",
                      f"{excerpt(opt)} is not one of options {options}")
        out[name] = Parameter(
            name=name, type=kind.type, unit=kind.unit, label=c.labels(where, data.get("label")),
            values=tuple(close_periods(c, where, values)), options=options,
            alternatives=MappingProxyType(alternatives), origin=where,
            option_labels=MappingProxyType(option_labels), minimum=kind.minimum,
            maximum=kind.maximum,
        )
    return out


def _table(c: Checker, where: str, value: Any) -> list[tuple[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        c.add(where, f"expected a table, got {excerpt(value)}")
        return []
    return [(str(k), v) for k, v in value.items()]


def _kind(c: Checker, where: str, data: Mapping[str, Any], base: Kind | None) -> Kind | None:
    """The declared kind (type, unit, range, options), checked; None when unusable."""
    ptype, unit = data.get("type"), data.get("unit")
    if ptype not in PARAMETER_TYPES:
        c.add(f"{where}.type", f"unknown parameter type {excerpt(ptype)}; known: "
              f"{PARAMETER_TYPES}")
        return None
    if unit not in UNITS:
        c.add(f"{where}.unit", f"unknown unit {excerpt(unit)}; known: {UNITS}")
        return None
    problem = unit_problem(ptype, unit)
    if problem:
        c.add(f"{where}.unit", problem)
        return None
    if base is not None and (ptype, unit) != (base.type, base.unit):
        c.add(f"{where}.type", f"the base rulebook's parameter is {base.type} ({base.unit}); "
              f"an overlay cannot make it {ptype} ({unit}): the rules and the code reading "
              "it expect the base's kind")
        return None
    minimum, maximum = data.get("min"), data.get("max")
    if isinstance(minimum, int) and not isinstance(minimum, bool) and ptype == "decimal":
        minimum = Decimal(minimum) if minimum.bit_length() < 64 else minimum
    if isinstance(maximum, int) and not isinstance(maximum, bool) and ptype == "decimal":
        maximum = Decimal(maximum) if maximum.bit_length() < 64 else maximum
    if base is not None:
        minimum = base.minimum if minimum is None else minimum
        maximum = base.maximum if maximum is None else maximum
    kind = Kind(ptype, unit, minimum, maximum, c.names(f"{where}.options",
                                                       data.get("options", [])))
    problem = range_problem(kind)
    if not problem and base is not None:
        low, high = base.bounds()
        if (low is not None and kind.bounds()[0] < low) or (
                high is not None and kind.bounds()[1] > high):
            problem = f"an overlay may narrow the base's range ({low} to {high}), not widen it"
    if problem:
        c.add(f"{where}.min", problem)
        return None
    if unit == "choice" and not kind.options:
        c.add(f"{where}.options", "a choice lists its options")
    return kind


def _value(c: Checker, at: str, entry: Any, kind: Kind,
           sources: Mapping[str, Source]) -> ParameterValue | None:
    if not isinstance(entry, dict):
        c.add(at, "expected a table")
        return None
    start = c.day(f"{at}.start", entry.get("start"), required=True)
    end = c.day(f"{at}.end", entry.get("end"), required=False) or FAR_FUTURE
    value = entry.get("value")
    if isinstance(value, list):
        value = tuple(value)
    elif kind.type == "decimal" and isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() < 64:
        value = Decimal(value)
    problem = value_problem(kind, value)
    if problem:
        c.add(f"{at}.value", problem)
    cites = c.citations(at, entry.get("citations"), sources)
    uncertain = entry.get("uncertain") is True
    note = entry.get("note", "")
    if not isinstance(note, str) or len(note) > 10_000:
        c.add(f"{at}.note", f"expected a text of at most 10000 characters, got {excerpt(note)}")
        note = ""
    if uncertain and not note:
        c.add(f"{at}.note", "an uncertain value says why in its note")
    if start is None or problem:
        return None
    if end < start:
        c.add(f"{at}.end", f"period ends ({end}) before it starts ({start})")
    return ParameterValue(start=start, end=end, value=value, citations=cites, note=note,
                          uncertain=uncertain)


def check_readers(c: Checker, facts: Mapping[str, FactSpec],
                  params: Mapping[str, Parameter]) -> None:
    """Every parameter is of the kind its readers expect (see the module docstring)."""
    for name, (ptype, unit, low, high) in READ_BY_CODE.items():
        param = params.get(name)
        if param is None:
            continue  # a rulebook without the decisions reading it
        if (param.type, param.unit) != (ptype, unit):
            c.add(param.origin, f"{name} is read by ssreg's code as {ptype} ({unit}), "
                  f"not {param.type} ({param.unit})")
            continue
        lowest, highest = param.kind.bounds()
        if low is not None and (lowest is None or lowest < low or highest > high):
            c.add(f"{param.origin}.min", f"{name} must be declared within {low} to {high} "
                  f"(min = {low}, max = {high}): its code reads no other value")
    for fact in facts.values():
        for value, roles in fact.reads.items():
            for role, name in roles.items():
                expect_kind(c, f"{fact.origin}.reads.{value}.{role}", params.get(name),
                            ROLE_KINDS.get(role))


def expect_kind(c: Checker, where: str, param: Parameter | None,
                expected: tuple[str, str] | None) -> None:
    """A problem at ``where`` unless ``param`` is of the ``(type, unit)`` expected."""
    if param is None or expected is None:
        return
    if (param.type, param.unit) != expected:
        c.add(where, f"the parameter {param.name!r} is read as {expected[0]} "
              f"({expected[1]}), but it is {param.type} ({param.unit})")
