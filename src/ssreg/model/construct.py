"""One generated ``__init__`` per model: convert and check every field in one pass.

attrs' own ``__init__`` calls each field's converter, then the model checks every field
again (:class:`~ssreg.model.models.Validated`).  Most values are given already in their
final form (a ``date``, a ``Decimal`` with its cents, a code without spaces), and for
those the converter gives back the value and the check finds nothing.  The ``__init__``
made here tests each value once with the kind's :meth:`~ssreg.model.kinds.Kind.fast`
expression (true only when converting would change nothing *and* the check would find
nothing); only the other values are converted and then tested with the kind's
:meth:`~ssreg.model.kinds.Kind.quick` expression.  When any test fails, the problems
and their messages come from :func:`~ssreg.model.fields.check_fields`, as before: the
answers and the errors are those of attrs' ``__init__`` followed by the check (kept as
``__init__.__wrapped__``; ``tests/test_construct.py`` compares both on generated
inputs, bad ones included).

>>> import ssreg
>>> ssreg.Claim(care="gp_consultation", date="2025-03-10", billed="30").billed
Decimal('30.00')
>>> ssreg.Claim(care="gp_consultation", date="2025-03-10", billed=30.0, colour="red")
Traceback (most recent call last):
...
ssreg.exceptions.InvalidClaimError: invalid claim: colour: unknown field; known fields: ...
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from .fields import Spec, check_fields, specs
from .kinds import REQUIRED, ChoiceKind, CodeKind, DateKind, DecimalKind, Kind, Optional, TextKind
from .limits import excerpt
from .structure import ModelKind


#: defaults computed once (a converted default is the default itself for these types)
_IMMUTABLE = (str, bool, int, type(None), tuple, Decimal, date)


def generated_init(cls: type, problems: Callable[[list[tuple[str, str]]], Any], *,
                   cross_check: bool) -> Callable[..., None] | None:
    """The one-pass ``__init__`` of an attrs model declared with :func:`fields.field`
    (``None`` when a field is declared otherwise: attrs' own is then kept).

    ``problems`` turns ``(path, message)`` pairs into the problems the model's ``error``
    takes; ``cross_check``: the model looks at its fields together once each is valid
    (``_cross_check``).  Unknown or positional arguments are refused like bad values,
    before any field is read.
    """
    fields = attrs.fields(cls)
    declared = dict(specs(cls))
    reserved = {"self", "str", "len", "int", "isinstance"}  # (names the tests use)
    if any(f.name not in declared or not f.init or f.validator is not None
           or f.alias != f.name or f.name in reserved or f.name.startswith("_")
           or not f.name.isidentifier() or not hasattr(type(cls.__dict__.get(f.name)),
                                                       "__set__") for f in fields):
        return None  # pragma: no cover - every model of ours qualifies
    names = tuple(f.name for f in fields)
    namespace: dict[str, Any] = {"_date": date, "_Decimal": Decimal, "_REQUIRED": REQUIRED,
                                 "_NOTHING": attrs.NOTHING, "_check_fields": check_fields,
                                 "_refuse": _refuser(cls, names, problems),
                                 "_problems": problems, "str": str, "len": len, "int": int,
                                 "isinstance": isinstance}

    def bind(value: Any) -> str:
        name = f"_c{len(namespace)}"
        namespace[name] = value
        return name

    params, body = [], ["    if _args or _unknown:", "        _refuse(_args, _unknown)",
                        "    _ok = True"]
    for i, f in enumerate(fields):
        spec: Spec = declared[f.name]
        kind, default = spec.kind, f.default
        namespace[f"_k{i}"], namespace[f"_s{i}"] = kind, cls.__dict__[f.name].__set__
        quick = kind.quick("_v", f"_k{i}")
        fast = fast_test(kind, "_v", f"_k{i}", bind)
        convert = f"_k{i}.convert(_v)" if kind.converts else "_v"
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_f{i}"] = default.factory
            params.append(f"{f.name}=_NOTHING")
            body.append(f"    _v = _f{i}() if {f.name} is _NOTHING else {f.name}")
            body.append(f"    if not ({fast or 'False'}):")
        else:
            namespace[f"_d{i}"] = default
            params.append(f"{f.name}=_d{i}")
            body.append(f"    _v = {f.name}")
            body.append(f"    if _v is _d{i}:")
            if default is REQUIRED:
                body.append("        _ok = False")
            elif isinstance(default, _IMMUTABLE) and kind.convert(default) is default:
                body.append("        pass")  # a default is valid as it is
            else:  # pragma: no cover - every default of ours is immutable
                body.append(f"        _v = {convert}")
            body.append(f"    elif not ({fast or 'False'}):")
        body.append(f"        _v = {convert}")
        body.append(f"        if not ({quick}):")
        body.append("            _ok = False")
        body.append(f"    _s{i}(self, _v)")
    body.append("    _found = [] if _ok else _check_fields(self)")
    if cross_check:
        body.append("    if not _found:")
        body.append("        _found = self._cross_check()")
    body.append("    if _found:")
    body.append("        raise self.error(_problems(_found))")
    source = (f"def __init__(self, *_args, {', '.join(params)}, **_unknown):\n"
              + "\n".join(body))
    exec(compile(source, f"<ssreg init {cls.__qualname__}>", "exec"), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def fast_test(kind: Kind, value: str, name: str, bind: Callable[[Any], str]) -> str | None:
    """A Python expression true only when ``kind.convert(value)`` would give ``value``
    back unchanged *and* ``kind.check`` would find nothing in it (``None``: no such
    shortcut; the value is then converted and tested with :meth:`Kind.quick`).  ``name``
    names the kind in the expression; ``bind`` names a constant.  Never looser than
    converting and checking: a value it refuses is only converted and checked."""
    if not kind.converts:
        return kind.quick(value, name)
    known = type(kind)
    if known is Optional:
        inner = fast_test(kind.inner, value, name + ".inner", bind)  # type: ignore[attr-defined]
        return f"({value} is None or {inner})" if inner else None
    if known is DateKind:  # only an ISO text is converted
        return kind.quick(value, name)
    if known is DecimalKind and kind.places is not None and kind.minimum >= 0:  # type: ignore[attr-defined]
        # exactly its cents (same quantum: finite too), within range; zero (and -0, made 0)
        # takes the long way
        quantum = bind(Decimal(1).scaleb(-kind.places))  # type: ignore[attr-defined]
        return (f"({value}.__class__ is _Decimal and {value}.same_quantum({quantum}) and "
                f"{bind(kind.minimum)} < {value} <= {bind(kind.maximum)})")  # type: ignore[attr-defined]
    if known in (TextKind, CodeKind):  # converting strips spaces
        return f"({kind.quick(value, name)} and {value}.strip() is {value})"
    if known is ChoiceKind and all(type(v) is str and v == v.strip()
                                   for v in kind.values):  # type: ignore[attr-defined]
        return f"({value}.__class__ is str and {value} in {bind(frozenset(kind.values))})"  # type: ignore[attr-defined]
    if known is ModelKind:
        return f"isinstance({value}, {bind(kind.model)})"  # type: ignore[attr-defined]
    return None


def _refuser(cls: type, names: tuple[str, ...],
             problems: Callable[[list[tuple[str, str]]], Any]) -> Callable[..., None]:
    known = ", ".join(sorted(names))

    def refuse(args: tuple[Any, ...], unknown: dict[str, Any]) -> None:
        found = [("(input)", "give the fields by name")] if args else []
        found += [(k if len(k) < 64 else excerpt(k), f"unknown field; known fields: {known}")
                  for k in unknown]
        raise cls.error(problems(found))  # type: ignore[attr-defined]

    return refuse


__all__ = ["fast_test", "generated_init"]
