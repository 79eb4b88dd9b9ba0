import pytest

from ansinh.lib.citizen_id import CitizenIdError, check_citizen_id, mask_citizen_id, parse_citizen_id


def test_it_reads_province_sex_and_birth_year():
    parsed = parse_citizen_id("084185000123")
    assert (parsed.province_code, parsed.sex, parsed.birth_year) == ("084", "female", 1985)
    assert parse_citizen_id("079203001234").birth_year == 2003
    assert parse_citizen_id("079203001234").sex == "male"
    assert parse_citizen_id("079303001234").sex == "female"
    assert parse_citizen_id("001090001234").sex == "male"


@pytest.mark.parametrize("bad", ["", "08418500012", "0841850001234", "08418500012a", "000185000123", "097185000123"])
def test_it_rejects_malformed_numbers(bad):
    with pytest.raises(CitizenIdError):
        parse_citizen_id(bad)


def test_it_checks_agreement_with_sex_and_birth_year():
    check_citizen_id("084185000123", sex="female", birth_year=1985)
    with pytest.raises(CitizenIdError, match="giới tính"):
        check_citizen_id("084185000123", sex="male")
    with pytest.raises(CitizenIdError, match="1985"):
        check_citizen_id("084185000123", birth_year=1986)


def test_it_masks_all_but_the_last_three_digits():
    assert mask_citizen_id("084185000123") == "•••••••••123"
