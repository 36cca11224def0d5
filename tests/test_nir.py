"""The social security number: structure and key by stdnum, the rest with precise reasons."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

import ssreg
from ssreg.fr import nir
from ssreg.testing import nirs


@given(nirs(valid=True))
def test_generated_valid_numbers_validate_and_format_back(number):
    assert nir.is_valid(number)
    assert nir.validate(nir.format(number)) == nir.compact(number)


@given(nirs(valid=False))
def test_generated_invalid_numbers_are_refused_with_a_reason(number):
    result = nir.check(number)
    assert not result.valid
    assert result.errors
    with pytest.raises(nir.InvalidNir) as info:
        nir.validate(number)
    assert info.value.problems[0].path == "number"


@given(st.text(max_size=40) | st.integers() | st.none() | st.binary(max_size=20))
def test_is_valid_never_raises(junk):
    assert nir.is_valid(junk) in (True, False)
    nir.check(junk)


@pytest.mark.parametrize(("number", "codes"), [
    ("2951099126111", ["length"]),
    ("295109912611199", ["key"]),
    ("295139912611194", ["month"]),
    ("295100012611167", ["department"]),
    ("2951099000111xx", ["format"]),
    ("29510990001", ["length"]),
    ("295109900011162", ["country"]),
    ("295107505600020", ["order"]),
    ("295107500011120", ["commune"]),
])
def test_precise_reasons(number, codes):
    from stdnum.fr import nir as stdnum_nir

    result = nir.check(number)
    if codes not in (["format"], ["length"], ["key"]):
        # give the number a right key so that only the named reason remains
        fixed = number[:13] + stdnum_nir.calc_check_digits(number[:13] + "00")
        result = nir.check(fixed)
    assert [p.code for p in result.errors] == codes


@pytest.mark.parametrize(("number", "status", "abroad"), [
    ("295109912611193", "definitive", True),
    ("795019912345626", "possibly_provisional", True),
    ("253072B07300470", "definitive", False),
    ("253072A07300443", "definitive", False),
])
def test_definitive_or_possibly_provisional_never_rejected_for_the_first_digit(number, status,
                                                                               abroad):
    result = nir.check(number)
    assert result.valid and result.status == status and result.born_abroad is abroad


def test_an_unusual_first_digit_is_a_remark_not_an_error():
    from stdnum.fr import nir as stdnum_nir

    core = "5951099126111"
    result = nir.check(core + stdnum_nir.calc_check_digits(core + "00"))
    assert result.valid and result.status == "unknown"
    assert [p.code for p in result.problems] == ["unusual_sex_digit"]


def test_reasons_in_three_languages():
    problem = nir.check("295109912611199").errors[0]
    assert "wrong key" in problem.message("en")
    assert "clé erronée" in problem.message("fr")
    assert "clave errónea" in problem.message("es")


def test_incomplete_civil_record_months_are_accepted_with_a_remark():
    from stdnum.fr import nir as stdnum_nir

    core = "1953099126111"
    result = nir.check(core + stdnum_nir.calc_check_digits(core + "00"))
    assert result.valid
    assert [p.code for p in result.problems] == ["incomplete_record_month"]


# --------------------------------------------------------------------------- against the student


def build(sex: str, born: date, place: str, order: str = "123") -> str:
    """A valid number: sex digit, year, month, a 5-character place, order, key."""
    core = f"{sex}{born.year % 100:02d}{born.month:02d}{place}{order}"
    return core + stdnum_nir.calc_check_digits(core)


def test_the_decoded_fields():
    found = nir.check("295109912611193")
    assert (found.sex, found.birth_year, found.birth_month, found.department,
            found.commune, found.country_code, found.order) == (
        "female", "95", 10, "99", "126", "99126", "111")
    assert nir.check("2A5109912611193").sex is None  # not readable: empty, not invented
    corsica = nir.check(build("1", date(1990, 5, 1), "2A004"))
    assert (corsica.department, corsica.country_code, corsica.birth_month) == ("2A", "", 5)
    assert nir.check(build("2", date(2004, 3, 1), "99126")).to_dict()["country_code"] == "99126"


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2015, 12, 31)),
       st.sampled_from(["female", "male"]),
       st.sampled_from([("75056", "FR"), ("97411", "RE"), ("2A004", "FR"), ("99126", "BR"),
                        ("99109", "DE"), ("98735", "PF")]))
def test_a_number_built_from_the_student_matches_and_each_change_is_named(born, sex, place):
    code, country = place
    number = build("2" if sex == "female" else "1", born, code)
    assert nir.check_against(number, birth_date=born, sex=sex, country_of_birth=country) == ()
    other = "male" if sex == "female" else "female"
    assert [p.code for p in nir.check_against(number, sex=other)] == ["sex_mismatch"]
    later = date(born.year + 1, born.month, 1)
    assert [p.code for p in nir.check_against(number, birth_date=later)] == ["year_mismatch"]
    moved = date(born.year, born.month % 12 + 1, 1)
    assert [p.code for p in nir.check_against(number, birth_date=moved)] == ["month_mismatch"]
    elsewhere = "CA" if code.startswith("99") is False else "FR"
    expected = "born_abroad_mismatch" if code.startswith("99") else "born_in_france_mismatch"
    assert [p.code for p in nir.check_against(number, country_of_birth=elsewhere)] == [
        expected]


def test_the_issue_reproducer_a_man_of_1990_for_a_girl_of_2010():
    found = nir.check_against("190017510812362", birth_date=date(2010, 12, 5), sex="female",
                              country_of_birth="FR")
    assert [p.code for p in found] == ["sex_mismatch", "year_mismatch", "month_mismatch"]
    assert all(p.message(lang) for p in found for lang in ("en", "fr", "es"))


def test_forms_that_carry_less_are_compared_on_what_they_carry():
    # a month code of an incomplete civil record (20-42, 50) carries no month
    unknown_month = "204209912611156"
    assert nir.check(unknown_month).birth_month is None
    assert nir.check_against(unknown_month, birth_date=date(2004, 7, 9), sex="female",
                             country_of_birth="BR") == ()
    # the first digit of a provisional number is not compared (secondary sources only)
    provisional = build("7", date(2004, 3, 1), "99126")
    assert nir.check_against(provisional, sex="female", birth_date=date(2004, 3, 1),
                             country_of_birth="BR") == ()
    # born in Algeria before independence may carry 91-94
    assert nir.check_against(build("1", date(1955, 3, 1), "91352"),
                             country_of_birth="DZ") == ()
    # an invalid number is not compared: its own problems say why
    assert nir.check_against("190017510812399", sex="female") == ()


def test_bad_holder_facts_are_refused_naming_each():
    with pytest.raises(ssreg.InvalidInputError) as info:
        nir.check_against("190017510812362", birth_date="5 Dec 2010", sex="F")
    assert [p.path for p in info.value.problems] == ["birth_date", "sex"]
