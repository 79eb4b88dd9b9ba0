"""Children in special circumstances and child-friendly communes (issue 14 item 3): the models and
the law's data, frozen here (a migration never imports a live module):

- the 14 groups of the Law on Children 102/2016/QH13 Art. 10 (in force 1 Jun 2017) [P];
- the 13 criteria of Decision 06/QĐ-TTg of 3 Jan 2019 (Art. 2) with the points confirmed so far
  (criterion 1: 100, criterion 6: 125, from published summaries [S]) and the minimum totals (wards
  of cities 900 [S]; mountain, island and especially difficult communes 800, the others 850, from a
  published summary [S]); all marked provisional until checked against the primary text.
"""
import datetime as dt
from typing import Any


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


LAW = "Luật Trẻ em 102/2016/QH13, Điều 10"
GROUPS = [
    ("orphan", "Trẻ em mồ côi cả cha và mẹ"),
    ("abandoned", "Trẻ em bị bỏ rơi"),
    ("no_carer", "Trẻ em không nơi nương tựa"),
    ("disabled", "Trẻ em khuyết tật"),
    ("hiv", "Trẻ em nhiễm HIV/AIDS"),
    ("law_conflict", "Trẻ em vi phạm pháp luật"),
    ("drug_addicted", "Trẻ em nghiện ma túy"),
    ("dropout", "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở"),
    ("violence", "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực"),
    ("exploited", "Trẻ em bị bóc lột"),
    ("sexual_abuse", "Trẻ em bị xâm hại tình dục"),
    ("trafficked", "Trẻ em bị mua bán"),
    ("serious_illness", "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo"),
    ("migrant", "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc"),
]
DECISION = "Quyết định 06/QĐ-TTg ngày 03/01/2019 của Thủ tướng Chính phủ, Điều 2 (tạm tính, chưa đối chiếu văn bản gốc)"
CRITERIA = [
    ("Nguồn lực thực hiện quyền trẻ em", 100),
    ("Trẻ em được khai sinh đúng quy định", None),
    ("Trẻ em bị xâm hại", None),
    ("Trẻ em vi phạm pháp luật, nghiện ma túy", None),
    ("Trẻ em bị tai nạn, thương tích", None),
    ("Trẻ em có hoàn cảnh đặc biệt được trợ giúp", 125),
    ("Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin thuộc Chương trình tiêm chủng mở rộng", None),
    ("Trẻ em dưới 5 tuổi bị suy dinh dưỡng thể nhẹ cân và thể thấp còi", None),
    ("Trẻ em được khám sức khỏe định kỳ", None),
    ("Trẻ em đến trường, lớp mầm non", None),
    ("Trẻ em được thực hiện quyền tham gia của trẻ em", None),
    ("Hoạt động vui chơi, giải trí, văn hóa, thể dục, thể thao dành cho trẻ em", None),
    ("Mức độ hài lòng của trẻ em và người dân về việc thực hiện quyền trẻ em", None),
]
THRESHOLDS = [("urban_ward", 900), ("difficult", 800), ("other", 850)]


def load_law(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("care", "ChildGroup")
    criterion = apps.get_model("care", "ChildFriendlyCriterion")
    threshold = apps.get_model("care", "ChildFriendlyThreshold")
    law_from, decision_from = dt.date(2017, 6, 1), dt.date(2019, 1, 3)
    for number, (code, name) in enumerate(GROUPS, start=1):
        group.objects.get_or_create(code=code, valid_from=law_from,
                                    defaults={"number": number, "name": name, "legal_basis": LAW})
    for number, (name, points) in enumerate(CRITERIA, start=1):
        criterion.objects.get_or_create(number=number, valid_from=decision_from, defaults={
            "name": name, "max_points": points, "legal_basis": DECISION, "provisional": True})
    for kind, points in THRESHOLDS:
        threshold.objects.get_or_create(kind=kind, valid_from=decision_from, defaults={
            "points": points, "legal_basis": DECISION, "provisional": kind != "urban_ward"})


def unload_law(apps: Any, schema_editor: Any) -> None:
    pass  # the tables go with the models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0002_facilities'),
        ('geo', '0002_model_names'),
        ('households', '0011_member_birth_date_disability_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Child',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('registered_on', models.DateField(verbose_name='registered on')),
                ('note', models.CharField(blank=True, help_text='Personal data.', max_length=500, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('commune', models.ForeignKey(help_text="The commune of the child's household when registered.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='commune')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='special_child', to='households.member', verbose_name='person')),
            ],
            options={
                'verbose_name': 'child in special circumstances',
                'verbose_name_plural': 'children in special circumstances',
            },
        ),
        migrations.CreateModel(
            name='ChildAbuseCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('violence', 'violence'), ('sexual', 'sexual abuse'), ('exploitation', 'exploitation'), ('trafficking', 'trafficking'), ('abandonment', 'abandonment or neglect')], max_length=14, verbose_name='kind')),
                ('occurred_on', models.DateField(verbose_name='occurred on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='abuse_cases', to='care.child', verbose_name='child')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'abuse case',
                'verbose_name_plural': 'abuse cases',
                'ordering': ['-occurred_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ChildCaseNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('written_at', models.DateTimeField(verbose_name='written at')),
                ('author_name', models.CharField(max_length=150, verbose_name='written by')),
                ('text', models.TextField(help_text='Personal data: read in scope only, each reading audited.', verbose_name='text')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='care.child', verbose_name='child')),
            ],
            options={
                'verbose_name': 'case note',
                'verbose_name_plural': 'case notes',
                'ordering': ['-written_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ChildFriendlyAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('commune_kind', models.CharField(choices=[('urban_ward', 'ward of a city'), ('difficult', 'mountain, island or especially difficult commune'), ('other', 'other commune or ward')], default='other', max_length=12, verbose_name='kind of commune')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted to the province'), ('approved', 'approved'), ('returned', 'returned to the commune')], default='draft', max_length=10, verbose_name='status')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='total points')),
                ('threshold', models.PositiveSmallIntegerField(default=0, verbose_name='minimum total')),
                ('recognised', models.BooleanField(default=False, verbose_name='meets the standard')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='commune')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'child-friendly assessment',
                'verbose_name_plural': 'child-friendly assessments',
                'ordering': ['-year', 'commune__sort_key'],
            },
        ),
        migrations.CreateModel(
            name='ChildAssessmentEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted to the province'), ('approved', 'approved'), ('returned', 'returned to the commune')], max_length=10, verbose_name='status')),
                ('by_name', models.CharField(blank=True, max_length=150)),
                ('at', models.DateTimeField()),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='care.childfriendlyassessment')),
            ],
            options={
                'verbose_name': 'step of a child-friendly assessment',
                'verbose_name_plural': 'steps of child-friendly assessments',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ChildFriendlyCriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('max_points', models.PositiveSmallIntegerField(blank=True, help_text='Empty while not confirmed.', null=True, verbose_name='maximum points')),
                ('legal_basis', models.CharField(max_length=300, verbose_name='legal basis')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                ('provisional', models.BooleanField(default=True, help_text='Not yet confirmed against the primary text.', verbose_name='provisional')),
            ],
            options={
                'verbose_name': 'child-friendly criterion',
                'verbose_name_plural': 'child-friendly criteria',
                'ordering': ['number', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('number', 'valid_from'), name='child_criterion_number_from')],
            },
        ),
        migrations.CreateModel(
            name='ChildFriendlyScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('points', models.PositiveSmallIntegerField(verbose_name='points')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='care.childfriendlyassessment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='care.childfriendlycriterion')),
            ],
            options={
                'verbose_name': 'child-friendly score',
                'verbose_name_plural': 'child-friendly scores',
                'ordering': ['criterion__number'],
            },
        ),
        migrations.CreateModel(
            name='ChildFriendlyThreshold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('urban_ward', 'ward of a city'), ('difficult', 'mountain, island or especially difficult commune'), ('other', 'other commune or ward')], max_length=12, verbose_name='kind of commune')),
                ('points', models.PositiveSmallIntegerField(verbose_name='minimum total')),
                ('legal_basis', models.CharField(max_length=300, verbose_name='legal basis')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                ('provisional', models.BooleanField(default=True, verbose_name='provisional')),
            ],
            options={
                'verbose_name': 'child-friendly threshold',
                'verbose_name_plural': 'child-friendly thresholds',
                'ordering': ['kind', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'valid_from'), name='child_threshold_kind_from')],
            },
        ),
        migrations.CreateModel(
            name='ChildGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='code')),
                ('number', models.PositiveSmallIntegerField(verbose_name='number in the law')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('legal_basis', models.CharField(max_length=300, verbose_name='legal basis')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
            ],
            options={
                'verbose_name': 'group of children in special circumstances',
                'verbose_name_plural': 'groups of children in special circumstances',
                'ordering': ['number', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('code', 'valid_from'), name='child_group_code_from')],
            },
        ),
        migrations.CreateModel(
            name='ChildCircumstance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('since', models.DateField(verbose_name='since')),
                ('until', models.DateField(blank=True, null=True, verbose_name='until')),
                ('end_reason', models.CharField(blank=True, choices=[('ended', 'the circumstance ended'), ('adopted', 'adopted or placed in a family'), ('moved', 'moved away'), ('died', 'died'), ('other', 'other reason')], max_length=10, verbose_name='why it ended')),
                ('note', models.CharField(blank=True, help_text='Personal data.', max_length=300, verbose_name='note')),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='circumstances', to='care.child', verbose_name='child')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='care.childgroup', verbose_name='group')),
            ],
            options={
                'verbose_name': 'circumstance',
                'verbose_name_plural': 'circumstances',
                'ordering': ['since', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ChildSupport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('care', 'care and nurture'), ('education', 'education'), ('health', 'health care'), ('legal', 'legal aid'), ('psychological', 'psychological support'), ('material', 'material support or gifts'), ('other', 'other support')], max_length=14, verbose_name='kind')),
                ('provided_on', models.DateField(verbose_name='provided on')),
                ('provider', models.CharField(max_length=200, verbose_name='provided by')),
                ('description', models.CharField(blank=True, help_text='Personal data.', max_length=500, verbose_name='description')),
                ('amount', models.DecimalField(blank=True, decimal_places=0, max_digits=14, null=True, verbose_name='amount (VND)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports', to='care.child', verbose_name='child')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'support to a child',
                'verbose_name_plural': 'support to children',
                'ordering': ['-provided_on', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['commune', 'registered_on'], name='care_child_commune_idx'),
        ),
        migrations.AddIndex(
            model_name='childabusecase',
            index=models.Index(fields=['occurred_on'], name='care_child_abuse_on'),
        ),
        migrations.AddIndex(
            model_name='childfriendlyassessment',
            index=models.Index(fields=['year', 'status'], name='care_child_assess_year'),
        ),
        migrations.AddConstraint(
            model_name='childfriendlyassessment',
            constraint=models.UniqueConstraint(fields=('commune', 'year'), name='child_assessment_commune_year'),
        ),
        migrations.AddConstraint(
            model_name='childfriendlyscore',
            constraint=models.UniqueConstraint(fields=('assessment', 'criterion'), name='child_score_unique'),
        ),
        migrations.AddIndex(
            model_name='childcircumstance',
            index=models.Index(fields=['since', 'until'], name='care_child_circ_dates'),
        ),
        migrations.AddConstraint(
            model_name='childcircumstance',
            constraint=models.CheckConstraint(condition=models.Q(('until__isnull', True), ('until__gte', models.F('since')), _connector='OR'), name='child_circumstance_dates'),
        ),
        migrations.AddIndex(
            model_name='childsupport',
            index=models.Index(fields=['provided_on'], name='care_child_support_on'),
        ),
        migrations.RunPython(load_law, unload_law),
    ]
