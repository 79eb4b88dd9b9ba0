"""Report sentences: placeholders, optional parts, Vietnamese numbers, rounding of percentages, and
which template applies (the catalogue's or a department's own, the nearest on the unit's path)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ansinh.accounts.models import AuditEvent
from ansinh.plans import sentences
from ansinh.plans.models import Indicator, IndicatorSentence
from ansinh.plans.periods import Period
from ansinh.plans.sentences import Figures, render

pytestmark = pytest.mark.django_db


def get(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def all_indicators() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.all()}


def test_it_numbers_and_percentages_in_vietnamese() -> None:
    assert sentences.number(7645) == "7.645" and sentences.number(Decimal(13747)) == "13.747"
    assert sentences.number(67.67, 2) == "67,67" and sentences.number(12.5) == "12,5"
    assert sentences.share(192, 900) == "21,3%"
    assert sentences.share(2650, 20000) == "13,3%"  # 13,25 rounds half up, not to the even 13,2
    assert sentences.share(2650, 20000, 2) == "13,25%"
    assert sentences.share(7645, 23000) == "33,2%" and sentences.share(1, 0) is None
    assert sentences.period_label(Period.parse("2020-Q1")) == "quý I năm 2020"
    assert sentences.period_label(Period.parse("2022-H1")) == "6 tháng đầu năm 2022"


def test_it_seed_001_jobs_sentence() -> None:
    jobs = get("jobs_created")
    figures = Figures(value=Decimal(7645), target=Decimal(23000),
                      breakdowns=[("female", Decimal(3899)), ("ethnic_minority", Decimal(2142)),
                                  ("youth", Decimal(4969))])
    assert render(jobs.sentence, jobs, figures) == (
        "Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch (trong đó nữ 3.899 lao động, "
        "dân tộc 2.142 lao động, lao động là thanh niên 4.969 lao động)")


def test_it_destinations_without_the_unit_and_missing_parts_dropped() -> None:
    overseas = get("overseas_workers")
    figures = Figures(value=192, target=900, breakdowns=[("taiwan", 61), ("japan", 128), ("korea", 3)])
    assert render(overseas.sentence, overseas, figures) == (
        "Đưa 192 lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng, đạt 21,3% kế hoạch "
        "(trong đó có Đài Loan 61, Nhật Bản 128, Hàn Quốc 3)")
    # no target and no parts: both optional parts go
    assert render(overseas.sentence, overseas, Figures(value=192)) == (
        "Đưa 192 lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng")


def test_it_a_reduction_says_which_way_it_went() -> None:
    reduction, rate = get("poor_reduction"), get("poor_rate_reduction")
    assert render(reduction.sentence, reduction, Figures(value=116, target=340)) == (
        "Số hộ nghèo giảm 116 hộ so với kỳ rà soát trước, đạt 34,1% kế hoạch")
    # more poor households than last time: "tăng", and no share of the reduction target
    assert render(reduction.sentence, reduction, Figures(value=-12, target=340)) == (
        "Số hộ nghèo tăng 12 hộ so với kỳ rà soát trước")
    assert render(rate.sentence, rate, Figures(value=Decimal("0.1"), target=Decimal("0.1"))) == (
        "Tỷ lệ hộ nghèo giảm 0,10% (kế hoạch giảm 0,10%)")
    assert render(rate.sentence, rate, Figures(value=Decimal("-0.25"))) == "Tỷ lệ hộ nghèo tăng 0,25%"


def test_it_seed_001_poverty_sentence_with_the_khmer_shares() -> None:
    poor = get("poor_households")
    figures = Figures(value=9214, breakdowns=[("khmer", 5394), ("social_protection", 1573)],
                      others={"poor_rate": Decimal("3.22"), "khmer_poor_rate": Decimal("6.05"),
                              "poor_households.khmer": 5394})
    assert render(poor.sentence, poor, figures, indicators=all_indicators()) == (
        "Tổng số hộ nghèo là 9.214 hộ, chiếm 3,22% so với tổng số hộ dân cư (trong đó: hộ nghèo dân tộc "
        "Khmer 5.394 hộ, hộ nghèo thuộc chính sách bảo trợ xã hội 1.573 hộ); hộ nghèo dân tộc Khmer chiếm "
        "6,05% so với tổng số hộ dân tộc Khmer")
    # a part quoted by name: {CODE.PART}
    assert render("{poor_households.khmer} hộ Khmer", poor, figures, indicators=all_indicators()) == "5.394 hộ Khmer"
    assert sentences.check_template("{poor_households.khmer} {nothing.khmer}", all_indicators()) == [
        "Ô thay thế không có trong danh mục: {nothing.khmer}."]


def test_it_seed_001_on_time_dossiers() -> None:
    on_time = get("admin_dossiers_on_time")
    figures = Figures(value=287, others={"admin_on_time_rate": Decimal(100)})
    assert render(on_time.sentence, on_time, figures, indicators=all_indicators()) == (
        "Trả kết quả đúng và trước hạn 287 hồ sơ, đạt 100,0%")


def test_it_corrected_shipped_sentences_replace_only_unedited_ones() -> None:
    from ansinh.plans.catalogue_data import SENTENCE_FIXES, fix_sentences

    old = dict(SENTENCE_FIXES)
    Indicator.objects.filter(code="poor_reduction").update(sentence=old["poor_reduction"])
    Indicator.objects.filter(code="admin_dossiers_on_time").update(sentence="Một câu của Sở: {value}")
    fix_sentences(Indicator)
    assert "{fall}" in get("poor_reduction").sentence
    assert get("admin_dossiers_on_time").sentence == "Một câu của Sở: {value}"


def test_it_percent_decimals_of_the_plan() -> None:
    trained = get("trained_workers")
    figures = Figures(value=2650, target=20000)
    assert render(trained.sentence, trained, figures) == "Tuyển sinh, đào tạo nghề cho 2.650 người, đạt 13,3% so " \
                                                         "với kế hoạch"
    assert "đạt 13,25% so với kế hoạch" in render(trained.sentence, trained, figures, percent_decimals=2)


def test_it_rates_other_indicators_change_and_period() -> None:
    poor = get("poor_households")
    figures = Figures(value=9214, others={"poor_rate": Decimal("3.2219")},
                      breakdowns=[("khmer", 5394), ("social_protection", 1573)])
    assert render(poor.sentence, poor, figures, indicators=all_indicators()) == (
        "Tổng số hộ nghèo là 9.214 hộ, chiếm 3,22% so với tổng số hộ dân cư (trong đó: hộ nghèo dân tộc Khmer "
        "5.394 hộ, hộ nghèo thuộc chính sách bảo trợ xã hội 1.573 hộ)")
    # a placeholder without a value outside [[…]] is a blank to fill
    assert "chiếm … so với" in render(poor.sentence, poor, Figures(value=9214), indicators=all_indicators())
    jobs = get("jobs_created")
    template = "{period}: {value} {unit}[[, {change}]]"
    assert render(template, jobs, Figures(value=7645, previous=7525, period=Period.parse("2020-Q1"))) == (
        "quý I năm 2020: 7.645 lao động, tăng 120 lao động so với cùng kỳ")
    assert render(template, jobs, Figures(value=7400, previous=7525, period=Period.parse("2020-Q1"))).endswith(
        "giảm 125 lao động so với cùng kỳ")
    assert render(template, jobs, Figures(value=7400, period=Period.parse("2020-Q1"))) == "quý I năm 2020: 7.400 " \
                                                                                          "lao động"
    rate = get("trained_labour_rate")
    assert render(rate.sentence, rate, Figures(value=Decimal("67.67"), target=70)) == (
        "Tỷ lệ lao động qua đào tạo đạt 67,67% (kế hoạch 70,00%)")
    assert render("{value}{unit}[[, {change}]]", rate, Figures(value=Decimal("67.67"), previous=Decimal("66.5"))) \
        == "67,67%, tăng 1,17 điểm phần trăm so với cùng kỳ"


def test_it_check_template() -> None:
    codes = list(Indicator.objects.values_list("code", flat=True))
    assert sentences.check_template("Giải quyết việc làm cho {value} {unit}[[, đạt {percent}]] {poor_rate}", codes) == []
    assert len(sentences.check_template("{value} [[, {percent}", codes)) == 1
    assert len(sentences.check_template("{value} [[a [[b]] ]]", codes)) == 1
    assert any("{nothing}" in e for e in sentences.check_template("{value} {nothing}", codes))
    assert len(sentences.check_template("{value} {", codes)) == 1


def test_it_nearest_department_sentence_wins(people, units) -> None:  # type: ignore[no-untyped-def]
    jobs = get("jobs_created")
    commune = units.tra_cu
    assert sentences.templates_for(commune)["jobs_created"] == jobs.sentence
    sentences.sentence_save(actor=people.minh, indicator=jobs, unit=units.vinh_long, text="Tỉnh: {value} {unit}")
    assert sentences.templates_for(commune)["jobs_created"] == "Tỉnh: {value} {unit}"
    assert sentences.templates_for(units.ba_dinh)["jobs_created"] == jobs.sentence  # another province
    # a legacy commune taken over by Vĩnh Long follows the province's sentence
    assert sentences.templates_for(units.legacy_ngai_xuyen)["jobs_created"] == "Tỉnh: {value} {unit}"
    IndicatorSentence.objects.create(indicator=jobs, unit=commune, text="Xã: {value}")
    assert sentences.templates_for(commune)["jobs_created"] == "Xã: {value}"


def test_it_sentence_save_is_audited_and_validated(people, units) -> None:  # type: ignore[no-untyped-def]
    jobs = get("jobs_created")
    saved = sentences.sentence_save(actor=people.minh, indicator=jobs, unit=units.vinh_long,
                                    text="  Giải quyết việc làm {value} {unit}  ")
    assert saved is not None and saved.text == "Giải quyết việc làm {value} {unit}" and saved.updated_by == people.minh
    event = AuditEvent.objects.filter(action="plans.sentence.save").latest("pk")
    assert event.after["text"] == saved.text and event.before["text"] == jobs.sentence
    with pytest.raises(ValidationError) as error:
        sentences.sentence_save(actor=people.minh, indicator=jobs, unit=units.vinh_long, text="{value} {bogus}")
    assert "text" in error.value.message_dict
    assert IndicatorSentence.objects.get(indicator=jobs, unit=units.vinh_long).text == saved.text
    # the catalogue's sentence (or nothing) goes back to the catalogue
    assert sentences.sentence_save(actor=people.minh, indicator=jobs, unit=units.vinh_long, text="") is None
    assert not IndicatorSentence.objects.filter(indicator=jobs).exists()
    assert AuditEvent.objects.filter(action="plans.sentence.reset").count() == 1


def test_it_preview_uses_sample_figures() -> None:
    jobs = get("jobs_created")
    assert sentences.preview(jobs, jobs.sentence) == (
        "Giải quyết việc làm cho 7.645 lao động, đạt 33,2% so với kế hoạch (trong đó nữ 3.899 lao động, "
        "dân tộc 2.142 lao động, lao động là thanh niên 4.969 lao động)")

