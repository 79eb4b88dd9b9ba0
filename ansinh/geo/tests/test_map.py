import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from ansinh.accounts.models import AuditEvent
from ansinh.geo.loader import load_official_map
from ansinh.geo.models import Edition, Level, Succession, Unit

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_counts_the_legacy_map_before_the_reform():
    assert run("geo", "stats", "--on", "2025-01-01") == "provinces: 63\ndistricts: 696\ncommunes: 10051\n"
    # 10 communes known only from the official crosswalk are in force on the last legacy day.
    assert run("geo", "stats", "--on", "2025-06-30") == "provinces: 63\ndistricts: 696\ncommunes: 10061\n"


def test_it_counts_the_current_map_from_the_reform():
    assert run("geo", "stats", "--on", "2025-07-01") == "provinces: 34\ndistricts: 0\ncommunes: 3321\n"
    assert run("geo", "stats", "--on", "2026-01-01") == "provinces: 34\ndistricts: 0\ncommunes: 3321\n"


def test_it_lists_the_current_successors_of_a_legacy_commune():
    assert run("geo", "successors", "29479") == "29461\tXã Trà Cú\t86\n"


def test_it_rejects_an_unknown_legacy_code():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="99999"):
        run("geo", "successors", "99999")


def test_it_reused_codes_are_different_units(units):
    assert units.legacy_thi_tran_tra_cu.name == "Thị trấn Trà Cú"
    assert units.tra_cu.name == "Xã Trà Cú"
    assert units.legacy_thi_tran_tra_cu.pk != units.tra_cu.pk
    on_2024 = Unit.objects.on(dt.date(2024, 6, 1)).by_code("29461").get()
    on_2026 = Unit.objects.on(dt.date(2026, 6, 1)).by_code("29461").get()
    assert (on_2024, on_2026) == (units.legacy_thi_tran_tra_cu, units.tra_cu)
    # Vĩnh Long 86 before and after are different territories.
    legacy_86 = Unit.objects.get(edition=Edition.LEGACY, code="86")
    assert legacy_86.pk != units.vinh_long.pk
    assert {u.code for u in units.vinh_long.legacy_sources()} == {"83", "84", "86"}


def test_it_the_crosswalk_is_many_to_many():
    split = Succession.objects.filter(old__level=Level.COMMUNE, partial=True).values("old").distinct().count()
    assert split == 441
    assert Succession.objects.filter(old__level=Level.COMMUNE).count() > 10000


def test_it_legacy_sources_of_a_current_commune(units):
    sources = {u.code for u in units.tra_cu.legacy_sources()}
    assert {"29461", "29479"} <= sources
    assert all(u.edition == Edition.LEGACY for u in units.tra_cu.legacy_sources())


def test_it_successors_of_a_legacy_district_come_from_its_communes():
    tra_cu_district = Unit.objects.get(edition=Edition.LEGACY, level=Level.DISTRICT, name="Huyện Trà Cú")
    successors = tra_cu_district.successors()
    assert successors.filter(code="29461").exists()
    assert {u.parent.code for u in successors} == {"86"}


def test_it_ancestors_and_descendants(units):
    assert [u.name for u in units.legacy_ngai_xuyen.ancestors()] == ["Việt Nam", "Tỉnh Trà Vinh", "Huyện Trà Cú"]
    assert [u.code for u in units.tra_cu.ancestors()] == ["VN", "86"]
    communes = Unit.objects.descendants_of(units.vinh_long).filter(level=Level.COMMUNE)
    assert communes.filter(pk=units.tra_cu.pk).exists()
    assert not communes.filter(pk=units.ba_dinh.pk).exists()
    assert not communes.filter(edition=Edition.LEGACY).exists()


def test_it_search_is_accent_insensitive():
    found = Unit.objects.on(dt.date(2026, 1, 1)).search("tra cu")
    assert "Xã Trà Cú" in {u.name for u in found}
    assert "Thị trấn Trà Cú" not in {u.name for u in found}
    assert Unit.objects.on(dt.date(2025, 1, 1)).search("TRA CU").filter(name="Thị trấn Trà Cú").exists()
    assert Unit.objects.on(dt.date(2026, 1, 1)).search("29461").get() .name == "Xã Trà Cú"


def test_it_units_sort_in_vietnamese_order():
    names = list(Unit.objects.on(dt.date(2026, 1, 1)).filter(level=Level.PROVINCE).vietnamese_order()
                 .values_list("name", flat=True))
    # "Tỉnh Đ…" after every "Tỉnh D…" and before "Tỉnh G…"; the database collation has no say.
    tinh = [n for n in names if n.startswith("Tỉnh ")]
    firsts = [n.removeprefix("Tỉnh ")[0] for n in tinh]
    assert firsts.index("Đ") > max(i for i, c in enumerate(firsts) if c == "C")
    assert firsts.index("Đ") < min(i for i, c in enumerate(firsts) if c == "G")


def test_it_loading_again_changes_nothing_and_keeps_hamlets(units):
    hamlet = Unit.objects.create(code="29461-01", name="Ấp Chợ", kind="ap", level=Level.HAMLET,
                                 edition=Edition.CURRENT, parent=units.tra_cu, path="")
    units.tra_cu.name = "tampered"
    units.tra_cu.save()
    result = load_official_map()
    assert (result.created, result.updated, result.successions_created) == (0, 1, 0)
    units.tra_cu.refresh_from_db()
    assert units.tra_cu.name == "Xã Trà Cú"
    assert Unit.objects.filter(pk=hamlet.pk).exists()
    loads = AuditEvent.objects.filter(action="geo.map.load")
    event = loads.first()  # newest first
    assert event is not None and event.after["updated"] == 1 and event.actor is None
    count = loads.count()
    assert load_official_map().updated == 0
    assert loads.count() == count  # nothing changed, nothing logged
