"""The social security number: structure and key by stdnum, the rest with precise reasons."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
