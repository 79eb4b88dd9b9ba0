import pytest

from ansinh.lib.vn_words import amount_in_words, number_in_words

CASES = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_000, "Một nghìn đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (1_100, "Một nghìn một trăm đồng"),
    (110_000, "Một trăm mười nghìn đồng"),
    (300_000, "Ba trăm nghìn đồng"),
    (750_000, "Bảy trăm năm mươi nghìn đồng"),
    (1_000_001, "Một triệu không trăm linh một đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (2_055_000, "Hai triệu không trăm năm mươi lăm nghìn đồng"),
    (5_000_300, "Năm triệu ba trăm đồng"),
    (7_645_000, "Bảy triệu sáu trăm bốn mươi lăm nghìn đồng"),
    (21_021_021, "Hai mươi mốt triệu không trăm hai mươi mốt nghìn không trăm hai mươi mốt đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (5_842_200_000, "Năm tỷ tám trăm bốn mươi hai triệu hai trăm nghìn đồng"),
    (11_076_000_000, "Mười một tỷ không trăm bảy mươi sáu triệu đồng"),
    (2_000_000_001, "Hai tỷ không trăm linh một đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (3_500_000_000_000, "Ba nghìn năm trăm tỷ đồng"),
    (1_000_005_000_000, "Một nghìn tỷ không trăm linh năm triệu đồng"),
    (-300_000, "Âm ba trăm nghìn đồng"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_it_reads_amounts_as_vouchers_do(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_it_reads_numbers_without_dong() -> None:
    assert number_in_words(21) == "Hai mươi mốt"
    assert number_in_words(0) == "Không"
    assert number_in_words(-5) == "Âm năm"


def test_it_refuses_what_is_not_a_whole_number() -> None:
    with pytest.raises(ValueError):
        number_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        number_in_words(True)
