"""Load a deterministic national-scale synthetic dataset (the national scale (README)).

``manage.py seed_scale --clusters 10000 --inspections 200000 --markets 100000
[--communes 3321] [--seed N]``

Every synthetic record's code starts with ``SCALE-``, so the dataset lives next to the demo data
without clashing with it, and ``--replace`` removes a previous synthetic dataset first. Rows are
written with ``bulk_create`` in batches; history tables are not filled for synthetic rows.

The records are spread over up to ``--communes`` commune-level units (the country's 3,321 by
default): Hanoi's real 126 (from the migrations) and synthetic ones for the rest, with codes
from 90000 up (above every real code; legal basis ``SYNTHETIC_BASIS``), valid from 1 July 2025,
each the successor of one of the 30 districts (``UnitSuccession``), round robin. Every synthetic
record keeps its district and gets a commune that succeeds that district: a district's communes
(the real ones first, then the synthetic, each by code) are drawn with Zipf weights (1/rank), so
a few communes hold many records and most hold few, as in a real country. The communes are drawn
from their own generator, so the rest of the dataset is the same as without them.

The same seed and the same reference day (``--today``, default today in Hanoi) give the same
rows. Dates are placed relative to that day, so on it the dataset holds clusters in every
lifecycle status and operating clusters in every wastewater state (section 4), with inspections
spread over years of history.
"""

import datetime
import itertools
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from clusters.choices import InspectionResult, WastewaterStandard
from clusters.models import IndustrialCluster, WastewaterInspection
from markets.choices import Capital, Construction, Management, MarketClass, MarketKind, MarketStatus
from markets.models import Market, MarketProject
from registry.dates import today
from registry.models import (
    REFORM_DATE,
    AdministrativeUnit,
    District,
    UnitKind,
    UnitLevel,
    UnitSuccession,
)

CODE_PREFIX = "SCALE-"
CLUSTER_PREFIX = f"{CODE_PREFIX}C-"
MARKET_PREFIX = f"{CODE_PREFIX}M-"
BATCH_SIZE = 2000
#: The country's commune-level units (wards, communes, special zones) since 1 July 2025.
NATIONAL_COMMUNES = 3321
#: Synthetic commune-level units take the codes from here up (real codes end near 33,000).
SYNTHETIC_COMMUNE_FIRST_CODE = 90000
SYNTHETIC_BASIS = "Synthetic (manage.py seed_scale)"

# The profile a synthetic cluster is built to have on the reference day, with its weight.
# The first len(PROFILES) clusters take one of each, so even a tiny dataset covers them all.
PROFILES = [
    ("planned", 4),
    ("established", 4),
    ("established_overdue", 4),
    ("under_construction", 6),
    ("closed", 4),
    ("operating_no_plant", 6),
    ("operating_plant_not_yet", 2),
    ("operating_no_evidence", 5),
    ("operating_stale", 8),
    ("operating_failed", 10),
    ("operating_compliant", 47),
]
#: Profiles whose latest evidence is one "anchor" inspection, with older history before it.
ANCHORED = {"operating_stale", "operating_failed", "operating_compliant"}

PLANT_STANDARDS = [
    WastewaterStandard.QCVN40_2011_A,
    WastewaterStandard.QCVN40_2011_B,
    WastewaterStandard.QCVN40_2025_A,
    WastewaterStandard.QCVN40_2025_B,
]
EXCEEDED = ["COD", "BOD5", "TSS", "ammonium", "COD, BOD5", "TSS, coliform"]


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic dataset (codes prefixed SCALE-) of clusters, "
        "inspections and markets for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=10_000)
        parser.add_argument("--inspections", type=int, default=200_000)
        parser.add_argument("--markets", type=int, default=100_000)
        parser.add_argument(
            "--communes",
            type=int,
            default=NATIONAL_COMMUNES,
            help="Commune-level units in all, real ones included (default: the country's 3,321).",
        )
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Reference day the dates are placed around (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete a previous synthetic (SCALE-) dataset first.",
        )

    def handle(self, *args, **options):
        for name in ("clusters", "inspections", "markets", "communes"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["today"] and options["today"] > today():
            raise CommandError("--today cannot be in the future (inspections would be too).")
        if options["communes"] > 10_000:
            # Synthetic codes run from 90000 to 99999.
            raise CommandError("--communes cannot be more than 10,000.")
        districts = list(District.objects.order_by("code"))
        if not districts:
            raise CommandError("No districts: run `manage.py migrate` first.")

        started = time.monotonic()
        with transaction.atomic():
            existing = IndustrialCluster.objects.filter(code__startswith=CODE_PREFIX).exists() or (
                Market.objects.filter(code__startswith=CODE_PREFIX).exists()
            )
            if existing and not options["replace"]:
                raise CommandError(
                    "A synthetic dataset (codes starting with SCALE-) is already loaded; "
                    "use --replace to load it again."
                )
            # Also any synthetic communes left without records.
            self.delete_synthetic()
            communes = create_communes(districts, options["communes"])
            seeder = Seeder(
                rng=random.Random(options["seed"]),
                reference_day=options["today"] or today(),
                districts=districts,
                communes=communes,
                commune_rng=random.Random(f"{options['seed']}-communes"),
            )
            clusters = seeder.create_clusters(options["clusters"])
            inspections = seeder.create_inspections(clusters, options["inspections"])
            markets = seeder.create_markets(options["markets"])
        refresh_statistics()
        units = len({unit for ids in communes.values() for unit in ids})
        self.stdout.write(
            f"Loaded {len(clusters)} clusters, {inspections} inspections and {markets} markets "
            f"over {units} communes in {time.monotonic() - started:.1f} s."
        )

    @staticmethod
    def delete_synthetic():
        """Plain SQL deletes: the synthetic rows never had history, and deleting 300,000 rows
        one by one (to write a history row each) would take far longer than loading them."""
        inspections = WastewaterInspection._meta.db_table
        clusters = IndustrialCluster._meta.db_table
        markets = Market._meta.db_table
        projects = MarketProject._meta.db_table
        pattern = CODE_PREFIX + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {inspections} WHERE cluster_id IN "  # noqa: S608 (table names)
                f"(SELECT id FROM {clusters} WHERE code LIKE %s)",
                [pattern],
            )
            cursor.execute(f"DELETE FROM {clusters} WHERE code LIKE %s", [pattern])  # noqa: S608
            cursor.execute(
                f"DELETE FROM {projects} WHERE market_id IN "  # noqa: S608 (table names)
                f"(SELECT id FROM {markets} WHERE code LIKE %s)",
                [pattern],
            )
            cursor.execute(f"DELETE FROM {markets} WHERE code LIKE %s", [pattern])  # noqa: S608
            units = AdministrativeUnit._meta.db_table
            successions = UnitSuccession._meta.db_table
            synthetic = f"SELECT id FROM {units} WHERE legal_basis = %s"  # noqa: S608
            cursor.execute(
                f"DELETE FROM {successions} WHERE successor_id IN ({synthetic})",  # noqa: S608
                [SYNTHETIC_BASIS],
            )
            cursor.execute(
                f"DELETE FROM {units} WHERE legal_basis = %s",  # noqa: S608
                [SYNTHETIC_BASIS],
            )


def create_communes(districts: list[District], total: int) -> dict[int, list[int]]:
    """The communes of the dataset: the real ones, plus synthetic ones up to ``total`` in all
    (created here, each succeeding one district, round robin). Returns each district's
    successor communes (ids: real ones first, then synthetic, each by code)."""
    real = list(
        AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)
        .exclude(legal_basis=SYNTHETIC_BASIS)
        .order_by("code")
        .values_list("code", flat=True)
    )
    units = {u.district_id: u for u in AdministrativeUnit.objects.filter(district__in=districts)}
    missing = [d.code for d in districts if d.pk not in units]
    if missing:
        raise CommandError(
            f"No district-level unit for districts {', '.join(missing)}: run `manage.py "
            "migrate` first."
        )
    wanted = max(total - len(real), 0)
    synthetic = [
        AdministrativeUnit(
            level=UnitLevel.COMMUNE,
            code=f"{SYNTHETIC_COMMUNE_FIRST_CODE + index:05d}",
            name=f"Synthetic {'ward' if index % 3 == 0 else 'commune'} "
            f"{SYNTHETIC_COMMUNE_FIRST_CODE + index}",
            kind=UnitKind.WARD if index % 3 == 0 else UnitKind.COMMUNE,
            valid_from=REFORM_DATE,
            legal_basis=SYNTHETIC_BASIS,
        )
        for index in range(wanted)
    ]
    AdministrativeUnit.objects.bulk_create(synthetic, batch_size=BATCH_SIZE)
    created = dict(
        AdministrativeUnit.objects.filter(legal_basis=SYNTHETIC_BASIS).values_list("code", "pk")
    )
    UnitSuccession.objects.bulk_create(
        [
            UnitSuccession(
                predecessor=units[districts[index % len(districts)].pk],
                successor_id=created[unit.code],
                whole=False,
            )
            for index, unit in enumerate(synthetic)
        ],
        batch_size=BATCH_SIZE,
    )
    by_unit = {units[d.pk].pk: d.pk for d in districts}
    successors: dict[int, list[tuple[bool, str, int]]] = {d.pk: [] for d in districts}
    rows = UnitSuccession.objects.filter(
        predecessor_id__in=by_unit, successor__level=UnitLevel.COMMUNE
    ).values_list("predecessor_id", "successor__legal_basis", "successor__code", "successor_id")
    for predecessor, basis, code, successor in rows:
        successors[by_unit[predecessor]].append((basis == SYNTHETIC_BASIS, code, successor))
    return {district: [pk for *_key, pk in sorted(rows)] for district, rows in successors.items()}


def refresh_statistics():
    """Give PostgreSQL's planner statistics (and a visibility map for index-only scans) on
    the freshly loaded tables, as autovacuum would a little later."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run inside a transaction (e.g. a test's); ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    tables = [IndustrialCluster, WastewaterInspection, Market, AdministrativeUnit, UnitSuccession]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class Seeder:
    """Draws every value from one seeded generator, in a fixed order."""

    def __init__(
        self,
        *,
        rng: random.Random,
        reference_day: datetime.date,
        districts,
        communes: dict[int, list[int]],
        commune_rng: random.Random,
    ):
        self.rng = rng
        self.day = reference_day
        self.districts = districts
        self.communes = communes
        self.commune_rng = commune_rng
        # Zipf weights over each district's communes, cumulated (for random.choices).
        self.commune_weights = {
            district: list(itertools.accumulate(1 / rank for rank in range(1, len(ids) + 1)))
            for district, ids in communes.items()
        }

    def commune_of(self, district: District) -> int | None:
        """A commune succeeding ``district`` (its id), or None if it has none."""
        ids = self.communes.get(district.pk)
        if not ids:
            return None
        return self.commune_rng.choices(ids, cum_weights=self.commune_weights[district.pk])[0]

    def ago(self, low: int, high: int) -> datetime.date:
        return self.day - days(self.rng.randint(low, high))

    def between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + days(self.rng.randint(0, max((end - start).days, 0)))

    # Clusters ----------------------------------------------------------------------------

    def create_clusters(self, count: int) -> list[tuple[IndustrialCluster, str]]:
        names = [name for name, _weight in PROFILES]
        weights = [weight for _name, weight in PROFILES]
        built = []
        for index in range(count):
            profile = (
                names[index] if index < len(names) else self.rng.choices(names, weights=weights)[0]
            )
            built.append((self.cluster(index + 1, profile), profile))
        IndustrialCluster.objects.bulk_create([c for c, _p in built], batch_size=BATCH_SIZE)
        return built

    def cluster(self, number: int, profile: str) -> IndustrialCluster:
        rng = self.rng
        dates = {}
        if profile == "established":
            dates["established_on"] = self.ago(1, 700)
        elif profile == "established_overdue":
            dates["established_on"] = self.ago(760, 4000)
        elif profile == "under_construction":
            established = self.ago(200, 2500)
            dates.update(
                established_on=established,
                construction_started_on=established + days(rng.randint(30, 150)),
            )
        elif profile == "closed":
            established = self.ago(2200, 8000)
            dates.update(established_on=established, closed_on=self.ago(1, 2000))
            if rng.random() < 0.5:
                dates["construction_started_on"] = established + days(rng.randint(60, 500))
                dates["operating_since"] = dates["construction_started_on"] + days(
                    rng.randint(100, 600)
                )
        elif profile.startswith("operating"):
            established = self.ago(3000, 9000)
            construction = established + days(rng.randint(60, 700))
            dates.update(
                established_on=None if rng.random() < 0.05 else established,
                construction_started_on=construction,
                operating_since=construction + days(rng.randint(100, 900)),
            )
        plant = {}
        if profile == "operating_plant_not_yet":
            plant_start = self.day + days(rng.randint(30, 400))
            plant = {
                "wwtp_construction_started_on": self.ago(30, 300),
                "wwtp_operating_since": plant_start,
            }
        elif profile in ANCHORED or profile == "operating_no_evidence":
            plant_start = self.ago(1300, 5000)
            plant = {
                "wwtp_construction_started_on": plant_start - days(rng.randint(100, 700)),
                "wwtp_operating_since": plant_start,
            }
        if plant:
            plant.update(
                wwtp_capacity_m3_per_day=Decimal(rng.randint(200, 5000)),
                wwtp_standard=rng.choice(PLANT_STANDARDS),
                wwtp_automatic_monitoring=rng.random() < 0.6,
            )
        district = rng.choice(self.districts)
        return IndustrialCluster(
            code=f"{CLUSTER_PREFIX}{number:06d}",
            name=f"Synthetic industrial cluster {number}",
            district=district,
            commune_id=self.commune_of(district),
            address=f"Synthetic commune {rng.randint(1, 600)}",
            area_ha=Decimal(rng.randint(300, 8000)) / 100,
            decision_no=f"{rng.randint(1, 9999)}/QD-UBND",
            developer=f"Synthetic developer {rng.randint(1, 2000)}",
            occupancy_percent=Decimal(rng.randint(0, 10000)) / 100,
            tenant_count=rng.randint(0, 400),
            **dates,
            **plant,
        )

    # Inspections -------------------------------------------------------------------------

    def create_inspections(self, clusters, budget: int) -> int:
        """One anchor inspection per inspected cluster (its latest evidence, which fixes its
        state), then the rest of the budget as older history before each anchor."""
        rng = self.rng
        window = (1, 330)  # well inside the 365-day evidence window
        rows = []
        anchors = {}  # cluster pk → (cluster, anchor date, anchor result)
        for cluster, profile in clusters:
            if len(rows) >= budget:
                break
            start = cluster.wwtp_operating_since
            if profile == "operating_no_evidence":
                # Only inspections from before the plant ran: they are not evidence.
                rows.append(self.inspection(cluster, start - days(rng.randint(1, 700))))
            elif profile in ANCHORED:
                if profile == "operating_stale":
                    anchor_day, result = self.ago(400, 1200), self.any_result()
                elif profile == "operating_failed":
                    anchor_day, result = self.ago(*window), InspectionResult.FAILS
                else:
                    anchor_day, result = self.ago(*window), InspectionResult.MEETS
                rows.append(self.inspection(cluster, anchor_day, result))
                anchors[cluster.pk] = (cluster, anchor_day, result)
        history = list(anchors.values())
        while history and len(rows) < budget:
            cluster, anchor_day, result = rng.choice(history)
            if result == InspectionResult.FAILS and rng.random() < 0.05:
                # A "meets" on the day of a "fails": the fails wins.
                rows.append(self.inspection(cluster, anchor_day, InspectionResult.MEETS))
                continue
            earlier = self.between(cluster.wwtp_operating_since, anchor_day - days(1))
            rows.append(self.inspection(cluster, earlier, self.any_result()))
        for first in range(0, len(rows), BATCH_SIZE * 5):
            WastewaterInspection.objects.bulk_create(
                rows[first : first + BATCH_SIZE * 5], batch_size=BATCH_SIZE
            )
        return len(rows)

    def any_result(self) -> str:
        return InspectionResult.FAILS if self.rng.random() < 0.2 else InspectionResult.MEETS

    def inspection(self, cluster, inspected_on, result=None) -> WastewaterInspection:
        result = result or self.any_result()
        fails = result == InspectionResult.FAILS
        return WastewaterInspection(
            cluster=cluster,
            inspected_on=inspected_on,
            result=result,
            standard=cluster.wwtp_standard or WastewaterStandard.QCVN40_2011_B,
            agency="Synthetic environment agency",
            reference=f"{self.rng.randint(1, 99999)}/KQ-QT",
            exceeded_parameters=self.rng.choice(EXCEEDED) if fails else "",
        )

    # Markets -----------------------------------------------------------------------------

    def create_markets(self, count: int) -> int:
        rng = self.rng
        statuses, kinds = list(MarketStatus), list(MarketKind)
        classes = [*MarketClass, None]
        batch = []
        for index in range(count):
            # The first rows cycle through every status, kind and class; then at random.
            status = statuses[index] if index < len(statuses) else rng.choice(statuses)
            kind = kinds[index] if index < len(kinds) else rng.choice(kinds)
            market_class = classes[index % len(classes)] if index < 8 else rng.choice(classes)
            district = rng.choice(self.districts)
            batch.append(
                Market(
                    code=f"{MARKET_PREFIX}{index + 1:06d}",
                    name=f"Synthetic market {index + 1}",
                    district=district,
                    commune_id=self.commune_of(district),
                    address=f"Synthetic ward {rng.randint(1, 600)}",
                    kind=kind,
                    market_class=market_class.value if market_class else None,
                    construction=rng.choice(list(Construction)),
                    capital=rng.choice(list(Capital)),
                    management=rng.choice(["", *Management]),
                    business_points=rng.randint(0, 800),
                    area_m2=Decimal(rng.randint(20000, 5000000)) / 100,
                    year_built=rng.randint(1960, self.day.year),
                    status=status,
                    status_since=self.ago(0, 6000),
                )
            )
            if len(batch) >= BATCH_SIZE * 5:
                Market.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                batch = []
        Market.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        return count
