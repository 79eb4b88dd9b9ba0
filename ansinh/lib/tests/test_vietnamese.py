from decimal import Decimal

from ansinh.lib.vietnamese import fold, format_number, format_percent, sort_key


def test_it_folds_accents_and_d_bar():
    assert fold("Trà  Cú") == "tra cu"
    assert fold("ĐẶC KHU Côn Đảo") == "dac khu con dao"
    assert fold("Ngãi Xuyên") == "ngai xuyen"


def test_it_sorts_in_vietnamese_dictionary_order():
    names = ["Đông Hòa", "Dương", "Zô", "Ân", "An", "Ăn", "Anh", "An Bình", "Bà", "Ba", "Bả", "Bá", "Bạ", "Bã"]
    expected = ["An", "An Bình", "Anh", "Ăn", "Ân", "Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Dương", "Đông Hòa", "Zô"]
    assert sorted(names, key=sort_key) == expected


def test_it_orders_o_letters_and_u_horn():
    assert sorted(["ơ", "o", "ô", "u", "ư", "v"], key=sort_key) == ["o", "ô", "ơ", "u", "ư", "v"]


def test_it_sort_key_is_plain_ascii_digits():
    key = sort_key("Xã Trà Cú, ấp 3")
    assert key.isascii() and key.isdigit()


def test_it_formats_numbers_the_vietnamese_way():
    assert format_number(7645) == "7.645"
    assert format_number(5842200000) == "5.842.200.000"
    assert format_number(Decimal("13747.46"), 1) == "13.747,5"
    assert format_percent(21.3) == "21,3%"
    assert format_percent(Decimal("33.2")) == "33,2%"
    assert format_number(0) == "0"
