import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dedup', '0001_initial'),
        ('households', '0011_member_birth_date_disability_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='duplicatepair',
            name='kept',
            field=models.ForeignKey(blank=True, help_text='For a merged pair, the record that stays; the other left its household.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='households.member', verbose_name='record kept'),
        ),
    ]
