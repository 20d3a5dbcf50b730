"""Whether the demo dataset (``manage.py load_demo``) is in the database.

The page then says that its figures are illustrative (README). A demo cluster
is recognised by its code together with its illustrative decision number, both taken from
the demo data module, so a real registry that happens to use one of the codes is not marked.
"""

import functools

from django.db.models import Q

from clusters.models import IndustrialCluster


@functools.cache
def demo_cluster_condition() -> Q | None:
    try:
        from demo.data import CLUSTERS
    except ImportError:  # a deployment without the demo module
        return None
    condition = Q()
    for spec in CLUSTERS:
        condition |= Q(code=spec["code"], decision_no=spec.get("decision_no", ""))
    return condition or None


def demo_dataset_loaded() -> bool:
    """One query: is any demo cluster present, as the demo loader wrote it?"""
    condition = demo_cluster_condition()
    if condition is None:
        return False
    return IndustrialCluster.objects.filter(condition).exists()
