"""Indexes on a member's birth date and disability: the people-served list of who appears eligible
but is not paid (`benefits.checks.eligible_unpaid`) reads the elderly and the severely disabled of
a province through them, instead of every member of its households (issue 11, performance)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0010_search_trigram_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['birth_date'], name='member_birth_date_idx'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['disability'], name='member_disability_idx'),
        ),
    ]
