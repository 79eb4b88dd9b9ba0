# The inspections area of the care app (issue 14 item 4): plans, inspections, follow-ups, citizen reception, letters.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0003_children'),
        ('geo', '0002_model_names'),
        ('labour', '0004_unemployment_law'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Inspection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('inspection', 'inspection'), ('check', 'check')], default='check', max_length=12, verbose_name='kind')),
                ('team', models.CharField(choices=[('inspectorate', 'Department inspectorate'), ('team_178', 'Interdisciplinary team 178'), ('other', 'Other team')], max_length=16, verbose_name='inspecting body')),
                ('legal_area', models.CharField(choices=[('labour', 'labour law'), ('social_insurance', 'social, health and unemployment insurance'), ('safety', 'occupational safety and health'), ('social_assistance', 'social assistance policy'), ('meritorious', 'policies for meritorious people'), ('children', 'children'), ('vocational', 'vocational education'), ('social_evils', 'social evils, entertainment businesses'), ('other', 'other')], max_length=20, verbose_name='legal area')),
                ('subject_kind', models.CharField(choices=[('establishment', 'establishment or enterprise'), ('unit', 'agency or unit')], default='establishment', max_length=16, verbose_name='subject')),
                ('subject_name', models.CharField(max_length=255, verbose_name='name of the establishment or unit')),
                ('subject_key', models.CharField(db_index=True, editable=False, max_length=260)),
                ('started_on', models.DateField(db_index=True, verbose_name='started on')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                ('members', models.CharField(blank=True, max_length=500, verbose_name='team members')),
                ('findings', models.TextField(blank=True, verbose_name='findings')),
                ('violations_count', models.PositiveIntegerField(default=0, verbose_name='violations')),
                ('violation_kind', models.CharField(blank=True, choices=[('no_contract', 'workers without a labour contract'), ('insurance', 'insurance not paid or not in full'), ('wages', 'wages, working time'), ('safety', 'occupational safety and health'), ('licence', 'business conditions, licence'), ('policy', 'policy paid wrongly'), ('other', 'other')], max_length=16, verbose_name='kind of violation')),
                ('violations', models.TextField(blank=True, verbose_name='violations found')),
                ('recommendations', models.TextField(blank=True, verbose_name='recommendations')),
                ('sanction_amount', models.DecimalField(decimal_places=0, default=Decimal('0'), max_digits=14, verbose_name='fines (VND)')),
                ('sanction_note', models.CharField(blank=True, help_text='Decision number, or a reminder and a written commitment.', max_length=255, verbose_name='sanction')),
                ('is_demo', models.BooleanField(default=False, editable=False, help_text='Made by `ansinh demo care`.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('employer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='labour.employer', verbose_name='employer')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                ('unit', models.ForeignKey(help_text='The commune where the establishment lies, or the province.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='where')),
            ],
            options={
                'verbose_name': 'inspection',
                'verbose_name_plural': 'inspections',
                'ordering': ['-started_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=500, verbose_name='action')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='care.inspection')),
            ],
            options={
                'verbose_name': 'follow-up',
                'verbose_name_plural': 'follow-ups',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='InspectionPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('team', models.CharField(choices=[('inspectorate', 'Department inspectorate'), ('team_178', 'Interdisciplinary team 178'), ('other', 'Other team')], max_length=16, verbose_name='inspecting body')),
                ('number', models.CharField(help_text='For example 05/KH-TTr.', max_length=40, verbose_name='number')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='approved on')),
                ('planned_count', models.PositiveIntegerField(default=0, verbose_name='inspections planned')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='province')),
            ],
            options={
                'verbose_name': 'inspection plan',
                'verbose_name_plural': 'inspection plans',
                'ordering': ['-year', 'team', 'number'],
            },
        ),
        migrations.AddField(
            model_name='inspection',
            name='plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='care.inspectionplan', verbose_name='plan'),
        ),
        migrations.CreateModel(
            name='Petition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='number')),
                ('kind', models.CharField(choices=[('complaint', 'complaint'), ('denunciation', 'denunciation'), ('recommendation', 'recommendation or report')], max_length=16, verbose_name='kind')),
                ('instance', models.PositiveSmallIntegerField(choices=[(1, 'first'), (2, 'second')], default=1, help_text='Complaints only: first or second resolution.', verbose_name='instance')),
                ('remote_area', models.BooleanField(default=False, help_text='Remote, hard-to-reach area: the law allows longer terms.', verbose_name='remote area')),
                ('complexity', models.CharField(choices=[('normal', 'normal'), ('complicated', 'complicated'), ('very', 'especially complicated')], default='normal', max_length=12, verbose_name='complexity')),
                ('petitioner_name', models.CharField(help_text='Personal data.', max_length=150, verbose_name='petitioner')),
                ('subject', models.CharField(max_length=500, verbose_name='matter')),
                ('legal_area', models.CharField(choices=[('labour', 'labour law'), ('social_insurance', 'social, health and unemployment insurance'), ('safety', 'occupational safety and health'), ('social_assistance', 'social assistance policy'), ('meritorious', 'policies for meritorious people'), ('children', 'children'), ('vocational', 'vocational education'), ('social_evils', 'social evils, entertainment businesses'), ('other', 'other')], default='labour', max_length=20, verbose_name='legal area')),
                ('received_on', models.DateField(db_index=True, verbose_name='received on')),
                ('accepted_on', models.DateField(blank=True, null=True, verbose_name='accepted on')),
                ('extensions', models.PositiveSmallIntegerField(default=0, verbose_name='extensions')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='due on')),
                ('rule', models.CharField(blank=True, max_length=300, verbose_name='legal basis of the time limit')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='resolved on')),
                ('outcome', models.CharField(blank=True, max_length=500, verbose_name='outcome')),
                ('status', models.CharField(choices=[('received', 'received, not yet accepted'), ('accepted', 'accepted, being resolved'), ('resolved', 'resolved'), ('closed', 'not accepted, forwarded or filed')], default='received', max_length=10, verbose_name='status')),
                ('is_demo', models.BooleanField(default=False, editable=False, help_text='Made by `ansinh demo care`.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='received by')),
            ],
            options={
                'verbose_name': 'complaint, denunciation or petition',
                'verbose_name_plural': 'complaints, denunciations and petitions',
                'ordering': ['due_on', '-received_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PetitionStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('received', 'received'), ('accepted', 'accepted'), ('extended', 'term extended'), ('resolved', 'resolved'), ('closed', 'not accepted, forwarded or filed')], max_length=10)),
                ('on', models.DateField()),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('due_on', models.DateField(blank=True, null=True)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('petition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='care.petition')),
            ],
            options={
                'verbose_name': 'step of a letter',
                'verbose_name_plural': 'steps of letters',
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Reception',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_on', models.DateField(db_index=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('regular', 'regular reception'), ('leader', 'periodic reception by the head'), ('ad_hoc', 'ad hoc reception')], default='regular', max_length=10, verbose_name='kind')),
                ('receiver', models.CharField(max_length=150, verbose_name='received by')),
                ('citizen_name', models.CharField(help_text='Personal data.', max_length=150, verbose_name='citizen or representative')),
                ('headcount', models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='people')),
                ('subject', models.CharField(max_length=500, verbose_name='matter')),
                ('legal_area', models.CharField(choices=[('labour', 'labour law'), ('social_insurance', 'social, health and unemployment insurance'), ('safety', 'occupational safety and health'), ('social_assistance', 'social assistance policy'), ('meritorious', 'policies for meritorious people'), ('children', 'children'), ('vocational', 'vocational education'), ('social_evils', 'social evils, entertainment businesses'), ('other', 'other')], default='labour', max_length=20, verbose_name='legal area')),
                ('outcome', models.CharField(choices=[('guided', 'guided to the competent body'), ('answered', 'explained and answered'), ('letter', 'letter received')], max_length=10, verbose_name='outcome')),
                ('is_demo', models.BooleanField(default=False, editable=False, help_text='Made by `ansinh demo care`.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.unit', verbose_name='received at')),
            ],
            options={
                'verbose_name': 'citizen reception',
                'verbose_name_plural': 'citizen receptions',
                'ordering': ['-received_on', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='petition',
            name='reception',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='petitions', to='care.reception', verbose_name='from reception'),
        ),
        migrations.AddConstraint(
            model_name='inspectionplan',
            constraint=models.UniqueConstraint(fields=('province', 'year', 'team', 'number'), name='care_inspection_plan_once'),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['province', 'started_on'], name='care_insp_province_day'),
        ),
        migrations.AddConstraint(
            model_name='inspection',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='care_inspection_dates'),
        ),
        migrations.AddConstraint(
            model_name='inspection',
            constraint=models.CheckConstraint(condition=models.Q(('sanction_amount__gte', 0)), name='care_inspection_sanction'),
        ),
        migrations.AddConstraint(
            model_name='reception',
            constraint=models.CheckConstraint(condition=models.Q(('headcount__gte', 1)), name='care_reception_headcount'),
        ),
        migrations.AddConstraint(
            model_name='petition',
            constraint=models.UniqueConstraint(fields=('province', 'code'), name='care_petition_code_once'),
        ),
        migrations.AddConstraint(
            model_name='petition',
            constraint=models.CheckConstraint(condition=models.Q(('extensions__lte', 2)), name='care_petition_extensions'),
        ),
    ]
