"""Hypothesis strategies for ssreg's models: students, documents, claims, covers,
cases and scenarios.  Every strategy draws valid values unless asked for invalid ones
(``valid=False``) and aims at the boundaries that matter."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..model.models import OPTICS_ITEMS, QUEBEC_FORMS, Case, Claim, Cover, Document, Student
from ..model.structure import unstructure
from ..notebook.scenarios import Scenario
from ..rulebook.facts import named_year


EU = ["DE", "IT", "ES", "BE", "AT", "PL", "PT", "NL", "SE", "GR", "BG", "CH", "NO", "IE"]
NON_EU = ["BR", "US", "CN", "IN", "MA", "DZ", "SN", "CA", "JP", "VN", "MX", "TN", "CO", "LB"]
ROUTES = ("online", "cpam", "no_registration", "private_insurance")
BOUNDARY_AGES = (15, 16, 17, 18, 19, 24, 25, 26)
RULES_START = date(2018, 9, 1)


def evaluation_dates(start: date = RULES_START, end: date = date(2027, 12, 31)) -> (
        st.SearchStrategy[date]):
    """Dates within the rulebook's periods (the student site opened on 1 Sept 2018),
    with extra weight on the days rules change."""
    switches = [d for d in (date(2019, 2, 18), date(2021, 1, 1), date(2023, 11, 1),
                            date(2024, 5, 15), date(2024, 12, 22), date(2026, 1, 1),
                            date(2026, 3, 1)) if start <= d <= end]
    around = st.sampled_from(switches).flatmap(
        lambda d: st.sampled_from([d - timedelta(days=1), d])) if switches else st.nothing()
    return st.one_of(st.dates(min_value=start, max_value=end), around)


def academic_years(first: int = 2018, last: int = 2027) -> st.SearchStrategy[str]:
    """Academic years like ``2026-2027``."""
    return st.integers(first, last).map(lambda y: f"{y}-{y + 1}")


def amounts(max_value: int = 2000, min_value: int = 0) -> st.SearchStrategy[Decimal]:
    """Amounts in euros with two decimals (never floats)."""
    return st.integers(min_value=min_value * 100, max_value=max_value * 100).map(
        lambda c: (Decimal(c) / 100).quantize(Decimal("0.01")))


def _ages(age: int | None) -> st.SearchStrategy[int]:
    if age is not None:
        return st.just(age)
    return st.one_of(st.sampled_from(BOUNDARY_AGES), st.integers(14, 45))


def _birth(draw: st.DrawFn, anchor: date, age: int | None) -> date:
    years = draw(_ages(age))
    latest = date(anchor.year - years, anchor.month, min(anchor.day, 28))
    return latest - timedelta(days=draw(st.integers(0, 364)))


@st.composite
def students(draw: st.DrawFn, route: str | None = None, age: int | None = None,
             on: date | None = None) -> Student:
    """Valid students who state every fact; ``route`` targets a registration route on the
    date ``on`` (default 1 Oct 2026) for a case without academic year or arrival date."""
    anchor = on or date(2026, 10, 1)
    chosen = route or draw(st.sampled_from(ROUTES))
    year_end = named_year(anchor.year if anchor.month >= 9 else anchor.year - 1, 9)[2]
    common: dict[str, Any] = {
        "birth_date": _birth(draw, anchor, age),
        "address_in_france": draw(st.sampled_from([None, "1 rue de Rivoli, Paris",
                                                   "12 place Bellecour, Lyon"])),
        "quebec_form": "none", "has_s1": False, "ghic_expiry": "none",
        "previously_affiliated": False, "enrolled_in_french_institution": True,
        "andorran_insured": False, "salaried": False,
    }
    if chosen == "online":
        nationality = draw(st.sampled_from(NON_EU))
        return Student(nationality=nationality, country_of_birth=nationality,
                       stay_months=draw(st.integers(4, 60)), ehic_expiry="none", **common)
    if chosen == "cpam":
        common["previously_affiliated"] = True
        return Student(nationality=draw(st.sampled_from([*NON_EU, "FR"])),
                       country_of_birth=draw(st.sampled_from(["FR", *NON_EU])),
                       stay_months=draw(st.integers(4, 60)), ehic_expiry="none", **common)
    if chosen == "no_registration":
        nationality = draw(st.sampled_from(EU))
        return Student(nationality=nationality, country_of_birth=nationality,
                       stay_months=draw(st.integers(4, 60)),
                       ehic_expiry=year_end + timedelta(days=draw(st.integers(0, 900))), **common)
    nationality = draw(st.sampled_from(NON_EU + EU))
    short = draw(st.booleans())
    common["enrolled_in_french_institution"] = short
    return Student(nationality=nationality, country_of_birth=nationality,
                   stay_months=draw(st.integers(0, 3)) if short else draw(st.integers(0, 60)),
                   ehic_expiry="none", **common)


@st.composite
def any_students(draw: st.DrawFn, on: date | None = None, unknown: bool = False) -> Student:
    """Students with any combination of fields (routes not targeted).  Every fact is
    stated; with ``unknown=True`` any of them may be left out (not given)."""
    anchor = on or date(2026, 10, 1)

    def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.none() | strategy if unknown else strategy

    card = st.just("none") | st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
    countries = st.sampled_from(EU + NON_EU + ["FR", "GB", "NC", "PF"])
    return Student(birth_date=_birth(draw, anchor, None), nationality=draw(countries),
                   country_of_birth=draw(countries),
                   previously_affiliated=draw(maybe(st.booleans())),
                   enrolled_in_french_institution=draw(maybe(st.booleans())),
                   stay_months=draw(maybe(st.integers(0, 60))),
                   address_in_france=draw(st.none() | st.just("1 rue de Rivoli, Paris")),
                   has_s1=draw(maybe(st.booleans())),
                   quebec_form=draw(maybe(st.sampled_from(QUEBEC_FORMS))),
                   ehic_expiry=draw(maybe(card)), ghic_expiry=draw(maybe(card)),
                   sex=draw(st.sampled_from((None, "female", "male"))),
                   andorran_insured=draw(maybe(st.booleans())),
                   salaried=draw(maybe(st.booleans())),
                   household_size=draw(st.none() | st.integers(1, 7)),
                   household_resources=draw(st.none() | amounts(40000)))


def student_data(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Students in the plain JSON form (``{"birth_date": "2004-03-01", ...}``)."""
    return students(**kwargs).map(unstructure)


DOCUMENT_KINDS = ("passport", "national_id_card", "titre_de_sejour", "vls_ts_validated",
                  "recepisse", "certificat_residence_algerien", "birth_certificate_full",
                  "birth_certificate_extract_with_parents", "enrolment_certificate", "iban",
                  "proof_of_resources", "s1_form", "parental_authorisation", "ehic",
                  "private_insurance_certificate")


@st.composite
def documents(draw: st.DrawFn, kind: str | None = None, valid: bool | None = None,
              on: date | None = None, academic_year: str | None = None) -> Document:
    """Documents of a kind (default: any), valid (or, with ``valid=False``, failing their
    check) on ``on`` for ``academic_year``."""
    day = on or date(2026, 10, 1)
    chosen = kind or draw(st.sampled_from(DOCUMENT_KINDS))
    first = day.year if day.month >= 9 else day.year - 1
    year = academic_year or f"{first}-{first + 1}"
    good = draw(st.booleans()) if valid is None else valid
    fields: dict[str, Any] = {"kind": chosen, "status": draw(st.sampled_from(
        ["held", "uploaded", "accepted"]))}
    year_end = named_year(int(year[:4]), 9)[2]
    if chosen in ("passport", "national_id_card", "titre_de_sejour", "vls_ts_validated",
                  "recepisse", "certificat_residence_algerien", "s1_form",
                  "private_insurance_certificate"):
        fields["expires"] = day + timedelta(days=draw(st.integers(0, 2000))) if good else \
            day - timedelta(days=draw(st.integers(1, 2000)))
    elif chosen == "ehic":
        fields["expires"] = year_end + timedelta(days=draw(st.integers(0, 900))) if good else \
            year_end - timedelta(days=draw(st.integers(1, 300)))
    elif chosen.startswith("birth_certificate"):
        fields.update(language="fr") if good else fields.update(language="pt")
    elif chosen == "enrolment_certificate":
        fields["academic_year"] = year if good else f"{int(year[:4]) - 1}-{year[:4]}"
    elif chosen == "iban":
        fields["iban"] = draw(ibans(valid=good))
    elif chosen == "proof_of_resources":
        fields["monthly_amount"] = draw(amounts(3000, 615)) if good else draw(amounts(614))
    elif not good:
        fields["status"] = "rejected"
        fields["rejection_reason"] = "illegible"
    return Document(**fields)


@st.composite
def ibans(draw: st.DrawFn, valid: bool = True) -> str:
    """IBANs (French and foreign) with a correct check, or with a wrong one."""
    from stdnum import iban

    country, length = draw(st.sampled_from([("FR", 23), ("DE", 18), ("ES", 20), ("BR", 25)]))
    if country == "FR":
        body = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=21,
                                     max_size=21)))
    else:
        body = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=length,
                                     max_size=length)))
    if country == "BR":
        body = body[:-2] + "C1"
    check = iban.calc_check_digits(country + "00" + body)
    number = f"{country}{check}{body}"
    if valid and iban.is_valid(number):
        return number
    wrong = f"{int(check) % 97 + 1:02d}" if int(check) % 97 + 1 != int(check) else "01"
    return f"{country}{wrong}{body}" if not valid else number


#: the department code (3 digits) of births in the French overseas territories [N3]
OVERSEAS_CODES = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "PM": "975",
                  "YT": "976", "BL": "977", "MF": "978", "WF": "986", "PF": "987",
                  "NC": "988"}


@st.composite
def nirs(draw: st.DrawFn, valid: bool = True, provisional: bool | None = None,
         holder: Student | None = None) -> str:
    """Social security numbers: definitive (first digit 1 or 2), possibly provisional
    (3, 4, 7, 8), born in France or abroad (99 + INSEE country code); with
    ``valid=False``, a wrong key, month or length.  With a ``holder`` (a Student), a
    number that is the student's: sex, year and month of birth, born abroad or not."""
    from stdnum.fr import nir

    if provisional is None:
        provisional = draw(st.booleans())
    sexes = "3478" if provisional else "12"
    if holder is not None and holder.sex is not None and not provisional:
        sexes = "2" if holder.sex == "female" else "1"
    sex = draw(st.sampled_from(sexes))
    year = f"{draw(st.integers(0, 99)):02d}"
    month = f"{draw(st.integers(1, 12)):02d}"
    abroad = st.tuples(st.sampled_from(["99"]), st.integers(100, 599).map(str))
    in_france = st.one_of(
        st.tuples(st.integers(1, 95).map(lambda d: f"{d:02d}"),
                  st.integers(1, 999).map(lambda c: f"{c:03d}")),
        st.tuples(st.sampled_from(["2A", "2B"]), st.integers(1, 366).map(lambda c: f"{c:03d}")))
    places = st.one_of(abroad, in_france)
    if holder is not None:
        year = f"{holder.birth_date.year % 100:02d}"
        month = f"{holder.birth_date.month:02d}"
        country = holder.country_of_birth
        if country == "FR":
            places = in_france
        elif country in OVERSEAS_CODES:
            code = OVERSEAS_CODES[country]
            places = st.integers(1, 99).map(lambda c: (code[:2], f"{code[2]}{c:02d}"))
        else:
            places = abroad
    place = draw(places)
    order = f"{draw(st.integers(1, 999)):03d}"
    core = sex + year + month + place[0] + place[1] + order
    key = nir.calc_check_digits(core + "00")
    if valid:
        return core + key
    how = draw(st.sampled_from(["key", "month", "length"]))
    if how == "key":
        return core + f"{(int(key) % 97) + 1:02d}"
    if how == "month":
        bad = core[:3] + draw(st.sampled_from(["00", "13", "19", "45", "99"])) + core[5:]
        return bad + nir.calc_check_digits(bad + "00")
    return (core + key)[: draw(st.integers(1, 14))]


@st.composite
def covers(draw: st.DrawFn) -> Cover:
    """Top-up contracts: CSS, responsable or not, levels 0 to 300 % of the base."""
    levels = st.sampled_from([Decimal(0), Decimal(100), Decimal(125), Decimal(150),
                              Decimal(200), Decimal(300)])
    keys = st.sampled_from(["default", "gp_consultation", "specialist_consultation",
                            "optics", "dental", "hospital_stay"])
    return Cover(name=draw(st.sampled_from(["basic", "student", "200 %"])),
                 kind=draw(st.sampled_from(["mutuelle", "mutuelle", "css"])),
                 responsable=draw(st.booleans()),
                 levels=draw(st.dictionaries(keys, levels, max_size=3)),
                 levels_non_optam=draw(st.dictionaries(st.just("default"), levels,
                                                       max_size=1)),
                 yearly_allowance=draw(st.dictionaries(st.sampled_from(["optics", "dental"]),
                                                       amounts(200), max_size=2)),
                 hospital_daily_charge=draw(st.booleans()))


def scenarios() -> st.SearchStrategy[Scenario]:
    """Scenarios for :func:`ssreg.compare`: a cover (or none), a shift of -1 to 1 years.

    >>> from hypothesis import find
    >>> find(scenarios(), lambda s: s.years == 1).years
    1
    """
    return st.builds(Scenario, cover=st.none() | covers(), years=st.integers(-1, 1))


CARE_TYPES = ("gp_consultation", "specialist_consultation", "gp_teleconsultation",
              "midwife_consultation", "psychologist_session", "medicine", "paramedical",
              "lab_biology", "lab_pathology", "radiology", "dental", "optics",
              "hospital_stay", "emergency_visit", "costly_act", "medical_device")
MEDICINE_CLASSES = ("irreplaceable", "major", "moderate", "low", "homeopathy")
SPECIALTIES = ("general", "gynaecology", "ophthalmology", "psychiatry", "neurology",
               "geriatrics", "cardiology", "other")


@st.composite
def claims(draw: st.DrawFn, persons: tuple[str, ...] = ("a", "b", "c"),
           start: date = date(2022, 1, 1), end: date = date(2026, 12, 31),
           care: str | None = None) -> Claim:
    """Valid claims for the built-in rulebook's care types, with an age (or a birth
    date), over the dated periods; ``care`` fixes the care type.  Any field with a
    default may be left out (priced on its default, named among the assumptions)."""
    maybe_bool = st.none() | st.booleans()
    kind = care or draw(st.sampled_from(CARE_TYPES))
    day = draw(evaluation_dates(start, end))
    billed = draw(amounts(400, 120 if kind == "costly_act" else 0))
    with_birth = draw(st.booleans())
    age = draw(_ages(None))
    fields: dict[str, Any] = {}
    if with_birth:
        fields["birth_date"] = _birth(draw, day, age)
    else:
        fields["age"] = age
    days = draw(st.none() | st.integers(0, 40)) if kind == "hospital_stay" else None
    if kind == "hospital_stay":
        # a stay's explicit base must fit in its bill with the daily charges (never cut)
        room = billed - 23 * (days or 0)
        base = draw(st.none() | st.just(room)) if room > 0 else None
        if draw(st.booleans()):
            start = day - timedelta(days=draw(st.integers(0, 400)))
            fields["pregnancy_start"] = start
            fields["delivery_date"] = draw(st.none() | st.just(start + timedelta(days=270)))
        fields["costly_act_in_stay"] = draw(maybe_bool)
    else:
        base = draw(st.none() | amounts(300, 120 if kind == "costly_act" else 0))
    return Claim(
        care=kind, date=day, billed=billed, person=draw(st.sampled_from(persons)),
        base=base,
        provider=draw(st.none() | st.sampled_from(["dr-a", "dr-b", "lab-1"])),
        sector=draw(st.none() | st.sampled_from(("sector_1", "sector_2_optam", "sector_2",
                                                  "sector_3"))),
        specialty=draw(st.none() | st.sampled_from(SPECIALTIES)),
        medicine_class=draw(st.sampled_from(MEDICINE_CLASSES)) if kind == "medicine" else None,
        optics_item=draw(st.sampled_from((None, *OPTICS_ITEMS))) if kind == "optics" else None,
        boxes=draw(st.none() | st.integers(min_value=1, max_value=4)),
        referent_doctor_declared=draw(maybe_bool), referent_doctor_seen=draw(maybe_bool),
        referred=draw(maybe_bool), emergency=draw(maybe_bool),
        away_from_home=draw(maybe_bool), ald=draw(maybe_bool), css=draw(maybe_bool),
        pregnancy_window=draw(maybe_bool), contraception=draw(maybe_bool),
        emergency_contraception=draw(maybe_bool) if kind == "medicine" else None,
        prescribed_by_sector_3=draw(maybe_bool),
        hospital_days=days,
        psychiatry=draw(maybe_bool) if kind == "hospital_stay" else None, **fields)


def claim_data(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Claims in the plain JSON form (amounts as strings, dates as ISO strings)."""
    return claims(**kwargs).map(unstructure)


@st.composite
def cases(draw: st.DrawFn, route: str | None = None, on: date | None = None,
          with_claims: bool = True) -> Case:
    """Valid cases: a student (route-targeted), documents, claims of the student, a cover."""
    day = on or date(2026, 10, 1)
    student = draw(students(route=route, on=day))
    docs = draw(st.lists(documents(on=day), max_size=6))
    own = []
    if with_claims:
        for claim in draw(st.lists(claims(persons=("student",), start=max(
                student.birth_date + timedelta(days=366), date(2022, 1, 1)),
                end=max(day, date(2022, 1, 2))), max_size=4)):
            own.append(Claim(**{**{k: getattr(claim, k) for k in unstructure(claim)},
                                "age": None, "birth_date": None}))
    return Case(student=student, documents=tuple(docs), claims=tuple(own),
                cover=draw(st.none() | covers()))


def case_data(**kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Cases in the plain JSON form a web form would send."""
    return cases(**kwargs).map(unstructure)
