"""The 12-digit citizen identity number (số định danh cá nhân / CCCD).

Legal basis: Decree 137/2015/NĐ-CP, Art. 7, as amended; Circular 07/2016/TT-BCA, Art. 7:
digits 1-3 the code of the province where the birth was registered, digit 4 sex and century,
digits 5-6 the last two digits of the birth year, digits 7-12 a random number.
Sex/century digit: 0/1 male/female born 1900-1999, 2/3 for 2000-2099, 4/5 for 2100-2199,
6/7 for 2200-2299, 8/9 for 1800-1899.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sex = Literal["male", "female"]
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


@dataclass(frozen=True)
class CitizenId:
    number: str
    province_code: str
    sex: Sex
    birth_year: int


class CitizenIdError(ValueError):
    """The number cannot be a citizen identity number; the message is for the user."""


def parse_citizen_id(number: str) -> CitizenId:
    """Parses and checks the shape of a citizen ID; raises CitizenIdError with a Vietnamese reason."""
    digits = number.strip().replace(" ", "")
    if len(digits) != 12 or not digits.isdigit():
        raise CitizenIdError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    province = digits[:3]
    if not 1 <= int(province) <= 96:
        raise CitizenIdError(f"Ba chữ số đầu ({province}) không phải mã tỉnh nơi đăng ký khai sinh.")
    code = int(digits[3])
    sex: Sex = "male" if code % 2 == 0 else "female"
    return CitizenId(digits, province, sex, _CENTURY[code] + int(digits[4:6]))


def check_citizen_id(number: str, *, sex: Sex | None = None, birth_year: int | None = None) -> CitizenId:
    """Parses the number and checks that it agrees with the person's sex and birth year."""
    parsed = parse_citizen_id(number)
    if sex is not None and parsed.sex != sex:
        said = "nam" if parsed.sex == "male" else "nữ"
        raise CitizenIdError(f"Chữ số thứ tư của số định danh ứng với giới tính {said}, không khớp với giới tính đã khai.")
    if birth_year is not None and parsed.birth_year != birth_year:
        raise CitizenIdError(
            f"Số định danh ứng với năm sinh {parsed.birth_year}, không khớp với năm sinh đã khai ({birth_year})."
        )
    return parsed


def mask_citizen_id(number: str) -> str:
    """For lists (Decree 13/2023/NĐ-CP): only the last three digits stay visible."""
    digits = number.strip()
    if len(digits) <= 3:
        return "•" * len(digits)
    return "•" * (len(digits) - 3) + digits[-3:]
