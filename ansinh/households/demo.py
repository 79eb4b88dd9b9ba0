"""A realistic, deterministic demo province: households, members and two years of living conditions.

Used by `ansinh demo generate` (demo mode only) and by the benchmark, which creates 300,000 and
1,000,000 households with it, so everything is generated as NumPy arrays and written with
`ansinh.lib.bulk.insert_rows`; Python touches one row only to build the tuples it writes.

What is realistic about it (sources in brackets, all figures rounded):
- households per commune vary around the province's mean; wards (phường) and townships (thị
  trấn) are urban (Decree 07/2021/NĐ-CP, Art. 3; Decision 24/2021/QĐ-TTg);
- household size 1–9, mean ≈ 3.6, with single elderly people, couples, nuclear families, three
  generations and skipped generations (Population and Housing Census 2019);
- ethnic mix of the legacy province each household comes from (Census 2019): Khmer in the
  Mekong delta (≈ 31 % in old Trà Vinh, 30 % in old Sóc Trăng), Tày, Thái, Mông, Dao, Nùng in
  the northern mountains, Ê Đê, Gia Rai, Ba Na in the central highlands, Hoa in the cities,
  and so on; minorities cluster in some communes, as they do;
- names in the style of each group; citizen IDs that agree with sex and birth year (Decree
  137/2015/NĐ-CP, Art. 7; Circular 07/2016/TT-BCA, Art. 7) and are unique in the database;
- facts and living conditions drawn from one latent "welfare" per household, so income,
  schooling, insurance, housing, water and sanitation are correlated, minorities and rural
  households are poorer, and under the 2022–2025 standard about 3–5 % of households are poor
  and 5–7 % near-poor in a Mekong province (more in the northern mountains, fewer in the big
  cities), the calibration the demo asks for;
- two review years (the year asked and the one before): most households improve a little, a
  few fall back, so review rounds show every transition.

Deterministic: one `numpy.random.default_rng` stream per purpose and per block of `BLOCK`
households, seeded from the seed, the province code and the block number; nothing depends on
dict or set order or on today's date (only the timestamps `created_at`/`updated_at` and the new
hamlets' `valid_from` are the time of the run). Changing `BLOCK` changes the data.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.geo.models import Edition, Kind, Level, Succession, Unit
from ansinh.geo.services import hamlet_create
from ansinh.lib.bulk import insert_rows, next_ids
from ansinh.lib.vietnamese import fold, format_number, sort_key

from .models import Household, LivingConditions, Member

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

BLOCK = 20_000  # households generated and written at a time: bounds memory, not the result
MAX_SIZE = 9

# The demo commune gets real hamlets (ấp) so that hamlet pages have something to show.
DEMO_HAMLETS: dict[str, list[str]] = {
    "29461": ["Ấp Chợ", "Ấp Xoài Xiêm", "Ấp Mé Rạch", "Ấp Giồng Chanh", "Ấp Sóc Chuối", "Ấp Bà Nhì",
              "Ấp Trà Kha", "Ấp Đông Sơn"],
}

# --- Ethnic mix ---------------------------------------------------------------------------------
# Shares of households by the ethnicity of the head, per legacy province (the 63-province codes),
# from the Population and Housing Census 2019, rounded; the rest are Kinh (01). Codes are those of
# ansinh.lib.ethnicity.
ETHNIC_MIX: dict[str, dict[str, float]] = {
    # Northern mountains
    "02": {"08": 0.32, "02": 0.23, "09": 0.15, "07": 0.09, "35": 0.02},
    "04": {"02": 0.41, "07": 0.31, "08": 0.11, "09": 0.10},
    "06": {"02": 0.52, "09": 0.17, "07": 0.09, "08": 0.07},
    "08": {"02": 0.25, "09": 0.12, "15": 0.08, "08": 0.02, "07": 0.02},
    "10": {"08": 0.25, "02": 0.15, "09": 0.14, "25": 0.04, "07": 0.04},
    "11": {"03": 0.38, "08": 0.35, "29": 0.03},
    "12": {"03": 0.32, "08": 0.25, "09": 0.12, "35": 0.04, "25": 0.02},
    "14": {"03": 0.53, "08": 0.16, "06": 0.07, "09": 0.02, "29": 0.02},
    "15": {"02": 0.18, "09": 0.11, "08": 0.10, "03": 0.06},
    "17": {"06": 0.63, "03": 0.04, "02": 0.03, "09": 0.02},
    "19": {"02": 0.11, "07": 0.05, "18": 0.04, "15": 0.02, "09": 0.02},
    "20": {"07": 0.42, "02": 0.35, "09": 0.03},
    "22": {"09": 0.05, "02": 0.03, "18": 0.02},
    "24": {"07": 0.04, "02": 0.025, "15": 0.02, "18": 0.01},
    "25": {"06": 0.14},
    "26": {"18": 0.03},
    # North central and central coast
    "37": {"06": 0.02},
    "38": {"06": 0.09, "03": 0.06},
    "40": {"03": 0.10, "29": 0.015, "08": 0.01},
    "44": {"23": 0.02},
    "45": {"23": 0.09, "31": 0.02},
    "46": {"31": 0.02, "26": 0.01},
    "49": {"26": 0.03, "14": 0.03, "27": 0.01},
    "51": {"19": 0.11, "30": 0.025, "14": 0.015},
    "52": {"13": 0.02},
    "54": {"12": 0.02, "13": 0.02},
    "56": {"21": 0.04},
    "58": {"17": 0.12, "21": 0.11},
    "60": {"17": 0.03, "21": 0.01},
    # Central highlands
    "62": {"14": 0.25, "13": 0.12, "27": 0.06},
    "64": {"10": 0.30, "13": 0.13},
    "66": {"12": 0.18, "07": 0.04, "02": 0.03, "20": 0.02, "08": 0.01},
    "67": {"20": 0.10, "07": 0.06, "08": 0.05, "02": 0.04},
    "68": {"16": 0.12, "28": 0.02, "36": 0.01, "07": 0.01},
    # South east
    "70": {"22": 0.09, "07": 0.02, "05": 0.018, "02": 0.015},
    "72": {"05": 0.006, "17": 0.003},
    "74": {"04": 0.01},
    "75": {"04": 0.03, "07": 0.018, "32": 0.006},
    "77": {"04": 0.01, "32": 0.007},
    "79": {"04": 0.045, "05": 0.005},
    # Mekong delta
    "84": {"05": 0.31, "04": 0.006},
    "86": {"05": 0.021, "04": 0.004},
    "89": {"05": 0.042, "17": 0.007, "04": 0.004},
    "91": {"05": 0.125, "04": 0.02},
    "92": {"05": 0.016, "04": 0.012},
    "93": {"05": 0.02, "04": 0.005},
    "94": {"05": 0.30, "04": 0.05},
    "95": {"05": 0.08, "04": 0.03},
    "96": {"05": 0.012, "04": 0.004},
}
# Khmer share of the legacy districts where the Khmer live (Census 2019, rounded): within a
# province they are far from even (Trà Cú is mostly Khmer, Càng Long hardly).
KHMER_BY_DISTRICT = {
    "842": 0.17, "844": 0.08, "845": 0.30, "846": 0.28, "847": 0.41, "848": 0.42, "849": 0.61, "850": 0.20,
    "851": 0.15,  # Trà Vinh
    "941": 0.17, "942": 0.45, "943": 0.15, "944": 0.40, "945": 0.05, "946": 0.25, "947": 0.38, "948": 0.10,
    "949": 0.25, "950": 0.53, "951": 0.40,  # Sóc Trăng
    "890": 0.33, "891": 0.38,  # An Giang: Tịnh Biên, Tri Tôn
    "899": 0.12, "902": 0.15, "903": 0.20, "905": 0.25, "906": 0.20, "907": 0.26, "908": 0.08, "909": 0.08,
    "914": 0.15,  # Kiên Giang
    "954": 0.10, "956": 0.12, "957": 0.08, "958": 0.20, "961": 0.10,  # Bạc Liêu
}
CLUSTER_CONCENTRATION = 3.0  # Dirichlet(mean·c) per legacy commune: the smaller c, the stronger the clustering

# Welfare of the head's group against the Kinh majority (Multidimensional poverty by ethnicity,
# CEMA and GSO survey of 53 ethnic minorities 2019: poverty several times the Kinh rate).
ETHNIC_WELFARE = {"01": 0.0, "04": 0.3, "05": -0.55, "08": -1.0, "09": -0.8, "03": -0.6, "02": -0.4,
                  "07": -0.45, "06": -0.4}
OTHER_MINORITY_WELFARE = -0.7
REGION_WELFARE = {"northern_mountains": -0.35, "red_river_delta": 0.3, "central_coast": -0.05,
                  "central_highlands": -0.25, "south_east": 0.4, "mekong_delta": 0.0}
# Income level of the region against the Mekong delta, roughly as in GSO's Household Living
# Standards Survey 2022.
REGION_INCOME = {"northern_mountains": 0.72, "red_river_delta": 1.22, "central_coast": 0.93,
                 "central_highlands": 0.9, "south_east": 1.3, "mekong_delta": 1.0}
INCOME_LEVEL = 1.2  # calibrates the share of households under the poverty line
SOUTH = {"south_east", "mekong_delta", "central_highlands"}  # Huỳnh and Võ rather than Hoàng and Vũ
URBAN_HAMLET = {"mekong_delta": "Khóm", "south_east": "Khu phố"}
RURAL_HAMLET = {"mekong_delta": "Ấp", "south_east": "Ấp", "northern_mountains": "Bản"}
HAMLETS_PER_COMMUNE = 12

# --- Names --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameStyle:
    """How a group's names are built: weighted family names, middle names and given names by sex.

    `pattern` is "family middle given" (Kinh and most groups), "y-given-family" (Ê Đê: "Y Bhin
    Niê", "H'Hen Niê") or "family-given" (Gia Rai: "Ksor Phik", "Siu H'Bia").
    """

    family: tuple[tuple[str, float], ...]
    middle_male: tuple[tuple[str, float], ...]
    middle_female: tuple[tuple[str, float], ...]
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]
    pattern: str = "family middle given"


def _w(text: str) -> tuple[tuple[str, float], ...]:
    """"Nguyễn 38, Trần 11" -> (("Nguyễn", 38.0), ("Trần", 11.0)); an empty name is written "-"."""
    out = []
    for part in text.split(","):
        name, weight = part.strip().rsplit(" ", 1)
        out.append(("" if name == "-" else name, float(weight)))
    return tuple(out)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


_KINH_MALE = _names(
    "Hùng, Dũng, Tuấn, Minh, Nam, Sơn, Long, Hải, Thành, Phúc, Tài, Lộc, Hòa, Bình, An, Khang, Bảo, Huy, "
    "Khoa, Trung, Hiếu, Phong, Quang, Cường, Tâm, Thắng, Vinh, Tùng, Tín, Nghĩa, Nhân, Trí, Đạt, Kiên, Hậu, "
    "Thiện, Toàn, Hưng, Phát, Duy, Đức, Tú, Khánh, Thịnh, Hoàng, Quý, Lợi, Út, Tư, Hiền, Sang, Trọng, Luân, "
    "Nhựt, Hoàng Anh, Minh Khôi, Gia Huy, Thanh Tâm")
_KINH_FEMALE = _names(
    "Lan, Hoa, Hương, Hằng, Mai, Linh, Trang, Thảo, Nhung, Hạnh, Thủy, Hà, Ngọc, Yến, Phương, Loan, Nga, "
    "Thu, Tuyết, Hồng, Vân, Anh, Trinh, Nhi, Vy, My, Hân, Thư, Quỳnh, Diễm, Kiều, Ánh, Dung, Liên, Huệ, Cúc, "
    "Đào, Lài, Bé, Út, Xuân, Nương, Mỹ Linh, Ngọc Anh, Bảo Ngân, Kim Ngân, Thanh Thảo, Gia Hân")
_KINH_MIDDLE_MALE = _w("Văn 45, Hữu 7, Minh 8, Đức 5, Quốc 5, Thanh 6, Công 4, Hoàng 4, Ngọc 3, Tấn 4, Thành 3, "
                       "Duy 2, Quang 3, Trọng 2, Xuân 2, Anh 2")
_KINH_MIDDLE_FEMALE = _w("Thị 55, Ngọc 10, Thanh 6, Kim 6, Mỹ 4, Hồng 4, Thu 3, Bích 3, Phương 3, Minh 3, Diệu 2")
_KINH_FAMILY_SOUTH = _w("Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Huỳnh 5, Phan 4.5, Võ 4, Trương 2, Bùi 2, Đặng 2, "
                        "Đỗ 1.4, Ngô 1.3, Hồ 1.3, Dương 1, Lý 0.6, Đinh 0.6, Lâm 0.6, Mai 0.5, Châu 0.5, Tô 0.4, "
                        "Đoàn 0.5, Cao 0.4, Lương 0.4, Thái 0.3, Tạ 0.2")
_KINH_FAMILY_NORTH = _w("Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 5, Phan 3, Vũ 4, Đặng 2, Bùi 2.5, Đỗ 2, "
                        "Ngô 1.3, Hồ 1, Dương 1, Lý 0.5, Đinh 1, Trịnh 1, Mai 0.6, Đoàn 0.6, Cao 0.5, Lương 0.5, "
                        "Hà 0.6, Tạ 0.3, Kiều 0.2, Chu 0.3, Lại 0.3")

NAME_STYLES: dict[str, NameStyle] = {
    "kinh_south": NameStyle(_KINH_FAMILY_SOUTH, _KINH_MIDDLE_MALE, _KINH_MIDDLE_FEMALE, _KINH_MALE, _KINH_FEMALE),
    "kinh_north": NameStyle(_KINH_FAMILY_NORTH, _KINH_MIDDLE_MALE, _KINH_MIDDLE_FEMALE, _KINH_MALE, _KINH_FEMALE),
    "khmer": NameStyle(
        _w("Thạch 30, Sơn 20, Kim 12, Danh 10, Lâm 8, Châu 5, Lý 4, Trần 3, Huỳnh 2, Dương 2, Triệu 2, Kiên 2"),
        _w("- 75, Văn 15, Ngọc 10"), _w("Thị 85, - 15"),
        _names("Sóc, Sa Rinh, Chanh Đa, Sa Phên, Sô Phal, Pho, Ri, Dên, Sương, Thươl, Xây, Sa Rên, Phol, "
               "Sa Vết, Kha, Rươl, Som Bo, Huôl, Hên, Sa Quắt, Chanh Thu, Sà Rây, Bol, Sê, Mến, Chưa, Thy, Đen"),
        _names("Sa Ri, Sa Rươn, Phách, Sà Quênh, Sô Phi, Chanh Thy, Mách, Sa Mol, Ny, Chăm Rơn, Sa Uôl, Sa Vy, "
               "Sóc Kha, Sà Rết, Sa Phia, Sóc Thi, Phol La, Srây, Sa Quênh, Đa Ra")),
    "hoa": NameStyle(
        _w("Lâm 14, Quách 10, Trịnh 8, Tăng 8, Lý 10, Mã 6, Diệp 6, Hứa 6, Lư 5, Thái 5, Trương 8, Hồng 3, "
           "Từ 4, La 4, Giang 3"),
        _w("Văn 30, Quốc 15, Minh 15, Gia 15, Kiến 10, Vĩnh 15"),
        _w("Thị 30, Mỹ 20, Ngọc 20, Tú 10, Bội 10, Huệ 10"),
        _names("Kiệt, Cường, Phát, Hưng, Quang, Vinh, Thành, Tài, Lợi, Hào, Khải, Tuấn, Minh, Hoa, Sang"),
        _names("Linh, Phương, Mai, Hoa, Quyên, Trân, Nghi, Mẫn, Tuệ, Kỳ, Lan, Hân, Vy, Ngọc, Dung")),
    "tay": NameStyle(
        _w("Hoàng 18, Nông 15, Bế 8, Đàm 6, Lương 8, Vi 6, Hà 6, Lục 5, Triệu 5, Ma 6, Ngôn 3, Lâm 4, Chu 4, "
           "La 3, Nguyễn 5"),
        _w("Văn 70, Đức 15, Quang 15"), _w("Thị 90, Thu 10"),
        _names("Dũng, Thành, Hùng, Sinh, Lợi, Khải, Pấu, Thịnh, Tuấn, Dinh, Quân, Sáng, Hoan, Tiến, Lành"),
        _names("Hoa, Dinh, Mây, Lý, Nhàn, Phương, Dịu, Thơm, Chiêm, Hạnh, Hiền, Lan, Thúy, Nga")),
    "thai": NameStyle(
        _w("Lò 25, Lường 15, Cầm 12, Quàng 10, Tòng 8, Lù 6, Điêu 6, Hà 8, Vì 5, Lê 5"),
        _w("Văn 90, Đức 10"), _w("Thị 100"),
        _names("Pấng, Ún, Xương, Hịa, Khăm, Inh, Thắng, Phanh, Dương, Hươn, Chiến, Khánh, Sơn, Tiến"),
        _names("Ênh, Xiêng, Phong, Ún, Hoa, Bun, Pâng, Lả, Lún, Hương, Mai, Thoa, Pọm")),
    "mong": NameStyle(
        _w("Giàng 18, Sùng 14, Vàng 14, Thào 12, Lý 10, Hầu 6, Mùa 6, Sình 5, Ly 5, Tráng 4, Lầu 3, Hạng 3"),
        _w("A 70, Seo 15, Văn 15"), _w("Thị 85, - 15"),
        _names("Páo, Dình, Chứ, Sử, Dế, Lử, Chư, Tủa, Vừ, Sính, Pó, Khua, Lềnh, Dơ, Vảng, Chá"),
        _names("Mỷ, Dợ, Sua, Mai, Chá, Xí, Máy, Pằng, Dở, Chư, Súa, Lia, Sy, Mẩy")),
    "dao": NameStyle(
        _w("Triệu 25, Bàn 20, Lý 12, Đặng 12, Chảo 8, Phàn 8, Tẩn 6, Hoàng 5, Lò 4"),
        _w("Văn 60, Tà 15, Láo 10, Kim 15"), _w("Thị 70, Mùi 15, Tả 15"),
        _names("Phin, Quẩy, Sinh, Lở, Chòi, Cao, Sài, Tiến, Vần, Kiềm, Phú, Dùn, Chàn"),
        _names("Mây, Mẩy, Xiêm, Phây, Dua, Liều, Chòi, Nhàn, Kiều, Duyên, Hoa")),
    "muong": NameStyle(
        _w("Bùi 35, Đinh 20, Quách 12, Hà 10, Xa 6, Bạch 5, Cao 5, Nguyễn 7"),
        _KINH_MIDDLE_MALE, _KINH_MIDDLE_FEMALE, _KINH_MALE, _KINH_FEMALE),
    "ede": NameStyle(
        _w("Niê 18, Êban 12, Ksơr 12, Mlô 10, Byă 8, Adrơng 8, Buôn Yă 6, Êung 6, Hđơk 6, Kbuôr 5, Ayŭn 5, "
           "Mdrang 4"),
        _w("- 100"), _w("- 100"),
        _names("Bhin, Thuột, Sun, Blang, Ngông, Jôk, Khuê, Kô, Nuê, Suôn, Lang, Wai, Djôn, Hlơi"),
        _names("Hen, Bia, Lan, Ngơn, Ri, Djuê, Duôn, Lim, Nuen, Yôn, Ni, Hồng, Blúi, Mai"), "y-given-family"),
    "jarai": NameStyle(
        _w("Ksor 20, Rơ Châm 14, Rơ Mah 14, Siu 14, Nay 10, Kpă 10, Rơ Lan 8, Puih 6, Rcom 4"),
        _w("- 100"), _w("- 100"),
        _names("Phik, Tik, Thuất, Blơi, Đin, Bơ, Nhao, Ngơl, Hyơk, Yăng, Jek, Dơk, Thoan"),
        _names("H'Bia, H'Bơ, H'Ly, H'Nhuynh, H'Lan, H'Ngăn, H'Yơl, H'Hoa, H'Djuh, H'Mai"), "family-given"),
    "bana": NameStyle(
        _w("Đinh 40, Hồ 15, Hiên 10, Bhling 10, Alăng 10, Pơloong 10, Nay 5"),
        _w("Văn 60, - 40"), _w("Thị 60, - 40"),
        _names("Blúi, Thút, Pót, Nhưi, Hơl, Đốk, Khiêm, Brưk, Ngót, Rin, Lực, Nhơ, Điêu"),
        _names("Blưng, Hơn, Pích, Hyôn, Ngoan, Sinh, Mlưk, Hiên, Nhi, Bin, Thoa")),
    "cham": NameStyle(
        _w("Đàng 20, Thiên 10, Quảng 12, Phú 10, Lưu 8, Trượng 8, Thành 8, Từ 8, Bá 6, Châu 5, Ka 5"),
        _w("Văn 50, Năng 20, Ngọc 15, - 15"), _w("Thị 70, Ngọc 15, - 15"),
        _names("Thành, Sơn, Hải, Tài, Dũng, Sa, Ly, Mách, Hiếu, Kiên, Phú, Nhân"),
        _names("Sa, Ly, Hoa, Nữ, Thúy, Hằng, Mai, Diệu, Thu, Na, Hương")),
}
# Ethnic code -> name style; groups not listed use the Kinh style of their region.
STYLE_OF = {"05": "khmer", "04": "hoa", "02": "tay", "07": "tay", "15": "tay", "18": "tay", "25": "tay",
            "03": "thai", "29": "thai", "08": "mong", "35": "mong", "09": "dao", "06": "muong", "12": "ede",
            "36": "ede", "10": "jarai", "13": "bana", "14": "bana", "27": "bana", "16": "bana", "20": "bana",
            "22": "bana", "28": "bana", "19": "bana", "23": "bana", "26": "bana", "30": "bana", "31": "bana",
            "32": "bana", "17": "cham", "21": "cham"}
STYLE_NAMES = sorted(NAME_STYLES)
STYLE_INDEX = {name: i for i, name in enumerate(STYLE_NAMES)}


def _format_name(style: NameStyle, female: bool, family: str, middle: str, given: str) -> str:
    if style.pattern == "y-given-family":
        return f"H'{given} {family}" if female else f"Y {given} {family}"
    if style.pattern == "family-given":
        return f"{family} {given}"
    if middle and middle == given.split()[0]:  # not "Minh Minh Khôi": the usual middle name instead
        middle = (style.middle_female if female else style.middle_male)[0][0]
    return " ".join(part for part in (family, middle, given) if part)


for _style in NAME_STYLES.values():  # NameBook.key packs the indexes in 6, 6 and 8 bits
    assert len(_style.family) <= 64 and len(_style.middle_male) <= 64 and len(_style.middle_female) <= 64
    assert len(_style.given_male) <= 256 and len(_style.given_female) <= 256


class NameBook:
    """Full names by an integer key (style, sex, family, middle, given), built and folded once each.

    A province of a million households uses a few tens of thousands of distinct names, so the
    string work (`fold`, `sort_key`) is done per name, not per member.
    """

    def __init__(self) -> None:
        self.position: dict[int, int] = {}
        self.names: list[str] = []
        self.folded: list[str] = []
        self.keys: list[str] = []

    @staticmethod
    def key(style: IntArray, female: BoolArray, family: IntArray, middle: IntArray, given: IntArray) -> IntArray:
        return (((style * 2 + female) * 64 + family) * 64 + middle) * 256 + given

    def lookup(self, keys: IntArray) -> IntArray:
        """Positions in `names` of the given keys (new names are built on the way)."""
        unique, inverse = np.unique(keys, return_inverse=True)
        positions = np.empty(len(unique), dtype=np.int64)
        for i, key in enumerate(unique.tolist()):
            found = self.position.get(key)
            if found is None:
                found = len(self.names)
                rest, given = divmod(key, 256)
                rest, middle = divmod(rest, 64)
                rest, family = divmod(rest, 64)
                style_index, female = divmod(rest, 2)
                style = NAME_STYLES[STYLE_NAMES[style_index]]
                middles = style.middle_female if female else style.middle_male
                givens = style.given_female if female else style.given_male
                name = _format_name(style, bool(female), style.family[family][0], middles[middle][0], givens[given])
                self.position[key] = found
                self.names.append(name)
                self.folded.append(fold(name))
                self.keys.append(sort_key(name))
            positions[i] = found
        return positions[inverse]


# --- Households ---------------------------------------------------------------------------------

RELATIONS = ["head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"]
HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, GRANDPARENT, SIBLING, OTHER = range(8)
SCHOOLING = ["none", "preschool", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"]
EDUCATION = ["none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher"]
EMPLOYMENT = ["contract", "no_contract", "self_employed", "unemployed", "inactive"]
CONTRACT, NO_CONTRACT, SELF_EMPLOYED, UNEMPLOYED, INACTIVE = range(5)
DISABILITY = ["none", "mild", "severe", "especially_severe"]
HOUSING = ["durable", "semi_durable", "less_durable", "simple"]
WATER = ["piped", "drilled_well", "protected_well", "rainwater", "bottled", "unprotected", "surface"]
LATRINE = ["flush", "double_vault", "ventilated_pit", "unhygienic", "none"]

# Household types and their shares, tuned so that sizes run 1–9 with a mean near 3.6 (Population
# and Housing Census 2019: 3.5 persons on average): single elderly, single adult, elderly couple,
# couple, nuclear family, single parent, three generations with the old couple at the head,
# nuclear family with the head's parents, grandparents with grandchildren.
HOUSEHOLD_TYPES = np.array([0.045, 0.035, 0.06, 0.05, 0.42, 0.06, 0.2, 0.1, 0.03])


@dataclass
class People:
    """Members of a block of households, in household order (head first)."""

    hh: IntArray
    relation: IntArray
    age: FloatArray  # exact age in years on the reference date
    female: BoolArray


class _PeopleBuilder:
    def __init__(self) -> None:
        self.parts: list[tuple[IntArray, IntArray, FloatArray, BoolArray]] = []

    def add(self, hh: IntArray, relation: int, age: FloatArray, female: BoolArray) -> None:
        self.parts.append((hh.astype(np.int64), np.full(len(hh), relation, dtype=np.int64),
                           age.astype(np.float64), female.astype(bool)))

    def build(self) -> People:
        hh = np.concatenate([p[0] for p in self.parts])
        order = np.argsort(hh, kind="stable")  # parts were added head first, so heads stay first
        hh = hh[order]
        relation = np.concatenate([p[1] for p in self.parts])[order]
        age = np.concatenate([p[2] for p in self.parts])[order]
        female = np.concatenate([p[3] for p in self.parts])[order]
        keep = age >= 0
        hh, relation, age, female = hh[keep], relation[keep], age[keep], female[keep]
        rank = _rank_within(hh)
        keep = rank < MAX_SIZE
        return People(hh=hh[keep], relation=relation[keep], age=age[keep], female=female[keep])


def _rank_within(groups: IntArray) -> IntArray:
    """0, 1, 2… within runs of equal values of a sorted array."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths)


def _children(rng: np.random.Generator, builder: _PeopleBuilder, hh: IntArray, mother_age: FloatArray,
              counts: IntArray, relation: int) -> None:
    """Children of the given mothers, eldest first: the first born at 19–32, then every 1.5–6 years;
    children not yet born (negative age) are dropped by the builder."""
    age = mother_age - rng.uniform(19, 32, len(hh))
    for k in range(int(counts.max(initial=0))):
        has = counts > k
        builder.add(hh[has], relation, np.minimum(age[has], 40.0), rng.random(int(has.sum())) < 0.487)
        age = age - rng.uniform(1.5, 6.0, len(hh))


def _couple(rng: np.random.Generator, builder: _PeopleBuilder, hh: IntArray, head_age: FloatArray,
            female_head: BoolArray, spouse: BoolArray) -> FloatArray:
    """Adds heads and (where `spouse`) their spouses; returns the mother's age (the woman's)."""
    builder.add(hh, HEAD, head_age, female_head)
    gap = np.abs(rng.normal(3.0, 3.0, len(hh)))  # husbands are a few years older
    spouse_age = np.where(female_head, head_age + gap, head_age - gap)
    spouse_age = np.maximum(spouse_age, 18.0)
    builder.add(hh[spouse], SPOUSE, spouse_age[spouse], ~female_head[spouse])
    return np.where(female_head | ~spouse, head_age, spouse_age)


def compose(rng: np.random.Generator, n: int) -> People:
    """Members of n households: who lives with whom, their ages and sexes."""
    kind = rng.choice(len(HOUSEHOLD_TYPES), size=n, p=HOUSEHOLD_TYPES / HOUSEHOLD_TYPES.sum())
    b = _PeopleBuilder()
    ids = np.arange(n, dtype=np.int64)

    def pick(k: int) -> IntArray:
        return ids[kind == k]

    # 0: an elderly person alone, most often a widow.
    hh = pick(0)
    b.add(hh, HEAD, rng.uniform(60, 95, len(hh)), rng.random(len(hh)) < 0.72)
    # 1: an adult alone.
    hh = pick(1)
    b.add(hh, HEAD, rng.uniform(20, 60, len(hh)), rng.random(len(hh)) < 0.42)
    # 2: an elderly couple.
    hh = pick(2)
    _couple(rng, b, hh, rng.uniform(60, 90, len(hh)), rng.random(len(hh)) < 0.12, np.ones(len(hh), dtype=bool))
    # 3: a couple without children at home (young, or whose children have left).
    hh = pick(3)
    _couple(rng, b, hh, rng.uniform(21, 60, len(hh)), rng.random(len(hh)) < 0.12, np.ones(len(hh), dtype=bool))
    # 4: a couple with their children.
    hh = pick(4)
    mother = _couple(rng, b, hh, 24 + 36 * rng.beta(2.0, 2.4, len(hh)), rng.random(len(hh)) < 0.16,
                     np.ones(len(hh), dtype=bool))
    counts = rng.choice([1, 2, 3, 4, 5], size=len(hh), p=[0.22, 0.43, 0.23, 0.09, 0.03])
    _children(rng, b, hh, mother, counts, CHILD)
    # 5: a parent alone with children.
    hh = pick(5)
    female = rng.random(len(hh)) < 0.8
    age = rng.uniform(26, 60, len(hh))
    b.add(hh, HEAD, age, female)
    _children(rng, b, hh, np.where(female, age, age - 4), rng.choice([1, 2, 3], size=len(hh), p=[0.5, 0.38, 0.12]),
              CHILD)
    # 6: three generations, the old couple at the head, a married child and grandchildren.
    hh = pick(6)
    head_age = rng.uniform(50, 82, len(hh))
    spouse = rng.random(len(hh)) < 0.68
    female = ~spouse & (rng.random(len(hh)) < 0.7) | spouse & (rng.random(len(hh)) < 0.1)
    mother = _couple(rng, b, hh, head_age, female, spouse)
    child_age = np.maximum(mother - rng.uniform(20, 34, len(hh)), 19.0)
    son = rng.random(len(hh)) < 0.62
    b.add(hh, CHILD, child_age, ~son)
    in_law = rng.random(len(hh)) < 0.8
    in_law_age = np.maximum(child_age + np.where(son, -2.0, 2.5) + rng.normal(0, 2, len(hh)), 18.0)
    b.add(hh[in_law], OTHER, in_law_age[in_law], son[in_law])
    other_child = rng.random(len(hh)) < 0.25
    b.add(hh[other_child], CHILD, np.maximum(mother[other_child] - rng.uniform(24, 42, int(other_child.sum())), 10.0),
          rng.random(int(other_child.sum())) < 0.45)
    their_mother = np.where(son & in_law, in_law_age, np.where(son, child_age - 2, child_age))
    _children(rng, b, hh, their_mother, rng.choice([0, 1, 2, 3], size=len(hh), p=[0.1, 0.35, 0.42, 0.13]),
              GRANDCHILD)
    # 7: a couple with their children and one or both of the head's parents.
    hh = pick(7)
    head_age = rng.uniform(27, 56, len(hh))
    female = rng.random(len(hh)) < 0.12
    mother = _couple(rng, b, hh, head_age, female, np.ones(len(hh), dtype=bool))
    _children(rng, b, hh, mother, rng.choice([0, 1, 2, 3], size=len(hh), p=[0.1, 0.35, 0.42, 0.13]), CHILD)
    both = rng.random(len(hh)) < 0.35
    parent_age = np.minimum(head_age + rng.uniform(22, 36, len(hh)), 98.0)
    b.add(hh, PARENT, parent_age, both | (rng.random(len(hh)) < 0.75))  # a widowed mother, most often
    b.add(hh[both], PARENT, np.minimum(parent_age[both] + rng.uniform(0, 5, int(both.sum())), 99.0),
          np.zeros(int(both.sum()), dtype=bool))
    # 8: grandparents bringing up grandchildren whose parents work away.
    hh = pick(8)
    head_age = rng.uniform(52, 80, len(hh))
    spouse = rng.random(len(hh)) < 0.55
    female = ~spouse & (rng.random(len(hh)) < 0.75)
    _couple(rng, b, hh, head_age, female, spouse)
    counts = rng.choice([1, 2, 3], size=len(hh), p=[0.45, 0.4, 0.15])
    for k in range(3):
        has = counts > k
        b.add(hh[has], GRANDCHILD, rng.uniform(1, 17, int(has.sum())), rng.random(int(has.sum())) < 0.487)
    return b.build()


# --- The generator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """What `generate` did (or, with `skipped`, why it did nothing)."""

    province: Unit
    households: int
    members: int
    communes: int
    hamlets_created: int
    seconds: float
    skipped: bool = False
    existing: int = 0
    replaced: int = 0


@dataclass
class _Commune:
    id: int
    code: str
    name: str
    urban: bool


@dataclass
class _Setting:
    """Everything about the province that the blocks share."""

    communes: list[_Commune]
    commune_of: IntArray  # per household (global order)
    seq: IntArray  # per household: number within its commune, from 1
    commune_effect: FloatArray  # per commune
    source_start: IntArray  # per commune: first row in the legacy-source arrays
    source_count: IntArray
    source_id: IntArray  # legacy commune ids, grouped by current commune
    source_province: list[str]  # legacy province code of each source
    ethnic_codes: list[str]  # columns of `source_shares`; column 0 is Kinh
    source_shares: FloatArray  # per source × group: cumulative shares
    fallback_shares: FloatArray  # cumulative shares where a commune has no legacy source
    province_code: str
    hamlet_ids: dict[int, list[tuple[int, str]]]  # commune index -> [(hamlet id, name)]
    legacy_codes: IntArray  # all legacy province codes (people born elsewhere)
    lines: tuple[float, float]  # poverty line (rural, urban) in force at the end of the year


def _stream(seed: int, province_code: str, purpose: int, block: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, int(province_code), purpose, block])


def _region(code: str) -> str:
    # Imported here: the register does not depend on the poverty review at import time (the demo
    # only borrows its regions and, below, its poverty lines to calibrate the generated incomes).
    from ansinh.poverty.standards_data import PROVINCE_REGION

    return PROVINCE_REGION.get(code, "mekong_delta")


def _mix(code: str) -> dict[str, float]:
    return ETHNIC_MIX.get(code, {})


def _setting(*, province: Unit, households: int, seed: int, year: int,
             hamlets: dict[int, list[tuple[int, str]]] | None = None) -> _Setting:
    """Communes and their legacy sources, households per commune, ethnic shares per legacy commune."""
    rows = list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE, path__startswith=province.path)
                .order_by("code").values_list("id", "code", "name", "kind"))
    if not rows:
        raise ValidationError(_("This province has no communes on the current map."))
    communes = [_Commune(id=pk, code=code, name=name, urban=kind in (Kind.PHUONG, Kind.THI_TRAN))
                for pk, code, name, kind in rows]
    rng = _stream(seed, province.code, 1)
    # Households per commune: around the mean, wards somewhat denser (GSO commune population).
    weight = rng.lognormal(0.0, 0.45, len(communes)) * np.array([1.25 if c.urban else 1.0 for c in communes])
    counts = rng.multinomial(households, weight / weight.sum())
    commune_of = np.repeat(np.arange(len(communes), dtype=np.int64), counts)
    seq = _rank_within(commune_of) + 1
    commune_effect = rng.normal(0.0, 0.25, len(communes))

    legacy_province = dict(Unit.objects.filter(edition=Edition.LEGACY, level=Level.PROVINCE)
                           .values_list("id", "code"))
    index = {c.id: i for i, c in enumerate(communes)}
    sources = sorted(
        (index[new_id], old_code, old_id, old_path)
        for new_id, old_id, old_code, old_path in Succession.objects.filter(new_id__in=list(index))
        .values_list("new_id", "old_id", "old__code", "old__path"))
    source_commune = np.array([s[0] for s in sources], dtype=np.int64)
    source_count = np.bincount(source_commune, minlength=len(communes)).astype(np.int64)
    source_start = np.r_[0, np.cumsum(source_count)[:-1]].astype(np.int64)
    legacy_district = dict(Unit.objects.filter(edition=Edition.LEGACY, level=Level.DISTRICT)
                           .values_list("id", "code"))
    source_province, source_district = [], []
    for _commune, _code, _old_id, path in sources:
        parts = path.strip("/").split("/")  # country / province / district / commune
        source_province.append(legacy_province.get(int(parts[1]), province.code) if len(parts) > 1 else province.code)
        source_district.append(legacy_district.get(int(parts[2]), "") if len(parts) > 2 else "")

    # Each legacy commune draws its mix from a Dirichlet around its district's or province's: the
    # means stay those of the census, but minorities cluster in some communes, as they do.
    mixes = [{**_mix(code), **({"05": KHMER_BY_DISTRICT[district]} if district in KHMER_BY_DISTRICT else {})}
             for code, district in zip(source_province, source_district, strict=True)]
    groups = sorted({g for mix in [*mixes, _mix(province.code)] for g in mix})
    ethnic_codes = ["01", *groups]
    mean = np.array([[1 - sum(mix.values()), *(mix.get(g, 0.0) for g in groups)]
                     for mix in mixes]).reshape(len(sources), len(ethnic_codes))
    # Where the district's share is known, communes vary less around it.
    concentration = np.array([3 * CLUSTER_CONCENTRATION if district in KHMER_BY_DISTRICT else CLUSTER_CONCENTRATION
                              for district in source_district]).reshape(-1, 1)
    draw = rng.gamma(np.maximum(mean * concentration, 1e-3)) * (mean > 0)
    total = draw.sum(axis=1, keepdims=True)
    shares = np.where(total > 0, draw / np.where(total > 0, total, 1), mean)
    fallback = np.array([[1 - sum(_mix(province.code).values()), *(_mix(province.code).get(g, 0.0) for g in groups)]])

    from ansinh.poverty.models import PovertyStandard

    lines = (1_500_000.0, 2_000_000.0)
    try:
        standard = PovertyStandard.in_force_on(dt.date(year, 12, 14))
        lines = (float(standard.poverty_line_rural), float(standard.poverty_line_urban))
    except PovertyStandard.DoesNotExist:
        pass
    legacy_codes = np.array(sorted(int(code) for code in legacy_province.values()), dtype=np.int64)
    return _Setting(
        communes=communes, commune_of=commune_of, seq=seq, commune_effect=commune_effect,
        source_start=source_start, source_count=source_count,
        source_id=np.array([s[2] for s in sources], dtype=np.int64), source_province=source_province,
        ethnic_codes=ethnic_codes, source_shares=np.cumsum(shares, axis=1), fallback_shares=np.cumsum(fallback, axis=1),
        province_code=province.code, hamlet_ids=hamlets or {},
        legacy_codes=legacy_codes if len(legacy_codes) else np.array([int(province.code)], dtype=np.int64),
        lines=lines,
    )


class _CitizenIds:
    """Unique, deterministic 12-digit citizen IDs (Decree 137/2015/NĐ-CP, Art. 7, as amended).

    The first six digits are fixed by the person (birth-registration province, sex and century,
    year); the last six are a keyed permutation of a counter per prefix, so two people never
    share a number, and numbers already in the database are skipped.
    """

    def __init__(self, seed: int, province_code: str) -> None:
        # Keyed by the province too, so that two provinces made with the same seed rarely meet.
        rng = np.random.default_rng([seed, 99, int(province_code)])
        self.tables = rng.integers(0, 1000, size=(3, 1000))
        self.next = np.zeros(100_000, dtype=np.int64)  # per prefix: the counter
        self.existing = self._existing()

    @staticmethod
    def _existing() -> IntArray:
        """Every citizen ID in the database, as sorted integers (read in chunks: there may be millions)."""
        parts = [np.zeros(0, dtype=np.int64)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT citizen_id FROM {Member._meta.db_table} WHERE citizen_id IS NOT NULL")
            while rows := cursor.fetchmany(200_000):
                text = np.array([row[0] for row in rows], dtype="U12")
                valid = np.char.isdigit(text) & (np.char.str_len(text) == 12)
                parts.append(text[valid].astype(np.int64))
        return np.sort(np.concatenate(parts))

    def _permute(self, counter: IntArray, prefix: IntArray) -> IntArray:
        high, low = np.divmod(counter, 1000)
        t = self.tables
        low = (low + t[0][(high + prefix) % 1000]) % 1000
        high = (high + t[1][low]) % 1000
        low = (low + t[2][high]) % 1000
        return high * 1000 + low

    def _take(self, prefix: IntArray) -> IntArray:
        order = np.argsort(prefix, kind="stable")
        rank = np.empty(len(prefix), dtype=np.int64)
        rank[order] = _rank_within(prefix[order])
        counter = self.next[prefix] + rank
        np.add.at(self.next, prefix, 1)
        if len(counter) and counter.max() >= 1_000_000:
            raise ValidationError(_("Too many people born in one province in one year for unique citizen IDs."))
        return prefix * 1_000_000 + self._permute(counter, prefix)

    def issue(self, province: IntArray, female: BoolArray, birth_year: IntArray) -> list[str]:
        century = np.where(birth_year >= 2000, 2, 0) + female.astype(np.int64)
        prefix = province * 1000 + century * 100 + birth_year % 100
        numbers = self._take(prefix)
        if len(self.existing):
            for _attempt in range(1000):  # each round leaves about (numbers taken / 1,000,000) of the clashes
                pos = np.searchsorted(self.existing, numbers).clip(0, len(self.existing) - 1)
                clash = self.existing[pos] == numbers
                if not clash.any():
                    break
                numbers[clash] = self._take(prefix[clash])
            else:
                raise ValidationError(_("Could not find unused citizen IDs; try another seed."))
        return [f"{number:012d}" for number in numbers.tolist()]


def _logistic(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def _choice(rng: np.random.Generator, cumulative: FloatArray) -> IntArray:
    """One category per row of a matrix of cumulative probabilities."""
    u = rng.random((cumulative.shape[0], 1))
    return np.minimum((u >= cumulative).sum(axis=1), cumulative.shape[1] - 1).astype(np.int64)


def _pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> IntArray:
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=size, p=p / p.sum()).astype(np.int64)


@dataclass
class _Block:
    """Rows of one block of households, ready for `insert_rows`."""

    households: list[tuple[Any, ...]]
    members: list[tuple[Any, ...]]
    conditions: list[tuple[Any, ...]]


HOUSEHOLD_COLUMNS = ["id", "code", "commune", "hamlet", "legacy_commune", "address", "area", "area_overridden",
                     "head_name", "head_ethnicity", "status", "search_text", "sort_key", "created_at", "updated_at"]
MEMBER_COLUMNS = ["household", "full_name", "citizen_id", "sex", "birth_date", "relation", "ethnicity",
                  "health_insurance", "schooling", "education", "in_training", "employment", "can_work", "disability",
                  "pension", "social_allowance", "meritorious", "stunted", "underweight", "uses_internet",
                  "sick_untreated", "search_name", "sort_key", "created_at", "updated_at"]
CONDITION_COLUMNS = ["household", "year", "housing", "floor_area", "water_source", "latrine", "waste_treated", "has_tv",
                     "has_radio", "has_computer", "has_phone", "hears_loudspeaker", "income_per_capita", "b1_answers",
                     "b2_flags", "needs_credit", "needs_housing", "needs_water", "needs_latrine", "needs_training",
                     "needs_job", "needs_monthly_support", "surveyed_on", "updated_at"]


def _columns(model: type[models.Model], names: list[str]) -> list[str]:
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        columns.append(field.column)
    return columns


class _Generator:
    def __init__(self, setting: _Setting, *, seed: int, year: int) -> None:
        self.s = setting
        self.seed = seed
        self.year = year
        self.on = dt.date(year, 12, 14)  # reference date of the periodic review (Decision 24/2021/QĐ-TTg)
        self.names = NameBook()
        self.ids = _CitizenIds(seed, setting.province_code)
        self.addresses: dict[tuple[int, str], tuple[str, str]] = {}
        now = timezone.now()
        self.stamp = connection.ops.adapt_datetimefield_value(now)
        self.kinh_style = STYLE_INDEX["kinh_south" if _region(setting.province_code) in SOUTH else "kinh_north"]
        styles = [STYLE_INDEX[STYLE_OF.get(code, STYLE_NAMES[self.kinh_style])] if code != "01" else self.kinh_style
                  for code in setting.ethnic_codes]
        self.group_style = np.array(styles, dtype=np.int64)
        self.group_welfare = np.array([ETHNIC_WELFARE.get(code, OTHER_MINORITY_WELFARE) for code in setting.ethnic_codes])
        self.source_region = np.array([list(REGION_INCOME).index(_region(code)) for code in setting.source_province]
                                      or [0], dtype=np.int64)
        self.province_region = list(REGION_INCOME).index(_region(setting.province_code))

    # -- one block ---------------------------------------------------------------------------

    def block(self, number: int, start: int, stop: int, first_id: int) -> _Block:
        s = self.s
        rng = _stream(self.seed, s.province_code, 2, number)
        n = stop - start
        commune = s.commune_of[start:stop]
        seq = s.seq[start:stop]
        urban = np.array([c.urban for c in s.communes], dtype=bool)[commune]

        # Legacy commune: one of the commune's sources, where the crosswalk has one.
        count = s.source_count[commune]
        has_source = count > 0
        pick = s.source_start[commune] + np.floor(rng.random(n) * np.maximum(count, 1)).astype(np.int64)
        pick = np.where(has_source, pick, -1)
        legacy_id = np.where(has_source, s.source_id[np.maximum(pick, 0)] if len(s.source_id) else 0, 0)
        if len(s.source_shares):
            cumulative = np.where(has_source[:, None], s.source_shares[np.maximum(pick, 0)], s.fallback_shares)
        else:
            cumulative = np.repeat(s.fallback_shares, n, axis=0)
        group = _choice(rng, cumulative)
        born_in = np.array([int(code) for code in s.source_province] or [int(s.province_code)], dtype=np.int64)
        home_province = np.where(has_source, born_in[np.maximum(pick, 0)] if len(s.source_province) else 0,
                                 int(s.province_code))
        region = np.where(has_source, self.source_region[np.maximum(pick, 0)], self.province_region)

        # One latent welfare per household drives everything else.
        z = (rng.normal(0, 1, n) + s.commune_effect[commune] + self.group_welfare[group] + 0.45 * urban
             + np.array(list(REGION_WELFARE.values()))[region])

        people = compose(rng, n)
        m = len(people.hh)
        hh = people.hh
        age = people.age
        female = people.female
        relation = people.relation
        mz = z[hh]
        murban = urban[hh]
        # Birth dates, counted back from the reference date; ages as the review computes them.
        birth = np.datetime64(self.on) - np.round(age * 365.2425).astype("timedelta64[D]")
        birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
        birth_day = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
        birth_month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
        before = (birth_month > self.on.month) | ((birth_month == self.on.month) & (birth_day > self.on.day))
        ages = self.on.year - birth_year - before.astype(np.int64)

        # Ethnicity: a minority household's spouse or in-law is sometimes Kinh.
        mgroup = group[hh]
        married_in = ((relation == SPOUSE) | (relation == OTHER)) & (mgroup != 0) & (rng.random(m) < 0.08)
        mgroup = np.where(married_in, 0, mgroup)

        # Names: children carry the family name of the household, spouses and in-laws their own.
        style = self.group_style[mgroup]
        family = np.zeros(m, dtype=np.int64)
        middle = np.zeros(m, dtype=np.int64)
        given = np.zeros(m, dtype=np.int64)
        house_family = np.zeros(n, dtype=np.int64)
        for index, name in enumerate(STYLE_NAMES):
            st = NAME_STYLES[name]
            households_here = self.group_style[group] == index
            house_family[households_here] = _pick(rng, [w for _, w in st.family], int(households_here.sum()))
            here = style == index
            k = int(here.sum())
            if not k:
                continue
            own = _pick(rng, [w for _, w in st.family], k)
            inherits = ((relation[here] == CHILD) | (relation[here] == GRANDCHILD) | (relation[here] == SIBLING)
                        | ((relation[here] == HEAD) & ~female[here])
                        | ((relation[here] == SPOUSE) & ~female[here])
                        | ((relation[here] == PARENT) & ~female[here]))
            inherits &= self.group_style[group[hh[here]]] == index
            family[here] = np.where(inherits, house_family[hh[here]], own)
            fem = female[here]
            middle[here] = np.where(fem, _pick(rng, [w for _, w in st.middle_female], k),
                                    _pick(rng, [w for _, w in st.middle_male], k))
            given[here] = np.where(fem, rng.integers(0, len(st.given_female), k), rng.integers(0, len(st.given_male), k))
        name_pos = self.names.lookup(NameBook.key(style, female, family, middle, given))

        elsewhere = rng.random(m) < 0.07
        registered = np.where(elsewhere, s.legacy_codes[rng.integers(0, len(s.legacy_codes), m)], home_province[hh])
        citizen_ids = self.ids.issue(registered, female, birth_year)

        facts = self._facts(rng, hh=hh, ages=ages, female=female, z=mz, urban=murban)
        income, earners = self._income(rng, facts, hh=hh, z=z, urban=urban, region=region, n=n)

        # Household rows.
        head_pos = name_pos[np.r_[0, np.flatnonzero(hh[1:] != hh[:-1]) + 1]] if m else np.zeros(0, dtype=np.int64)
        ids = np.arange(first_id, first_id + n)
        hamlet_id = np.zeros(n, dtype=np.int64)
        labels = self._labels(rng, commune, urban, region, hamlet_id)
        household_rows = []
        stamp = self.stamp
        names = self.names
        communes = s.communes
        ethnic_codes = s.ethnic_codes
        for pk, c, number, hpos, label, hamlet, legacy, g, is_urban in zip(
                ids.tolist(), commune.tolist(), seq.tolist(), head_pos.tolist(), labels, hamlet_id.tolist(),
                legacy_id.tolist(), group.tolist(), urban.tolist(), strict=True):
            unit = communes[c]
            code = f"{unit.code}-{number:05d}"
            address, folded_address = self._address(c, label)
            head = names.names[hpos]
            # As Household.set_derived_fields: fold() of the parts joined is the parts folded and
            # joined, and a code of digits and hyphens folds to itself.
            search = " ".join(part for part in (names.folded[hpos], code, folded_address) if part)[:400]
            household_rows.append((
                pk, code, unit.id, hamlet or None, legacy or None, address, "urban" if is_urban else "rural", False,
                head, ethnic_codes[g], "active", search, names.keys[hpos], stamp, stamp))

        member_rows = self._member_rows(ids, hh, people, mgroup, name_pos, citizen_ids, birth, facts)
        condition_rows = self._conditions(rng, ids=ids, hh=hh, z=z, urban=urban, region=region, income=income,
                                          earners=earners, facts=facts, ages=ages, female=female)
        return _Block(household_rows, member_rows, condition_rows)

    def _labels(self, rng: np.random.Generator, commune: IntArray, urban: BoolArray, region: IntArray,
                hamlet_id: IntArray) -> list[str]:
        """The hamlet part of the address, named as the region names its hamlets (ấp and khóm in the
        south, thôn and tổ dân phố elsewhere, bản in the mountains); the demo commune's real
        hamlets there (filling `hamlet_id`)."""
        n = len(commune)
        regions = list(REGION_INCOME)
        kind = np.where(urban, 0, 1) * len(regions) + region
        patterns = [*(URBAN_HAMLET.get(r, "Tổ dân phố") for r in regions), *(RURAL_HAMLET.get(r, "Thôn") for r in regions)]
        table = [[f"{pattern} {k}" for k in range(HAMLETS_PER_COMMUNE + 1)] for pattern in patterns]
        number = rng.integers(1, HAMLETS_PER_COMMUNE + 1, n)
        labels = [table[t][k] for t, k in zip(kind.tolist(), number.tolist(), strict=True)]
        for c, hamlets in self.s.hamlet_ids.items():
            rows = np.flatnonzero(commune == c)
            if not len(rows) or not hamlets:
                continue
            weights = np.linspace(1.6, 0.6, len(hamlets))
            chosen = _pick(rng, weights.tolist(), len(rows))
            for row, h in zip(rows.tolist(), chosen.tolist(), strict=True):
                hamlet_id[row] = hamlets[h][0]
                labels[row] = hamlets[h][1]
        return labels

    def _address(self, commune: int, label: str) -> tuple[str, str]:
        key = (commune, label)
        found = self.addresses.get(key)
        if found is None:
            address = f"{label}, {self.s.communes[commune].name}"
            found = self.addresses[key] = (address, fold(address))
        return found

    # -- member facts ------------------------------------------------------------------------

    def _facts(self, rng: np.random.Generator, *, hh: IntArray, ages: IntArray, female: BoolArray, z: FloatArray,
               urban: BoolArray) -> dict[str, Any]:
        """Schooling, qualification, work, health and benefits by age, sex and welfare."""
        m = len(hh)
        u = urban.astype(np.float64)

        # Schooling now, by the level expected for the age (Education Law 43/2019/QH14, Art. 28).
        schooling = np.zeros(m, dtype=np.int64)
        r = rng.random(m)
        pre = (ages >= 3) & (ages <= 5)
        schooling[pre & (r < _logistic(2.2 + 0.9 * z))] = 1
        prim = (ages >= 6) & (ages <= 10)
        schooling[prim & (r < _logistic(4.6 + 1.2 * z))] = 2
        low = (ages >= 11) & (ages <= 14)
        ok = r < _logistic(3.6 + 1.2 * z)
        schooling[low & ok] = 3
        schooling[low & ~ok & (rng.random(m) < 0.35)] = 2  # held back in primary school
        up = (ages >= 15) & (ages <= 17)
        p_up = _logistic(1.5 + 1.1 * z + 0.5 * u)
        schooling[up & (r < p_up)] = 4
        schooling[up & (r >= p_up) & (r < p_up + 0.06)] = 5
        tertiary = (ages >= 18) & (ages <= 22)
        p_high = _logistic(-1.2 + 0.9 * z + 0.6 * u)
        schooling[tertiary & (r < p_high)] = 6
        schooling[tertiary & (r >= p_high) & (r < p_high + 0.08)] = 5

        # Highest qualification: an ordered latent with a cohort effect (younger people studied longer).
        cohort = np.select([ages <= 30, ages <= 45, ages <= 60], [0.8, 0.3, -0.2], default=-0.8)
        e = 0.9 * z + rng.normal(0, 1, m) + cohort + 0.5 * u
        adult = np.digitize(e, [-1.4, -0.6, 0.2, 0.9, 1.3])  # none … higher
        education = np.zeros(m, dtype=np.int64)
        education[(ages >= 11) & (ages <= 14) & (schooling >= 2)] = 1
        teen = (ages >= 15) & (ages <= 17)
        education[teen] = np.where(schooling[teen] >= 4, 2, np.where(rng.random(int(teen.sum())) < 0.35, 2, 1))
        grown = ages >= 18
        education[grown] = adult[grown]
        education[(ages < 22) & (education == 5)] = 3  # a degree takes until 22
        studying_high = grown & (schooling == 6)
        education[studying_high] = np.maximum(education[studying_high], 3)
        education[grown & (schooling == 5)] = np.maximum(education[grown & (schooling == 5)], 2)
        in_training = (ages >= 18) & (ages < 45) & (schooling == 0) & (
            rng.random(m) < np.where(education < 3, 0.045, 0.02))

        # Disability (Law on Persons with Disabilities 51/2010/QH12, Art. 3: mild, severe, especially severe).
        p_dis = 0.012 + 0.0015 * np.maximum(ages - 40, 0) + 0.01 * (z < -1)
        disabled = rng.random(m) < p_dis
        disability = np.where(disabled, 1 + _pick(rng, [0.6, 0.3, 0.1], m), 0)

        # Pensions: retired people who had a contract job (Law on Social Insurance 41/2024/QH15).
        retired = (ages >= np.where(female, 56, 61))
        pension = retired & (rng.random(m) < np.clip(0.12 + 0.1 * z + 0.18 * u, 0.02, 0.65))

        # Work (Labour Code 45/2019/QH14): students and pensioners are outside the labour force.
        employment = np.full(m, INACTIVE, dtype=np.int64)
        works = (ages >= 15) & (schooling == 0) & ~pension
        p_unemployed = np.clip(0.022 - 0.012 * z, 0.004, 0.08)
        p_inactive = 0.07 + 0.07 * female + np.where(ages >= 60, 0.35, 0.0) + np.where(ages >= 70, 0.3, 0.0)
        p_contract = np.clip(0.16 + 0.22 * u + 0.11 * z + np.where((ages >= 22) & (ages <= 45), 0.05, 0.0)
                             - np.where(ages >= 55, 0.12, 0.0), 0.01, 0.8)
        p_no_contract = np.clip(0.14 + 0.02 * u - 0.06 * z, 0.03, 0.45)
        p_no_contract = np.where(ages >= 60, p_no_contract * 0.3, p_no_contract)
        cumulative = np.stack([p_unemployed, p_unemployed + p_inactive, p_unemployed + p_inactive + p_contract,
                               p_unemployed + p_inactive + p_contract + p_no_contract], axis=1)
        draw = (rng.random(m)[:, None] >= cumulative).sum(axis=1)  # 0 unemployed … 4 self-employed
        employment[works] = np.array([UNEMPLOYED, INACTIVE, CONTRACT, NO_CONTRACT, SELF_EMPLOYED])[draw[works]]

        can_work = (ages >= 15) & (disability < 2) & ~((ages >= 75) & (rng.random(m) < 0.85))
        can_work &= ~((ages >= 65) & (ages < 75) & (rng.random(m) < 0.25))
        employment[~can_work & works] = INACTIVE

        # Monthly social allowance (Decree 20/2021/NĐ-CP, Art. 5): 80+ without a pension, people
        # with severe disabilities.
        social_allowance = (((ages >= 80) & ~pension & (rng.random(m) < 0.92))
                            | ((disability >= 2) & (rng.random(m) < 0.85)))
        # Meritorious people (Ordinance 02/2020/UBTVQH14): mostly veterans and their widows.
        meritorious = (ages >= 65) & (rng.random(m) < 0.035)

        child = ages < 16
        stunted = child & (rng.random(m) < _logistic(-4.6 - 1.0 * z))
        underweight = child & (rng.random(m) < _logistic(-5.0 - 1.0 * z))
        internet_base = np.select([ages < 10, ages <= 14, ages <= 24, ages <= 39, ages <= 54, ages <= 64],
                                  [-9.0, 1.0, 2.6, 2.2, 0.8, -0.4], default=-1.9)
        uses_internet = rng.random(m) < _logistic(internet_base + 0.8 * z + 0.4 * u)
        insured_anyway = (ages < 6) | pension | social_allowance | meritorious  # Law on Health Insurance, Art. 12
        health_insurance = insured_anyway | (rng.random(m) >= _logistic(-3.3 - 0.8 * z))
        sick_untreated = rng.random(m) < np.where(z < -1.2, 0.025, 0.006)
        return {
            "schooling": schooling, "education": education, "in_training": in_training, "employment": employment,
            "can_work": can_work, "disability": disability, "pension": pension, "social_allowance": social_allowance,
            "meritorious": meritorious, "stunted": stunted, "underweight": underweight,
            "uses_internet": uses_internet, "health_insurance": health_insurance, "sick_untreated": sick_untreated,
        }

    def _income(self, rng: np.random.Generator, f: dict[str, Any], *, hh: IntArray, z: FloatArray,
                urban: BoolArray, region: IntArray, n: int) -> tuple[FloatArray, FloatArray]:
        """Income per person per month (VND): earnings, pensions, allowances and remittances, pooled."""
        m = len(hh)
        mz = z[hh]
        emp = f["employment"]
        noise = rng.normal(0, 1, m)
        earn = np.select(
            [emp == CONTRACT, emp == NO_CONTRACT, emp == SELF_EMPLOYED, emp == UNEMPLOYED],
            [8.0e6 * np.exp(0.35 * mz + 0.25 * noise), 5.2e6 * np.exp(0.35 * mz + 0.3 * noise),
             5.8e6 * np.exp(0.5 * mz + 0.4 * noise), 0.3e6 * np.ones(m)], default=0.0)
        earn = earn + f["pension"] * 4.2e6 * np.exp(0.3 * rng.normal(0, 1, m))
        # Decree 76/2024/NĐ-CP: base level 500,000 VND from 1/7/2024 (times a coefficient of 1–2.5).
        earn = earn + f["social_allowance"] * 600_000
        earn = earn + f["meritorious"] * 2_789_000  # Decree 77/2024/NĐ-CP: base preferential allowance
        total = np.bincount(hh, weights=earn, minlength=n)
        size = np.bincount(hh, minlength=n)
        earners = np.bincount(hh, weights=((emp == CONTRACT) | (emp == NO_CONTRACT) | (emp == SELF_EMPLOYED)),
                              minlength=n)
        # Children working away send money home, above all to parents who no longer earn.
        remittance = rng.random(n) < np.where(earners == 0, 0.85, 0.15)
        total = total + remittance * np.where(earners == 0, 2.4e6, 1.6e6) * np.exp(0.5 * rng.normal(0, 1, n) + 0.3 * z)
        level = INCOME_LEVEL * np.array(list(REGION_INCOME.values()))[region] * np.where(urban, 1.35, 1.0)
        income = total * level / np.maximum(size, 1)
        income = np.maximum(income, 250_000.0)
        return np.round(income / 1000) * 1000, earners / np.maximum(size, 1)

    def _member_rows(self, ids: IntArray, hh: IntArray, people: People, mgroup: IntArray, name_pos: IntArray,
                     citizen_ids: list[str], birth: npt.NDArray[np.datetime64], f: dict[str, Any]) -> list[tuple[Any, ...]]:
        names = np.array(self.names.names, dtype=object)
        folded = np.array(self.names.folded, dtype=object)
        keys = np.array(self.names.keys, dtype=object)
        stamp = [self.stamp] * len(hh)
        columns = [
            ids[hh].tolist(), names[name_pos].tolist(), citizen_ids,
            np.where(people.female, "female", "male").tolist(), birth.astype(str).tolist(),
            np.array(RELATIONS, dtype=object)[people.relation].tolist(),
            np.array(self.s.ethnic_codes, dtype=object)[mgroup].tolist(),
            f["health_insurance"].tolist(), np.array(SCHOOLING, dtype=object)[f["schooling"]].tolist(),
            np.array(EDUCATION, dtype=object)[f["education"]].tolist(), f["in_training"].tolist(),
            np.array(EMPLOYMENT, dtype=object)[f["employment"]].tolist(), f["can_work"].tolist(),
            np.array(DISABILITY, dtype=object)[f["disability"]].tolist(), f["pension"].tolist(),
            f["social_allowance"].tolist(), f["meritorious"].tolist(), f["stunted"].tolist(),
            f["underweight"].tolist(), f["uses_internet"].tolist(), f["sick_untreated"].tolist(),
            folded[name_pos].tolist(), keys[name_pos].tolist(), stamp, stamp,
        ]
        return list(zip(*columns, strict=True))

    # -- living conditions -------------------------------------------------------------------

    def _conditions(self, rng: np.random.Generator, *, ids: IntArray, hh: IntArray, z: FloatArray, urban: BoolArray,
                    region: IntArray, income: FloatArray, earners: FloatArray, facts: dict[str, Any],
                    ages: IntArray, female: BoolArray) -> list[tuple[Any, ...]]:
        """Living conditions this year and last year (forms B1 and B2 of Circular 07/2021/TT-BLĐTBXH)."""
        n = len(ids)
        u = urban.astype(np.float64)
        size = np.bincount(hh, minlength=n)
        south = np.isin(region, [list(REGION_INCOME).index(r) for r in SOUTH])
        mountains = region == list(REGION_INCOME).index("northern_mountains")

        housing = np.digitize(-(0.9 * z + rng.normal(0, 1, n) + 0.4 * u), [-0.4, 1.45, 2.15])  # durable … simple
        per_person = np.exp(np.log(21.0) + 0.3 * z + 0.4 * rng.normal(0, 1, n)) * np.where(size >= 5, 0.75, 1.0)
        floor_area = np.clip(np.round(per_person * size), 10, 400)
        water_latent = 0.8 * z + rng.normal(0, 1, n) + 0.8 * u
        unsafe = water_latent < -1.9
        safe_kind = np.where(
            south[:, None],
            np.cumsum([[0.6, 0.18, 0.0, 0.16, 0.06]], axis=1),
            np.cumsum([[0.5, 0.15, 0.25, 0.0, 0.1]], axis=1))
        safe_kind[urban] = np.cumsum([[0.93, 0.02, 0.0, 0.0, 0.05]], axis=1)
        water = _choice(rng, safe_kind)
        water = np.where(unsafe, np.where(south & (rng.random(n) < 0.6), 6, 5), water)
        unhygienic = 0.8 * z + rng.normal(0, 1, n) + 0.7 * u < -1.8
        latrine = np.where(urban | (rng.random(n) < 0.9), 0, np.where(mountains, 2, 1))
        latrine = np.where(unhygienic, np.where(rng.random(n) < 0.8, 3, 4), latrine)
        waste = rng.random(n) < _logistic(1.0 + 0.7 * z + 2.5 * u)
        phone = rng.random(n) < _logistic(3.2 + 1.0 * z)
        tv = rng.random(n) < _logistic(2.0 + 0.8 * z)
        radio = rng.random(n) < 0.08
        computer = rng.random(n) < _logistic(-1.2 + 1.0 * z + 0.8 * u)
        loudspeaker = rng.random(n) < np.where(urban, 0.3, 0.6)
        estimated = rng.random(n) < 0.05  # no income declared: estimated with form B1
        b1_draws = rng.random((n, 7))

        # Last year: most incomes were a little lower; a few households fell back this year, a few
        # rose sharply; some got help with their house, water or latrine this year.
        growth = np.exp(rng.normal(0.06, 0.08, n))
        shock = rng.random(n)
        growth = np.where(shock < 0.05, rng.uniform(0.55, 0.85, n), growth)
        growth = np.where(shock > 0.95, rng.uniform(1.3, 1.9, n), growth)
        last_income = np.maximum(np.round(income / growth / 1000) * 1000, 250_000.0)
        helped = rng.random(n) < np.where(z < -0.8, 0.12, 0.02)
        last_housing = np.where(helped & (housing <= 1), 2, housing)
        storm = rng.random(n) < 0.01
        last_housing = np.where(storm & (housing >= 2), 1, last_housing)
        last_water = np.where(~unsafe & (rng.random(n) < np.where(z < -0.8, 0.08, 0.01)), 5, water)
        last_latrine = np.where(~unhygienic & (rng.random(n) < np.where(z < -0.8, 0.08, 0.01)), 3, latrine)
        last_phone = phone & (rng.random(n) >= 0.02)
        last_computer = computer & (rng.random(n) >= 0.1)
        last_tv = tv & (rng.random(n) >= 0.02)

        rows: list[tuple[Any, ...]] = []
        for year, inc, hous, wat, lat, ph, comp, tvs in (
                (self.year - 1, last_income, last_housing, last_water, last_latrine, last_phone, last_computer,
                 last_tv),
                (self.year, income, housing, water, latrine, phone, computer, tv)):
            needs = self._needs(rng, hh=hh, urban=urban, income=inc, housing=hous, water=wat, latrine=lat,
                                floor_area=floor_area, size=size, facts=facts, ages=ages, female=female)
            b1 = self._b1(b1_draws, estimated=estimated, z=z, urban=urban, housing=hous, earners=earners)
            # Surveyed in September to November (Decision 24/2021/QĐ-TTg: the periodic review runs
            # from 1 September to 14 December).
            surveyed = (np.datetime64(f"{year}-09-01") + rng.integers(0, 91, n).astype("timedelta64[D]")).astype(str)
            income_out: list[int | None] = [None if e else int(v) for e, v in zip(estimated.tolist(), inc.tolist(),
                                                                                   strict=True)]
            columns = [
                ids.tolist(), [year] * n, np.array(HOUSING, dtype=object)[hous].tolist(), floor_area.astype(int).tolist(),
                np.array(WATER, dtype=object)[wat].tolist(), np.array(LATRINE, dtype=object)[lat].tolist(),
                waste.tolist(), tvs.tolist(), radio.tolist(), comp.tolist(), ph.tolist(), loudspeaker.tolist(),
                income_out, b1, ["{}"] * n, *[needs[k].tolist() for k in (
                    "credit", "housing", "water", "latrine", "training", "job", "monthly_support")],
                surveyed.tolist(), [self.stamp] * n,
            ]
            rows.extend(zip(*columns, strict=True))
        return rows

    def _needs(self, rng: np.random.Generator, *, hh: IntArray, urban: BoolArray, income: FloatArray,
               housing: IntArray, water: IntArray, latrine: IntArray, floor_area: FloatArray, size: IntArray,
               facts: dict[str, Any], ages: IntArray, female: BoolArray) -> dict[str, BoolArray]:
        """Support needs the commune records (Decision 24/2021/QĐ-TTg, form B2 part on needs),
        consistent with the deprivations and, for credit, training and jobs, with low income."""
        n = len(urban)
        line = np.where(urban, self.s.lines[1], self.s.lines[0])
        low = income <= line * 1.1
        emp = facts["employment"]
        working_age = (ages >= 15) & (ages < np.where(female, 60, 62))
        able = np.bincount(hh, weights=working_age & facts["can_work"], minlength=n) > 0
        no_capacity = np.bincount(hh, weights=facts["can_work"], minlength=n) == 0
        untrained = np.bincount(hh, weights=working_age & (ages <= 45) & (facts["education"] < 4)
                                & ~facts["in_training"], minlength=n) > 0
        jobless = np.bincount(hh, weights=working_age & ((emp == UNEMPLOYED) | (emp == NO_CONTRACT)), minlength=n) > 0
        r = rng.random((7, n))
        return {
            "credit": low & able & (r[0] < 0.6),
            "housing": ((housing >= 2) & (r[1] < 0.9)) | ((floor_area / np.maximum(size, 1) < 8) & (r[1] < 0.3)),
            "water": (water >= 5) & (r[2] < 0.9),
            "latrine": (latrine >= 3) & (r[3] < 0.9),
            "training": low & untrained & (r[4] < 0.5),
            "job": low & jobless & (r[5] < 0.7),
            "monthly_support": low & no_capacity & (r[6] < 0.9),
        }

    @staticmethod
    def _b1(draws: FloatArray, *, estimated: BoolArray, z: FloatArray, urban: BoolArray, housing: IntArray,
            earners: FloatArray) -> list[str]:
        """Form B1 answers (item codes of `standards_data._B1_ITEMS`) where no income was declared.

        `draws` (households × 7) are drawn once, so a household owns the same things both years;
        only the house and the share of earners follow the year's facts."""
        out = ["{}"] * len(z)
        rows = np.flatnonzero(estimated)
        if not len(rows):
            return out
        zz, d, rural = z[rows], draws[rows], ~urban[rows]
        answers = {
            "earners_share": np.round(earners[rows], 2),
            "has_motorbike": (d[:, 0] < _logistic(2.0 + 1.2 * zz)).astype(int),
            "has_fridge": (d[:, 1] < _logistic(0.4 + 1.2 * zz)).astype(int),
            "has_aircon": (d[:, 2] < _logistic(-2.5 + 1.2 * zz)).astype(int),
            "has_car": (d[:, 3] < _logistic(-4.0 + 1.2 * zz)).astype(int),
            "durable_house": (housing[rows] == 0).astype(int),
            "farm_land_ha": np.where(rural, np.round(np.exp(-1.2 + 0.5 * zz + 0.6 * d[:, 4]), 1), 0.0),
            "livestock": (rural & (d[:, 5] < 0.35)).astype(int),
            "remittances": (d[:, 6] < _logistic(-1.8 + 0.3 * zz)).astype(int),
        }
        columns = {code: values.tolist() for code, values in sorted(answers.items())}
        for i, row in enumerate(rows.tolist()):
            out[row] = json.dumps({code: values[i] for code, values in columns.items()})
        return out


# --- Entry points -------------------------------------------------------------------------------


def province_households(province: Unit) -> models.QuerySet[Household]:
    return Household.objects.filter(commune__path__startswith=province.path)


def _delete(model: type[models.Model], queryset: models.QuerySet[Any], depth: int = 0) -> int:
    """Deletes a set of rows and what depends on them, one SQL statement per table.

    Dependants with SET_NULL are unlinked; other dependants (CASCADE, PROTECT) are deleted first;
    a model's links to itself (a household merged into another) are unlinked.
    """
    if depth > 6:
        raise RuntimeError("dependency chain too deep")
    keys = queryset.values("pk")
    # As Django's deletion collector finds them: reverse one-to-many links, hidden ones ("+") included.
    relations = [f for f in model._meta.get_fields(include_hidden=True)
                 if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]
    for relation in relations:
        assert isinstance(relation, models.ForeignObjectRel)
        related = relation.related_model
        assert isinstance(related, type)
        field = relation.field
        dependants = related._base_manager.filter(**{f"{field.name}__in": keys})
        if related is model or relation.on_delete is models.SET_NULL:
            if field.null:
                dependants.update(**{field.name: None})
                continue
        _delete(related, dependants, depth + 1)
    return queryset._raw_delete(queryset.db)


def _hamlets(communes: list[tuple[int, str]]) -> tuple[dict[int, list[tuple[int, str]]], int]:
    """Hamlets of the demo commune (created through the audited service when missing)."""
    out: dict[int, list[tuple[int, str]]] = {}
    created = 0
    for index, (commune_id, code) in enumerate(communes):
        names = DEMO_HAMLETS.get(code)
        if not names:
            continue
        commune = Unit.objects.get(pk=commune_id)
        existing = dict(Unit.objects.filter(parent=commune, level=Level.HAMLET, valid_to__isnull=True)
                        .values_list("search_name", "id"))
        hamlets = []
        for name in names:
            pk = existing.get(fold(name))
            if pk is None:
                pk = hamlet_create(actor=Actor.system(), commune=commune, name=name, kind=Kind.AP).pk
                created += 1
            hamlets.append((pk, name))
        out[index] = hamlets
    return out, created


def _check_codes_free(communes: list[tuple[int, str]]) -> None:
    """Household codes here are COMMUNE-NNNNN; one already used by a household elsewhere would
    break the whole generation at the database, so say which instead (index range scans: "-" < ".")."""
    taken = Q(pk__in=[])
    for _pk, code in communes:
        taken |= Q(code__gte=f"{code}-", code__lt=f"{code}.")
    clash = Household.objects.filter(taken).values_list("code", flat=True).first()
    if clash is not None:
        raise ValidationError(_("The household code %(code)s is already used in another province: the demo "
                                "codes of this province would collide with it.") % {"code": clash})


@contextmanager
def _roomy_sqlite_cache(mebibytes: int = 64) -> Iterator[None]:
    """SQLite's default page cache (2 MiB) is far smaller than the indexes a million rows touch,
    so inserts and deletes would re-read the same pages over and over; the connection gets a
    larger cache (allocated only as used) for the generation, and its own back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{mebibytes * 1024 or 2000}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def generate(*, province: Unit, households: int, seed: int, year: int = 2025, replace: bool = False,
             progress: Callable[[str], None] | None = None) -> Generated:
    """Generates a demo province. Does nothing if the province has households, unless `replace`.

    1. Check the arguments; count the province's households (skip, or delete them with `replace`).
    2. Lay out the communes: households per commune, legacy sources, ethnic shares; the demo
       commune's hamlets.
    3. Generate and write blocks of households, members and two years of living conditions.
    4. Write one audit row for the whole generation (actor: the system).
    All in one transaction: a failure leaves the database as it was.
    """
    if province.level != Level.PROVINCE or province.edition != Edition.CURRENT:
        raise ValidationError(_("Choose a province of the current map."))
    if not 1 <= households <= 5_000_000:
        raise ValidationError(_("The number of households must be between 1 and 5,000,000."))
    if not 2000 <= year <= 2099:
        raise ValidationError(_("The review year must be between 2000 and 2099."))
    if seed < 0:
        raise ValidationError(_("The seed must be a whole number, zero or more."))
    started = time.perf_counter()
    say = progress or (lambda text: None)
    existing = province_households(province).count()
    if existing and not replace:
        return Generated(province=province, households=0, members=0, communes=0, hamlets_created=0,
                         seconds=time.perf_counter() - started, skipped=True, existing=existing)
    from ansinh.benefits import demo as benefits_demo  # the people served hang on the members
    from ansinh.dedup import demo as dedup_demo

    with _roomy_sqlite_cache(), transaction.atomic():
        replaced = 0
        if existing:
            dedup_demo.delete_province(province)
            benefits_demo.delete_province(province)
            replaced = _delete(Household, province_households(province))
            say(f"Đã xoá {format_number(replaced)} hộ cũ của tỉnh ({format_number(time.perf_counter() - started, 1)} "
                "giây).")
        communes = list(Unit.objects.filter(edition=Edition.CURRENT, level=Level.COMMUNE,
                                            path__startswith=province.path).order_by("code").values_list("id", "code"))
        _check_codes_free(communes)
        hamlets, created = _hamlets(communes)
        setting = _setting(province=province, households=households, seed=seed, year=year, hamlets=hamlets)
        generator = _Generator(setting, seed=seed, year=year)
        h_cols = _columns(Household, HOUSEHOLD_COLUMNS)
        m_cols = _columns(Member, MEMBER_COLUMNS)
        c_cols = _columns(LivingConditions, CONDITION_COLUMNS)
        members = 0
        for number, start in enumerate(range(0, households, BLOCK)):
            stop = min(start + BLOCK, households)
            first = next_ids(Household, stop - start).start
            block = generator.block(number, start, stop, first)
            insert_rows(Household, h_cols, block.households)
            members += insert_rows(Member, m_cols, block.members)
            insert_rows(LivingConditions, c_cols, block.conditions)
            say(f"  {format_number(stop)}/{format_number(households)} hộ, {format_number(members)} nhân khẩu "
                f"({format_number(time.perf_counter() - started, 1)} giây)")
        served = benefits_demo.generate(province=province, seed=seed, year=year, people=members, progress=say)
        members += dedup_demo.plant(province=province, seed=seed, progress=say)  # the same people entered twice
        audit.record(actor=Actor.system(), action="households.demo.generate", obj=province, unit=province, after={
            "households": households, "members": members, "seed": seed, "year": year, "replaced": replaced,
            "hamlets_created": created, "entitlements": served.entitlements, "martyrs": served.martyrs,
            "benefit_dossiers": served.dossiers})
    return Generated(province=province, households=households, members=members, communes=len(setting.communes),
                     hamlets_created=created, seconds=time.perf_counter() - started, replaced=replaced)
