"""The 54 ethnic groups of Vietnam, by the codes of the national statistics office.

Legal basis: Decision 121-TCTK/PPCĐ of 2 Mar 1979 (list of ethnic groups of Vietnam), used by
the population census and by the poverty-review forms of Circular 07/2021/TT-BLĐTBXH.
Code 55 is for foreigners (người nước ngoài), as in the census forms.
"""

from __future__ import annotations

from ansinh.lib.vietnamese import fold

KINH = "01"
KHMER = "05"

ETHNIC_GROUPS: dict[str, str] = {
    "01": "Kinh", "02": "Tày", "03": "Thái", "04": "Hoa", "05": "Khmer", "06": "Mường", "07": "Nùng",
    "08": "Mông", "09": "Dao", "10": "Gia Rai", "11": "Ngái", "12": "Ê Đê", "13": "Ba Na", "14": "Xơ Đăng",
    "15": "Sán Chay", "16": "Cơ Ho", "17": "Chăm", "18": "Sán Dìu", "19": "Hrê", "20": "Mnông",
    "21": "Ra Glai", "22": "Xtiêng", "23": "Bru - Vân Kiều", "24": "Thổ", "25": "Giáy", "26": "Cơ Tu",
    "27": "Giẻ Triêng", "28": "Mạ", "29": "Khơ Mú", "30": "Co", "31": "Tà Ôi", "32": "Chơ Ro",
    "33": "Kháng", "34": "Xinh Mun", "35": "Hà Nhì", "36": "Chu Ru", "37": "Lào", "38": "La Chí",
    "39": "La Ha", "40": "Phù Lá", "41": "La Hủ", "42": "Lự", "43": "Lô Lô", "44": "Chứt", "45": "Mảng",
    "46": "Pà Thẻn", "47": "Cờ Lao", "48": "Cống", "49": "Bố Y", "50": "Si La", "51": "Pu Péo",
    "52": "Brâu", "53": "Ơ Đu", "54": "Rơ Măm", "55": "Người nước ngoài",
}
ETHNICITY_CHOICES = [(code, name) for code, name in ETHNIC_GROUPS.items()]

# Other spellings met in forms and spreadsheets, folded: "Khơ-me", "Kh'mer", "H'Mông".
_ALIASES = {"kho me": KHMER, "kho-me": KHMER, "khome": KHMER, "kh'mer": KHMER, "hmong": "08", "h'mong": "08",
            "h mong": "08", "ede": "12", "e de": "12", "bana": "13", "giarai": "10", "gia-rai": "10"}
_BY_NAME = {fold(name): code for code, name in ETHNIC_GROUPS.items()}


def ethnicity_code(value: str) -> str | None:
    """"05", "5", "Khmer", "khơ-me" -> "05"; None if unknown."""
    text = str(value).strip()
    if text.isdigit():
        code = text.zfill(2)
        return code if code in ETHNIC_GROUPS else None
    folded = fold(text)
    return _BY_NAME.get(folded) or _ALIASES.get(folded) or _ALIASES.get(folded.replace(" ", ""))


def ethnicity_name(code: str) -> str:
    return ETHNIC_GROUPS.get(code, code)
