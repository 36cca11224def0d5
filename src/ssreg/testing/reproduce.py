"""A gap's counter-example as a case file that reproduces it.

``ssreg check-rulebook`` searches a decision table over the values of the *facts* its
rules read, some of them derived (``age``, ``eu_eea_swiss``, ``born_in_france``...).
To be pasted as a case file, such an example must become an *input*: a student or a
claim whose facts are those of the example.  :func:`reproduction` builds one (each
derived fact from the input fields it is computed from), runs it, and keeps it only if
the table really has no answer for it; a combination of facts no input can give (a
student born in France and in New Caledonia) has no reproduction.

Case tables (route, top-up) become a ``[input.student]`` with ``[expected] outcomes``;
claim tables a ``[[claims]]`` entry expecting the "no rule applies" error.  Dossier
tables (the journey's stage) are decided on a history of events and are not reproduced.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rulebook


OTHER = "<other>"
NON_EU = ("BR", "US", "CN", "IN", "MA", "SN", "VN", "MX", "CO", "JP")
CLAIM_FIELDS = ("care", "medicine_class", "sector", "specialty", "emergency",
                "away_from_home", "ald", "pregnancy_window", "contraception",
                "prescribed_by_sector_3", "psychiatry", "css", "referent_doctor_declared",
                "referent_doctor_seen", "referred")


def _literals(book: Rulebook, decision: str, fact: str) -> set[Any]:
    found: set[Any] = set()
    for rule in book.rules_of(decision):
        for comp in cond.comparisons(rule.when):
            if comp.kind == "fact" and comp.name == fact:
                found |= set(comp.value) if isinstance(comp.value, frozenset) else {comp.value}
    return found


def _pick(choices: tuple[str, ...], avoid: set[Any]) -> str:
    return next((c for c in choices if c not in avoid), choices[0])


def _birth(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years) - timedelta(days=1)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28) - timedelta(days=1)


def student_for(book: Rulebook, decision: str, env: dict[str, Any], on: date) -> dict[str, Any]:
    """A student whose facts on ``on`` are those of ``env`` (as far as fields allow)."""
    from ..rulebook.facts import academic_year

    param = book.parameter
    eu_list = param("eu_eea_swiss_countries").value_on(on).value
    overseas = param("overseas_collectivities").value_on(on).value
    nationality = env.get("nationality", OTHER)
    if nationality == OTHER:
        avoid = _literals(book, decision, "nationality")
        if env.get("french_citizen"):
            nationality = "FR"
        elif env.get("eu_eea_swiss"):
            nationality = _pick(tuple(c for c in eu_list if c != "FR"), avoid)
        else:
            nationality = _pick(NON_EU, avoid | set(eu_list))
    born = env.get("country_of_birth", OTHER)
    if born == OTHER:
        avoid = _literals(book, decision, "country_of_birth")
        if env.get("born_in_france"):
            born = "FR"
        elif env.get("from_overseas_collectivity"):
            born = _pick(tuple(overseas), avoid)
        else:
            born = _pick(NON_EU, avoid | set(overseas) | {"FR"})
    _, _, year_end = academic_year(on, int(param("academic_year_start_month").value_on(on)
                                           .value))
    student: dict[str, Any] = {
        "birth_date": _birth(on, int(env.get("age") or 22)), "nationality": nationality,
        "country_of_birth": born, "address_in_france": "12 rue des Écoles, 75005 Paris"}
    for name in ("previously_affiliated", "enrolled_in_french_institution", "has_s1",
                 "quebec_form", "stay_months"):
        if env.get(name) not in (None, OTHER):
            student[name] = env[name]
    if env.get("ehic_valid_for_academic_year"):
        student["ehic_expiry"] = year_end + timedelta(days=30)
    elif env.get("ehic_valid_for_stay"):
        months = int(student.get("stay_months") or 3)
        student.setdefault("stay_months", months)
        student["ehic_expiry"] = min(on + timedelta(days=31 * months + 5),
                                     year_end - timedelta(days=1))
    if env.get("ghic_valid_for_academic_year"):
        student["ghic_expiry"] = year_end + timedelta(days=30)
    return student


def claim_for(env: dict[str, Any], on: date) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A claim (and a cover, or None) whose facts are those of ``env``."""
    claim: dict[str, Any] = {"care": env.get("care", "gp_consultation"), "date": on,
                             "billed": Decimal("100.00"), "person": "a"}
    for name in CLAIM_FIELDS:
        if env.get(name) not in (None, OTHER):
            claim[name] = env[name]
    if claim["care"] != "medicine":  # only a medicine has a class (the claim checks it)
        claim.pop("medicine_class", None)
    if "age_on_january_1" in env:
        years = int(env["age_on_january_1"] or 0)
        birth = date(on.year - years - 1, 12, 31)
        if env.get("age") is not None and int(env["age"]) > years:
            birth = date(on.year - years - 1, 1, 1)
        claim["birth_date"] = max(birth, date(1900, 1, 1))
    else:
        claim["age"] = int(env.get("age") or 30)
    kind = env.get("cover_kind", "none")
    cover = None if kind in ("none", OTHER) else {
        "kind": kind, "responsable": bool(env.get("cover_responsable", True))}
    return claim, cover


NO_INPUT = "no input found that gives these facts together: check the derived facts"


def reproduction(book: Rulebook, decision: str, env: dict[str, Any],
                 on: date) -> tuple[dict[str, Any] | None, str]:
    """A case file (as a dict) whose input makes ``decision`` give no answer on ``on``,
    built from the counter-example ``env``; or None and why not."""
    from ..exceptions import SsregError
    from ..pricing.batch import price_claims
    from ..registration.evaluate import evaluate

    spec = book.decisions[decision]
    if spec.scope not in ("case", "claim"):
        return None, "a dossier's history is not rebuilt from facts"
    overrides = {k.removeprefix("param:"): v for k, v in env.items() if k.startswith("param:")}
    base: dict[str, Any] = {"name": f"Reproduces the gap of decision {decision!r} found by "
                                    "ssreg check-rulebook", "on": on,
                            "sources": sorted({k for r in book.rules_of(decision)
                                               for k in r.citations})[:3]}
    if overrides:
        base["overrides"] = overrides
    try:
        if spec.scope == "case":
            student = student_for(book, decision, env, on)
            found = evaluate({"student": student}, on=on, rulebook=book, overrides=overrides)
            if found.outcomes.get(decision) is not None:
                return None, NO_INPUT
            return {**base, "input": {"student": student},
                    "expected": {"outcomes": {decision: "none"}}}, ""
        claim, cover = claim_for(env, on)
        try:
            list(price_claims([claim], cover=cover, rulebook=book, overrides=overrides))
        except SsregError as exc:
            message = f"no rule of {decision!r} applies"
            if message in str(exc):
                case = {**base, "claims": [claim], "expected": {"error": message}}
                return ({**case, "cover": cover} if cover else case), ""
            if "no rule of " in str(exc):
                return None, f"an earlier table has no answer for it first ({exc})"
            raise
        return None, NO_INPUT
    except SsregError as exc:
        return None, f"{NO_INPUT} ({str(exc)[:120]})"
