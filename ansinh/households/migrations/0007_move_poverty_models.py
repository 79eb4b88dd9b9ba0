"""The poverty review's models move to the `poverty` app: state only.

The tables stay where they are (`households_povertystandard`, … `households_assessment`, kept
by `Meta.db_table` in `ansinh.poverty.models`), so no row moves: this migration forgets the
models in the `households` state, and `poverty.0001_initial` declares them in the `poverty`
state. `poverty.0002_content_types` renames their content types and audit object types.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0006_remove_assessment_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.RemoveIndex(
                model_name='assessment',
                name='households__round_i_3e7e31_idx',
            ),
            migrations.RemoveConstraint(
                model_name='assessment',
                name='assessment_once_per_round',
            ),
            migrations.RemoveConstraint(
                model_name='incomescoringtable',
                name='scoring_table_unique_region',
            ),
            migrations.RemoveConstraint(
                model_name='reviewround',
                name='round_unique_per_unit_year',
            ),
            migrations.RemoveConstraint(
                model_name='reviewround',
                name='round_unique_per_unit_month',
            ),
            migrations.RemoveConstraint(
                model_name='roundprogress',
                name='progress_once_per_step',
            ),
            migrations.RemoveConstraint(
                model_name='standardindicator',
                name='indicator_code_unique_per_standard',
            ),
            migrations.RemoveConstraint(
                model_name='standardindicator',
                name='indicator_position_unique_per_standard',
            ),
            migrations.RemoveField(
                model_name='incomescoringtable',
                name='standard',
            ),
            migrations.RemoveField(
                model_name='reviewround',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='reviewround',
                name='decided_by',
            ),
            migrations.RemoveField(
                model_name='reviewround',
                name='previous',
            ),
            migrations.RemoveField(
                model_name='reviewround',
                name='standard',
            ),
            migrations.RemoveField(
                model_name='reviewround',
                name='unit',
            ),
            migrations.RemoveField(
                model_name='roundprogress',
                name='actor',
            ),
            migrations.RemoveField(
                model_name='roundprogress',
                name='commune',
            ),
            migrations.RemoveField(
                model_name='roundprogress',
                name='round',
            ),
            migrations.RemoveField(
                model_name='standardindicator',
                name='standard',
            ),
            migrations.DeleteModel(
                name='Assessment',
            ),
            migrations.DeleteModel(
                name='IncomeScoringTable',
            ),
            migrations.DeleteModel(
                name='ReviewRound',
            ),
            migrations.DeleteModel(
                name='RoundProgress',
            ),
            migrations.DeleteModel(
                name='PovertyStandard',
            ),
            migrations.DeleteModel(
                name='StandardIndicator',
            ),
            ],
        ),
    ]
