from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0003_workday_index_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedure',
            name='used_for',
            field=models.CharField(blank=True, choices=[('benefit_social_assistance', 'Benefit dossiers: monthly social assistance'), ('benefit_social_pension', 'Benefit dossiers: social pension'), ('benefit_meritorious', 'Benefit dossiers: people with meritorious service (start, change)'), ('benefit_meritorious_move', 'Benefit dossiers: people with meritorious service (move)'), ('benefit_meritorious_stop', 'Benefit dossiers: people with meritorious service (stop)'), ('unemployment', 'Unemployment insurance dossiers'), ('permit_issue', 'Work permits: issue'), ('permit_reissue', 'Work permits: re-issue'), ('permit_extend', 'Work permits: extension'), ('permit_exemption', 'Work permits: confirmation of exemption')], help_text="The dossiers of another part of the system (benefits, unemployment, work permits) whose deadline this procedure sets; one version in force at a time for each.", max_length=32, verbose_name="deadline of the system's dossiers"),
        ),
    ]
