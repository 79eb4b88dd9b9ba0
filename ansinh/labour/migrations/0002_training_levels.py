"""Training levels as dated law data, and the definition of the trained-labour rates (lane training).

Levels (`TrainingLevel`, code unique: one row per level, dated by valid_from/valid_to):
- cao đẳng, trung cấp, sơ cấp: Law 74/2014/QH13 Art. 3, 33 (in force 1 Jul 2015), kept by Law
  124/2025/QH15 (in force 1 Jan 2026, read in a secondary source);
- đào tạo dưới 03 tháng: the continuing-training programmes of Circular 43/2015/TT-BLĐTBXH Art. 1,
  supported with sơ cấp by QĐ 46/2015/QĐ-TTg; no diploma of a level (not "certified");
- trung học nghề: from 1 Jan 2026, Law 124/2025/QH15 (digest [S]: provisional).

The definition of the rates is provisional: the official method was not found (digest §4 [U]).
"""

import datetime as dt

from django.db import migrations, models

LAW_2014 = "Luật Giáo dục nghề nghiệp 74/2014/QH13, Điều 3, Điều 33"
LAW_2025 = "Luật Giáo dục nghề nghiệp 124/2025/QH15 (từ 01/01/2026)"
LEVELS = [
    # code, name, rank, certified, valid_from, legal basis, provisional
    ("college", "Cao đẳng", 40, True, dt.date(2015, 7, 1), f"{LAW_2014}; {LAW_2025}", False),
    ("intermediate", "Trung cấp", 30, True, dt.date(2015, 7, 1), f"{LAW_2014}; {LAW_2025}", False),
    ("vocational_secondary", "Trung học nghề", 25, True, dt.date(2026, 1, 1),
     f"{LAW_2025}; Nghị định 95/2026/NĐ-CP", True),
    ("elementary", "Sơ cấp", 20, True, dt.date(2015, 7, 1), f"{LAW_2014}; {LAW_2025}", False),
    ("under_3_months", "Đào tạo dưới 03 tháng", 10, False, dt.date(2015, 7, 1),
     "Thông tư 43/2015/TT-BLĐTBXH, Điều 1; Quyết định 46/2015/QĐ-TTg", False),
]
DEFINITION = {
    "name": "Tỷ lệ lao động qua đào tạo tính từ sổ hộ (cách tính tạm thời)",
    "valid_from": dt.date(2015, 7, 1),
    "legal_basis": ("Bộ luật Lao động 45/2019/QH14, Điều 3, Điều 169; Nghị định 135/2020/NĐ-CP, Điều 4; "
                    "Luật Giáo dục nghề nghiệp 74/2014/QH13, Điều 3; phương pháp tính chính thức (danh mục chỉ "
                    "tiêu thống kê quốc gia) chưa xác nhận"),
    "provisional": True,
}


def add_rows(apps, schema_editor):
    TrainingLevel = apps.get_model("labour", "TrainingLevel")
    TrainedRateDefinition = apps.get_model("labour", "TrainedRateDefinition")
    for code, name, rank, certified, valid_from, basis, provisional in LEVELS:
        TrainingLevel.objects.update_or_create(code=code, defaults={
            "name": name, "rank": rank, "certified": certified, "valid_from": valid_from, "legal_basis": basis,
            "provisional": provisional})
    if not TrainedRateDefinition.objects.exists():
        TrainedRateDefinition.objects.create(**DEFINITION)


def remove_rows(apps, schema_editor):
    apps.get_model("labour", "TrainedRateDefinition").objects.all().delete()
    apps.get_model("labour", "TrainingLevel").objects.filter(code__in=[row[0] for row in LEVELS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("labour", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrainedRateDefinition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                ("legal_basis", models.CharField(max_length=300, verbose_name="legal basis")),
                ("provisional", models.BooleanField(default=False, help_text="Read in a secondary source; to be confirmed against the text.", verbose_name="provisional")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("min_age", models.PositiveSmallIntegerField(default=15, verbose_name="working age from (years)")),
                ("labour_force_only", models.BooleanField(default=False, help_text="Leave out members not in the labour force (studying, retired, homemakers).", verbose_name="only members in the labour force")),
                ("trained_vocational", models.BooleanField(default=True, verbose_name="a vocational qualification counts as trained")),
                ("trained_higher", models.BooleanField(default=True, verbose_name="a college or university degree counts as trained")),
                ("trained_in_training", models.BooleanField(default=False, verbose_name="being in a training course counts as trained")),
                ("trained_completed", models.BooleanField(default=True, verbose_name="a completed course of the registry counts as trained")),
                ("certified_vocational", models.BooleanField(default=True, verbose_name="a vocational qualification counts as certified")),
                ("certified_higher", models.BooleanField(default=True, verbose_name="a college or university degree counts as certified")),
                ("certified_certificate", models.BooleanField(default=True, help_text="An enrolment with a diploma or certificate issued on or before the day, at a level that gives one.", verbose_name="a certificate of the registry counts as certified")),
            ],
            options={
                "verbose_name": "definition of the trained-labour rates",
                "verbose_name_plural": "definitions of the trained-labour rates",
                "constraints": [models.UniqueConstraint(fields=("valid_from",), name="labour_trained_rate_once")],
            },
        ),
        migrations.RunPython(add_rows, remove_rows),
    ]
