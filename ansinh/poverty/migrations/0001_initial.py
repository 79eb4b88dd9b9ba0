"""The poverty review's models, moved from the `households` app: state only (see
`households.0007_move_poverty_models`); their tables already exist and keep their names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('geo', '0001_initial'),
        ('households', '0007_move_poverty_models'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='PovertyStandard',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=16, unique=True, verbose_name='code')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('basis', models.CharField(max_length=300, verbose_name='legal basis')),
                    ('valid_from', models.DateField(verbose_name='in force from')),
                    ('valid_to', models.DateField(blank=True, help_text='Last day in force (inclusive), extensions included.', null=True, verbose_name='in force until')),
                    ('rule', models.CharField(choices=[('income_or_deprivation', 'income alone, or income band and deprivations'), ('income_and_deprivation', 'income line and deprivations')], max_length=32, verbose_name='classification rule')),
                    ('poverty_line_rural', models.DecimalField(decimal_places=0, max_digits=12, verbose_name='poverty line, rural')),
                    ('poverty_line_urban', models.DecimalField(decimal_places=0, max_digits=12, verbose_name='poverty line, urban')),
                    ('near_poor_line_rural', models.DecimalField(blank=True, decimal_places=0, max_digits=12, null=True, verbose_name='near-poverty line, rural')),
                    ('near_poor_line_urban', models.DecimalField(blank=True, decimal_places=0, max_digits=12, null=True, verbose_name='near-poverty line, urban')),
                    ('average_line_rural', models.DecimalField(blank=True, decimal_places=0, max_digits=12, null=True, verbose_name='average living standard up to, rural')),
                    ('average_line_urban', models.DecimalField(blank=True, decimal_places=0, max_digits=12, null=True, verbose_name='average living standard up to, urban')),
                    ('min_deprivations', models.PositiveSmallIntegerField(default=3, verbose_name='deprivations that make a household poor')),
                    ('provisional', models.BooleanField(default=False, help_text='Parts of this standard could not be checked against the primary text; they are configurable data.', verbose_name='provisional')),
                    ('note', models.TextField(blank=True, verbose_name='note')),
                ],
                options={
                    'verbose_name': 'poverty standard',
                    'verbose_name_plural': 'poverty standards',
                    'db_table': 'households_povertystandard',
                    'ordering': ['valid_from'],
                },
            ),
            migrations.CreateModel(
                name='ReviewRound',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('kind', models.CharField(choices=[('periodic', 'periodic (yearly)'), ('regular', 'regular (monthly)')], default='periodic', max_length=10, verbose_name='kind')),
                    ('month', models.PositiveSmallIntegerField(blank=True, help_text='For regular reviews.', null=True, verbose_name='month')),
                    ('reference_date', models.DateField(help_text='Ages and membership are taken on this day.', verbose_name='reference date')),
                    ('status', models.CharField(choices=[('open', 'open'), ('decided', 'decided and locked')], default='open', max_length=10, verbose_name='status')),
                    ('classified_at', models.DateTimeField(blank=True, null=True, verbose_name='last classified')),
                    ('households_classified', models.PositiveIntegerField(default=0)),
                    ('decision_number', models.CharField(blank=True, max_length=60, verbose_name='decision number')),
                    ('decided_on', models.DateField(blank=True, null=True, verbose_name='decided on')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='poverty.reviewround', verbose_name='previous round')),
                    ('standard', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='poverty.povertystandard', verbose_name='standard')),
                    ('unit', models.ForeignKey(help_text='A province or a commune of the current map.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='unit')),
                ],
                options={
                    'verbose_name': 'review round',
                    'verbose_name_plural': 'review rounds',
                    'db_table': 'households_reviewround',
                    'ordering': ['-year', '-month', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='Assessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('area', models.CharField(choices=[('urban', 'urban'), ('rural', 'rural')], max_length=8)),
                    ('head_ethnicity', models.CharField(choices=[('01', 'Kinh'), ('02', 'Tày'), ('03', 'Thái'), ('04', 'Hoa'), ('05', 'Khmer'), ('06', 'Mường'), ('07', 'Nùng'), ('08', 'Mông'), ('09', 'Dao'), ('10', 'Gia Rai'), ('11', 'Ngái'), ('12', 'Ê Đê'), ('13', 'Ba Na'), ('14', 'Xơ Đăng'), ('15', 'Sán Chay'), ('16', 'Cơ Ho'), ('17', 'Chăm'), ('18', 'Sán Dìu'), ('19', 'Hrê'), ('20', 'Mnông'), ('21', 'Ra Glai'), ('22', 'Xtiêng'), ('23', 'Bru - Vân Kiều'), ('24', 'Thổ'), ('25', 'Giáy'), ('26', 'Cơ Tu'), ('27', 'Giẻ Triêng'), ('28', 'Mạ'), ('29', 'Khơ Mú'), ('30', 'Co'), ('31', 'Tà Ôi'), ('32', 'Chơ Ro'), ('33', 'Kháng'), ('34', 'Xinh Mun'), ('35', 'Hà Nhì'), ('36', 'Chu Ru'), ('37', 'Lào'), ('38', 'La Chí'), ('39', 'La Ha'), ('40', 'Phù Lá'), ('41', 'La Hủ'), ('42', 'Lự'), ('43', 'Lô Lô'), ('44', 'Chứt'), ('45', 'Mảng'), ('46', 'Pà Thẻn'), ('47', 'Cờ Lao'), ('48', 'Cống'), ('49', 'Bố Y'), ('50', 'Si La'), ('51', 'Pu Péo'), ('52', 'Brâu'), ('53', 'Ơ Đu'), ('54', 'Rơ Măm'), ('55', 'Người nước ngoài')], max_length=2)),
                    ('size', models.PositiveSmallIntegerField(verbose_name='members')),
                    ('income_per_capita', models.DecimalField(decimal_places=0, max_digits=12)),
                    ('income_method', models.CharField(choices=[('declared', 'declared'), ('estimated', 'estimated by the scoring table (form B1)')], max_length=10)),
                    ('deprivations', models.PositiveIntegerField(help_text="Bit i set: deprived in the standard's indicator at position i.")),
                    ('deprivation_count', models.PositiveSmallIntegerField()),
                    ('status', models.CharField(choices=[('poor', 'poor'), ('near_poor', 'near-poor'), ('average', 'average living standard'), ('not_poor', 'not poor')], max_length=10, verbose_name='status')),
                    ('previous_status', models.CharField(blank=True, choices=[('poor', 'poor'), ('near_poor', 'near-poor'), ('average', 'average living standard'), ('not_poor', 'not poor')], max_length=10)),
                    ('transition', models.CharField(blank=True, choices=[('new_poor', 'new poor'), ('re_poor', 're-poor (fell back into poverty)'), ('near_poor_to_poor', 'near-poor to poor'), ('still_poor', 'still poor'), ('escaped_poverty', 'escaped poverty'), ('poor_to_near_poor', 'poor to near-poor'), ('new_near_poor', 'new near-poor'), ('still_near_poor', 'still near-poor'), ('escaped_near_poverty', 'escaped near-poverty'), ('unchanged', 'neither poor nor near-poor')], max_length=24, verbose_name='change')),
                    ('no_working_capacity', models.BooleanField(default=False, help_text='No member is able to work.')),
                    ('has_meritorious', models.BooleanField(default=False)),
                    ('social_protection', models.BooleanField(default=False, help_text='A member receives a monthly social allowance.')),
                    ('needs', models.PositiveSmallIntegerField(default=0, help_text='Bit i set: NEED_FIELDS[i].')),
                    ('commune', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                    ('hamlet', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                    ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='households.household')),
                    ('round', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='poverty.reviewround')),
                ],
                options={
                    'db_table': 'households_assessment',
                },
            ),
            migrations.CreateModel(
                name='RoundProgress',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('step', models.CharField(choices=[('list', '1. List the households'), ('survey', '2. Survey and classify'), ('meeting', '3. Village meeting'), ('posting', '4. Public posting'), ('decision', '5. Decision of the commune chair')], max_length=10, verbose_name='step')),
                    ('done_on', models.DateField(verbose_name='done on')),
                    ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                    ('at', models.DateTimeField(auto_now_add=True)),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='poverty.reviewround')),
                ],
                options={
                    'db_table': 'households_roundprogress',
                },
            ),
            migrations.CreateModel(
                name='StandardIndicator',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('position', models.PositiveSmallIntegerField(verbose_name='order')),
                    ('code', models.CharField(max_length=32, verbose_name='code')),
                    ('dimension', models.CharField(max_length=100, verbose_name='dimension')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('definition', models.TextField(verbose_name='deprivation threshold')),
                    ('rule', models.CharField(blank=True, help_text='The name of the rule in ansinh.poverty.facts that computes it from the member and living-condition facts; empty if only form B2 can tell.', max_length=32, verbose_name='computed by')),
                    ('params', models.JSONField(blank=True, default=dict, help_text="The rule's thresholds (ages, m² per person, …) as data.", verbose_name='parameters')),
                    ('basis', models.CharField(blank=True, max_length=300, verbose_name='legal basis')),
                    ('provisional', models.BooleanField(default=False, verbose_name='provisional')),
                    ('standard', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='poverty.povertystandard')),
                ],
                options={
                    'db_table': 'households_standardindicator',
                    'ordering': ['standard', 'position'],
                },
            ),
            migrations.CreateModel(
                name='IncomeScoringTable',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('region', models.CharField(max_length=32, verbose_name='region')),
                    ('base', models.DecimalField(decimal_places=0, max_digits=12, verbose_name='base income (VND per person per month)')),
                    ('items', models.JSONField(default=list, help_text='[{"code": "has_motorbike", "label": "…", "points": 150000}, …]: VND per person per month added when the answer is yes (or per unit).', verbose_name='items')),
                    ('provisional', models.BooleanField(default=True, verbose_name='provisional')),
                    ('basis', models.CharField(blank=True, max_length=300, verbose_name='legal basis')),
                    ('standard', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scoring_tables', to='poverty.povertystandard')),
                ],
                options={
                    'db_table': 'households_incomescoringtable',
                    'constraints': [models.UniqueConstraint(fields=('standard', 'region'), name='scoring_table_unique_region')],
                },
            ),
            migrations.AddConstraint(
                model_name='reviewround',
                constraint=models.UniqueConstraint(condition=models.Q(('month__isnull', True)), fields=('unit', 'year', 'kind'), name='round_unique_per_unit_year'),
            ),
            migrations.AddConstraint(
                model_name='reviewround',
                constraint=models.UniqueConstraint(condition=models.Q(('month__isnull', False)), fields=('unit', 'year', 'kind', 'month'), name='round_unique_per_unit_month'),
            ),
            migrations.AddIndex(
                model_name='assessment',
                index=models.Index(fields=['round', 'commune', 'status'], name='households__round_i_3e7e31_idx'),
            ),
            migrations.AddConstraint(
                model_name='assessment',
                constraint=models.UniqueConstraint(fields=('round', 'household'), name='assessment_once_per_round'),
            ),
            migrations.AddConstraint(
                model_name='roundprogress',
                constraint=models.UniqueConstraint(fields=('round', 'commune', 'step'), name='progress_once_per_step'),
            ),
            migrations.AddConstraint(
                model_name='standardindicator',
                constraint=models.UniqueConstraint(fields=('standard', 'code'), name='indicator_code_unique_per_standard'),
            ),
            migrations.AddConstraint(
                model_name='standardindicator',
                constraint=models.UniqueConstraint(fields=('standard', 'position'), name='indicator_position_unique_per_standard'),
            ),
            ],
        ),
    ]
