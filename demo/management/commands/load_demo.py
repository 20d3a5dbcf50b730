"""Load the demo dataset of the README (idempotent: a second run changes nothing)."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from clusters.models import IndustrialCluster, ScheduleExtension, WastewaterInspection
from demo.data import CLUSTERS, MARKET_PROJECTS, MARKETS, TARGETS
from markets.models import Market, MarketProject
from registry.dates import today
from registry.models import AdministrativeUnit, District, Target, UnitLevel

DEMO_AGENCY = "Sở Tài nguyên và Môi trường Hà Nội"


def parse(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def upsert(model, lookup: dict, values: dict) -> tuple[object, bool]:
    """Create the record, or update it only where a value differs (so no new version or
    history entry is written when nothing changed). Returns (record, changed)."""
    record = model._default_manager.filter(**lookup).first()
    if record is None:
        record = model(**lookup, **values)
        record.full_clean()
        record.save()
        return record, True
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if not changed:
        return record, False
    for name in changed:
        setattr(record, name, values[name])
    record.full_clean()
    record.save()
    return record, True


def inspection_plan(spec: dict, anchor: datetime.date) -> list[tuple[str, datetime.date, str]]:
    """(reference, date, result) of the demo inspections of one cluster."""
    plan = spec.get("inspections") or {}
    code = spec["code"]
    rows = []
    if "yearly" in plan:
        failed = set(plan.get("failed_years", ()))
        for year in range(plan["yearly"], plan["until"] + 1):
            result = "fails" if year in failed else "meets"
            rows.append((f"{year}/BB-QT-{code}", datetime.date(year, 9, 15), result))
    for index, (result, days_ago) in enumerate(plan.get("recent", []), start=1):
        rows.append((f"R{index}/BB-{code}", anchor - datetime.timedelta(days=days_ago), result))
    if "same_day" in plan:
        day = anchor - datetime.timedelta(days=plan["same_day"])
        rows.append((f"S1/BB-{code}", day, "meets"))
        rows.append((f"S2/BB-{code}", day, "fails"))
    if "before_wwtp" in plan:
        rows.append((f"T1/BB-{code}", datetime.date(plan["before_wwtp"], 5, 20), "meets"))
    return rows


class Command(BaseCommand):
    help = "Load the Hanoi demo clusters, inspections, markets and targets (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        anchor = today()
        districts = {d.code: d for d in District.objects.all()}
        communes = {u.code: u for u in AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)}
        changed = 0

        for year, percent in TARGETS:
            _, did = upsert(Target, {"year": year}, {"percent": percent})
            changed += did

        for spec in CLUSTERS:
            established, construction, operating, closed = (parse(d) for d in spec["dates"])
            wwtp = spec["wwtp"] or (None, None, None, "", False)
            schedule = spec.get("schedule") or (None, None, None)
            report = spec.get("report", {})
            values = {
                "name": spec["name"],
                "district": districts[spec["district"]],
                "commune": communes[spec["commune"]],
                "address": spec["address"],
                "area_ha": spec["area_ha"],
                "is_craft_village": spec.get("craft_village", False),
                "decision_no": spec["decision_no"],
                "developer": spec["developer"],
                "established_on": established,
                "construction_started_on": construction,
                "operating_since": operating,
                "closed_on": closed,
                "occupancy_percent": spec["occupancy"],
                "tenant_count": spec["tenants"],
                "wwtp_construction_started_on": parse(wwtp[0]),
                "wwtp_operating_since": parse(wwtp[1]),
                "wwtp_capacity_m3_per_day": wwtp[2],
                "wwtp_standard": wwtp[3],
                "wwtp_automatic_monitoring": wwtp[4],
                "planned_construction_start": parse(schedule[0]),
                "planned_completion": parse(schedule[1]),
                "infrastructure_completed_on": parse(schedule[2]),
                "industrial_land_ha": report.get("industrial_land"),
                "leased_land_ha": report.get("leased_land"),
                "registered_capital_vnd": report.get("registered_capital"),
                "disbursed_capital_vnd": report.get("disbursed_capital"),
                "worker_count": report.get("workers"),
            }
            cluster, did = upsert(IndustrialCluster, {"code": spec["code"]}, values)
            changed += did
            for decision_no, decided, start, completion, note in spec.get("extensions", []):
                _, did = upsert(
                    ScheduleExtension,
                    {"cluster": cluster, "decision_no": decision_no},
                    {
                        "decided_on": parse(decided),
                        "new_start_deadline": parse(start),
                        "new_completion_deadline": parse(completion),
                        "note": note,
                    },
                )
                changed += did
            for reference, day, result in inspection_plan(spec, anchor):
                standard = cluster.wwtp_standard or "qcvn40_2011_b"
                _, did = upsert(
                    WastewaterInspection,
                    {"cluster": cluster, "reference": reference},
                    {
                        "inspected_on": day,
                        "result": result,
                        "standard": standard,
                        "agency": DEMO_AGENCY,
                        "exceeded_parameters": spec.get("exceeded", "")
                        if result == "fails"
                        else "",
                    },
                )
                changed += did

        for row in MARKETS:
            (code, name, district, commune, address, kind, market_class, construction, capital,
             management, points, area, year_built, status, status_since) = row  # fmt: skip
            _, did = upsert(
                Market,
                {"code": code},
                {
                    "name": name,
                    "district": districts[district],
                    "commune": communes[commune],
                    "address": address,
                    "kind": kind,
                    "market_class": market_class,
                    "construction": construction,
                    "capital": capital,
                    "management": management,
                    "business_points": points,
                    "area_m2": area,
                    "year_built": year_built,
                    "status": status,
                    "status_since": parse(status_since),
                },
            )
            changed += did

        markets = {m.code: m for m in Market.objects.filter(code__in=[r[0] for r in MARKETS])}
        for code, kind, budget, capital, started, completed, status, note in MARKET_PROJECTS:
            _, did = upsert(
                MarketProject,
                {"market": markets[code], "kind": kind, "note": note},
                {
                    "budget_vnd": budget,
                    "capital_source": capital,
                    "started_on": parse(started),
                    "completed_on": parse(completed),
                    "status": status,
                },
            )
            changed += did

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(CLUSTERS)} clusters, {len(MARKETS)} markets; "
                f"{changed} records created or updated. The figures are illustrative."
            )
        )
