"""The hypothesis entry point: ``st.from_type(T)`` works for every public model.

Hypothesis calls :func:`_hypothesis_setup_hook` while it is being imported, possibly
while ``ssreg.testing`` itself is importing hypothesis; so the strategies are registered
as deferred: ``ssreg.testing`` is looked up only when a value is first drawn.
"""

from __future__ import annotations

import importlib
from typing import Any


def _lazy(name: str) -> Any:
    from hypothesis import strategies as st

    # a dossier of any route: ``dossiers()`` alone draws online ones
    kwargs = {"route": None} if name == "dossiers" else {}
    return st.deferred(lambda: getattr(importlib.import_module("ssreg.testing"), name)(
        **kwargs))


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each public model (no draw, nothing else at import)."""
    from hypothesis import strategies as st

    from ..model.dossier import Dossier, Event
    from ..model.models import Case, Claim, Cover, Document, Student
    from ..notebook.scenarios import Scenario

    for model, name in ((Student, "any_students"), (Document, "documents"), (Claim, "claims"),
                        (Cover, "covers"), (Case, "cases"), (Dossier, "dossiers"),
                        (Event, "events"), (Scenario, "scenarios")):
        st.register_type_strategy(model, _lazy(name))
