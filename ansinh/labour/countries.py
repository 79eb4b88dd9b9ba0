"""Countries by their Vietnamese names: the destinations of workers abroad (Law 69/2020/QH14) and
the nationalities of foreign workers (Decree 152/2020, Decree 219/2025).

The records keep the ISO 3166-1 alpha-2 code (`Departure.destination`, `ForeignWorker.nationality`);
officers never see it: pages, files and reports show `country_name(code)`, and every form, filter
and import reads a Vietnamese name with `country_code(text)` (accent- and case-insensitive, with
the usual other spellings: "Đài Loan (Trung Quốc)", "Hàn", "Nhật", "CHND Trung Hoa", …).
The list covers the countries that matter for the province: the labour markets (Đài Loan, Nhật
Bản, Hàn Quốc first, then the Middle East, Europe, Southeast Asia) and the nationalities of the
foreign workers in Vietnam (Trung Quốc, Hàn Quốc, Nhật Bản, Đài Loan first).
"""

from __future__ import annotations

from ansinh.lib.vietnamese import fold

# ISO 3166-1 alpha-2 -> the Vietnamese name as the ministry's reports write it.
COUNTRIES: dict[str, str] = {
    "TW": "Đài Loan (Trung Quốc)",
    "JP": "Nhật Bản",
    "KR": "Hàn Quốc",
    "CN": "Trung Quốc",
    "HK": "Hồng Kông (Trung Quốc)",
    "MO": "Ma Cao (Trung Quốc)",
    "SG": "Xinh-ga-po",
    "MY": "Ma-lai-xi-a",
    "TH": "Thái Lan",
    "LA": "Lào",
    "KH": "Cam-pu-chia",
    "ID": "In-đô-nê-xi-a",
    "PH": "Phi-líp-pin",
    "MM": "Mi-an-ma",
    "BN": "Bru-nây",
    "IN": "Ấn Độ",
    "BD": "Băng-la-đét",
    "PK": "Pa-ki-xtan",
    "NP": "Nê-pan",
    "LK": "Xri Lan-ca",
    "MN": "Mông Cổ",
    "SA": "Ả Rập Xê-út",
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "QA": "Ca-ta",
    "KW": "Cô-oét",
    "OM": "Ô-man",
    "BH": "Ba-ranh",
    "IL": "I-xra-en",
    "TR": "Thổ Nhĩ Kỳ",
    "DZ": "An-giê-ri",
    "LY": "Li-bi",
    "RU": "Liên bang Nga",
    "DE": "Đức",
    "FR": "Pháp",
    "GB": "Vương quốc Anh",
    "IT": "I-ta-li-a",
    "ES": "Tây Ban Nha",
    "NL": "Hà Lan",
    "BE": "Bỉ",
    "CH": "Thụy Sĩ",
    "AT": "Áo",
    "SE": "Thụy Điển",
    "FI": "Phần Lan",
    "DK": "Đan Mạch",
    "NO": "Na Uy",
    "PL": "Ba Lan",
    "CZ": "Séc",
    "SK": "Xlô-va-ki-a",
    "HU": "Hung-ga-ri",
    "RO": "Ru-ma-ni",
    "BG": "Bun-ga-ri",
    "HR": "Crô-a-ti-a",
    "RS": "Xéc-bi-a",
    "LT": "Lít-va",
    "PT": "Bồ Đào Nha",
    "GR": "Hy Lạp",
    "UA": "U-crai-na",
    "IE": "Ai-len",
    "US": "Hoa Kỳ",
    "CA": "Ca-na-đa",
    "MX": "Mê-hi-cô",
    "BR": "Bra-xin",
    "AU": "Ô-xtrây-li-a",
    "NZ": "Niu Di-lân",
    "ZA": "Nam Phi",
    "NG": "Ni-giê-ri-a",
    "EG": "Ai Cập",
    "AO": "Ăng-gô-la",
    "MZ": "Mô-dăm-bích",
}

# Other spellings (folded) -> code. The official names above are always read too.
ALIASES: dict[str, str] = {
    "dai loan": "TW", "taiwan": "TW", "trung hoa dai bac": "TW", "dai loan trung quoc": "TW",
    "nhat": "JP", "japan": "JP", "nhat ban": "JP",
    "han": "KR", "han quoc": "KR", "dai han dan quoc": "KR", "korea": "KR", "nam han": "KR",
    "trung quoc": "CN", "china": "CN", "trung hoa": "CN", "chnd trung hoa": "CN",
    "cong hoa nhan dan trung hoa": "CN",
    "hong kong": "HK", "hongkong": "HK", "ma cao": "MO", "macao": "MO", "macau": "MO",
    "singapore": "SG", "xingapo": "SG", "malaysia": "MY", "malaixia": "MY", "thai": "TH", "thailand": "TH",
    "campuchia": "KH", "cambodia": "KH", "indonesia": "ID", "philippines": "PH", "philippin": "PH",
    "myanmar": "MM", "an do": "IN", "india": "IN", "bangladesh": "BD", "pakistan": "PK", "nepal": "NP",
    "sri lanka": "LK", "mong co": "MN", "a rap xe ut": "SA", "saudi arabia": "SA", "a rap saudi": "SA",
    "uae": "AE", "ca tieu vuong quoc a rap thong nhat": "AE", "tieu vuong quoc a rap thong nhat": "AE",
    "qatar": "QA", "kuwait": "KW", "israel": "IL", "tho nhi ky": "TR", "algeria": "DZ", "nga": "RU",
    "russia": "RU", "lien bang nga": "RU", "duc": "DE", "germany": "DE", "phap": "FR", "france": "FR",
    "anh": "GB", "vuong quoc anh": "GB", "united kingdom": "GB", "uk": "GB", "italia": "IT", "y": "IT",
    "tay ban nha": "ES", "ha lan": "NL", "ba lan": "PL", "poland": "PL", "sec": "CZ", "cong hoa sec": "CZ",
    "slovakia": "SK", "hungary": "HU", "romania": "RO", "rumani": "RO", "bulgaria": "BG", "croatia": "HR",
    "serbia": "RS", "lithuania": "LT", "bo dao nha": "PT", "hy lap": "GR", "ukraine": "UA", "ireland": "IE",
    "my": "US", "hoa ky": "US", "usa": "US", "canada": "CA", "mexico": "MX", "brazil": "BR", "uc": "AU",
    "australia": "AU", "new zealand": "NZ", "nam phi": "ZA", "nigeria": "NG", "ai cap": "EG",
    "angola": "AO", "mozambique": "MZ",
}


def _key(text: str) -> str:
    """Folded, without punctuation and hyphens: "Ma-lai-xi-a" and "malaixia" meet."""
    folded = fold(text)
    cleaned = "".join(ch if ch.isalnum() or ch == " " else " " for ch in folded)
    return " ".join(cleaned.split())


def _lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, name in COUNTRIES.items():
        out[_key(name)] = code
        out[_key(name).replace(" ", "")] = code
        if "(" in name:  # "Đài Loan (Trung Quốc)" is also "Đài Loan"
            out.setdefault(_key(name.split("(")[0]), code)
    for alias, code in ALIASES.items():
        out.setdefault(_key(alias), code)
        out.setdefault(_key(alias).replace(" ", ""), code)
    return out


LOOKUP = _lookup()


def country_name(code: str) -> str:
    """The Vietnamese name of an ISO code (the code itself for a country not on the list, so a
    record is never shown empty; a blank code gives "")."""
    return COUNTRIES.get((code or "").upper(), (code or "").upper())


def country_code(text: str) -> str | None:
    """The ISO code of a country written in Vietnamese (accents, case, hyphens and spaces do not
    matter; the usual other names are read); None when not known."""
    key = _key(text or "")
    if not key:
        return None
    return LOOKUP.get(key) or LOOKUP.get(key.replace(" ", ""))


def choices() -> list[tuple[str, str]]:
    """(code, name) for forms' drop-downs, the main markets first, then by name."""
    first = ["TW", "JP", "KR", "CN"]
    rest = sorted((c for c in COUNTRIES if c not in first), key=lambda c: fold(COUNTRIES[c]))
    return [(code, COUNTRIES[code]) for code in [*first, *rest]]


def names_text() -> str:
    """The main names, for a template's note."""
    return "; ".join(COUNTRIES[c] for c in ("TW", "JP", "KR", "CN", "SG", "MY", "DE"))


__all__ = ["ALIASES", "COUNTRIES", "choices", "country_code", "country_name", "names_text"]
