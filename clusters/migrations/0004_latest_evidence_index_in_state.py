"""The ``inspection_latest_evidence`` index of 0003 enters the model's state (it was created
by raw SQL), with nothing rebuilt: Django's definition of it is the one 0003 created,
(cluster_id, inspected_on DESC, result, id DESC).

Two indexes are prefixes of it and are dropped: ``inspection_cluster_date`` (cluster_id,
inspected_on DESC) and the foreign key's own index on cluster_id. Measured on PostgreSQL 15
over seed_scale's 3,000 clusters and 60,000 inspections (the KPI at three dates, cluster
lists with their state, 200 clusters' inspection lists; pg_stat_user_indexes): the foreign
key's index was never scanned; ``inspection_cluster_date`` was (688 scans) but only where the
planner then had to sort — the KPI's "latest evidence" subplan read it and sorted by
(date, result, id); without it every one of those probes is an ordered scan of
``inspection_latest_evidence`` with no sort. Each also cost an index update per inspection
written.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0003_inspection_latest_evidence_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="wastewaterinspection",
                    index=models.Index(
                        fields=["cluster", "-inspected_on", "result", "-id"],
                        name="inspection_latest_evidence",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RemoveIndex(
            model_name="wastewaterinspection",
            name="inspection_cluster_date",
        ),
        # The foreign key's own index on cluster_id: a prefix too, never scanned.
        migrations.AlterField(
            model_name="wastewaterinspection",
            name="cluster",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspections",
                to="clusters.industrialcluster",
                verbose_name="industrial cluster",
            ),
        ),
    ]
