"""The dashboard page and its CSV downloads: thin views over ``dashboard.data``.

Both pass the API's gate: the view permission of what they show (as the stats endpoints
require it) and the caller's districts (``registry.scoping``). The page needs the clusters'
view permission and shows the markets and their projects only with theirs; each CSV needs its
own table's; an account without districts gets no figures, on the page or in a CSV.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.api.stats import render_kpi
from clusters.models import IndustrialCluster
from clusters.selectors import OPERATING_STATES
from dashboard import charts, data, exports, workbook
from dashboard.demo import demo_dataset_loaded
from dashboard.forms import date_presets, parse_as_of
from markets.choices import MarketClass, MarketStatus
from markets.models import Market
from markets.selectors import UNCLASSIFIED
from registry.dates import today
from registry.errors import post_only
from registry.reporting import GROUPINGS, grouping_at, grouping_label, reporting_level
from registry.scoping import can_access_all_districts
from reports.api.kpi import published_report_at
from reports.changes import compare
from reports.models import PublishedReport
from reports.periods import Period
from reports.services import can_publish, publish

#: the view permissions each part of the dashboard needs (the same as the API's for it)
CLUSTER_FIGURES = ("clusters.view_industrialcluster",)
MARKET_FIGURES = ("markets.view_market",)
PROJECT_LIST = ("markets.view_market", "markets.view_marketproject")
TABLE_PERMISSIONS = {
    "districts": CLUSTER_FIGURES,
    "trend": CLUSTER_FIGURES,
    "overdue": CLUSTER_FIGURES,
    "not-compliant": CLUSTER_FIGURES,
    "markets": MARKET_FIGURES,
    "projects": PROJECT_LIST,
}


def require_permissions(user, permissions) -> None:
    if not user.has_perms(permissions):
        raise PermissionDenied(_("Your account may not see these figures."))


@login_required
def index(request):
    require_permissions(request.user, CLUSTER_FIGURES)
    now = today()
    form, as_of = parse_as_of(request.GET, default=now)
    grouping = grouping_at(as_of, parse_grouping(request.GET))
    scope = data.Scope.for_user(request.user)
    context = {
        "form": form,
        "as_of": as_of,
        "grouping": grouping,
        "grouping_label": grouping_label(grouping, as_of),
        "groupings": grouping_choices(as_of, grouping),
        "now": now,
        "presets": date_presets(now),
        "projection": as_of > now,
        "scope": scope,
        "demo": demo_dataset_loaded(),
        "show_markets": request.user.has_perms(MARKET_FIGURES),
        "show_projects": request.user.has_perms(PROJECT_LIST),
    }
    if scope.keeps_units:
        dashboard = data.build_dashboard(
            scope,
            as_of,
            now,
            grouping,
            with_markets=context["show_markets"],
            with_projects=context["show_projects"],
        )
        compliance = dashboard.compliance
        kpi = compliance.scope.city
        city_kpi = compliance.city.city if compliance.city else None
        context.update(
            dashboard=dashboard,
            kpi=kpi,
            kpi_states=state_cells(kpi),
            city_kpi=city_kpi,
            city_states=state_cells(city_kpi) if city_kpi else None,
            unit_table=[
                {
                    "unit": row.unit,
                    "figures": row.figures,
                    "states": state_cells(row.figures),
                }
                for row in dashboard.unit_rows
            ],
            scope_units=[row.unit for row in dashboard.compliance.scope.units],
            market_grouping=dashboard.markets.grouping if dashboard.markets else grouping,
            market_city=market_cells(dashboard.markets.city) if dashboard.markets else None,
            market_table=[
                {"unit": unit, **market_cells(counts)} for unit, counts in dashboard.market_rows
            ],
            market_status_labels=[s.label for s in MarketStatus],
            market_class_labels=[c.label for c in MarketClass] + [NOT_CLASSIFIED],
            state_labels=[(s.value, s.label) for s in OPERATING_STATES],
            target_carried_from=dashboard.carried_from(as_of),
            trend_rows=[
                {"point": point, "carried_from": dashboard.carried_from(point.as_of)}
                for point in dashboard.trend
            ],
            kpi_bar=charts.share_bar(compliance.scope.city),
            city_bar=charts.share_bar(compliance.city.city) if compliance.city else None,
            trend_chart=charts.trend_chart(dashboard.trend),
            cluster_admin_url=_changelist_url(IndustrialCluster),
            market_admin_url=_changelist_url(Market),
        )
    shown = dashboard.compliance.scope if scope.keeps_units else None
    context.update(
        published_context(request.user, as_of, shown, request.session.pop(PUBLISH_KEPT, None))
    )
    return render(request, "dashboard/index.html", context)


def parse_grouping(query) -> str | None:
    """``by`` from the query string when it names a grouping; anything else is the default
    (the reporting level at the date)."""
    by = query.get("by")
    return by if by in GROUPINGS else None


def grouping_choices(as_of, current: str) -> list[dict]:
    """The switch between the two maps, named for the side of the reform ``as_of`` is on."""
    return [
        {"value": level, "label": grouping_label(level, as_of), "current": level == current}
        for level in GROUPINGS
    ]


def _changelist_url(model) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


NOT_CLASSIFIED = gettext_lazy("Not classified")


def state_cells(figures) -> list[dict]:
    """The count of operating clusters in each wastewater state, in the rule's order."""
    return [
        {"state": s.value, "label": s.label, "count": figures.by_state.get(s.value, 0)}
        for s in OPERATING_STATES
    ]


def market_cells(counts) -> dict:
    return {
        "counts": counts,
        # Each cell's ``filter``: the admin market list's filter that shows those markets.
        "statuses": [
            {
                "key": s.value,
                "label": s.label,
                "count": counts.by_status.get(s.value, 0),
                "filter": f"status__exact={s.value}",
            }
            for s in MarketStatus
        ],
        "classes": [
            {
                "key": c.value,
                "label": c.label,
                "count": counts.by_class.get(c.value, 0),
                "filter": f"market_class__exact={c.value}",
            }
            for c in MarketClass
        ]
        + [
            {
                "key": UNCLASSIFIED,
                "label": NOT_CLASSIFIED,
                "count": counts.by_class.get(UNCLASSIFIED, 0),
                "filter": "market_class__isnull=True",
            }
        ],
    }


@login_required
def table_csv(request, table: str):
    try:
        build = exports.TABLES[table]
    except KeyError:
        raise Http404(_("There is no such table.")) from None
    require_permissions(request.user, TABLE_PERMISSIONS[table])
    scope = data.Scope.for_user(request.user)
    if not scope.keeps_units:
        raise PermissionDenied(_("Your account has no districts, so there are no figures."))
    form, as_of = parse_as_of(request.GET, default=today())
    if form.is_bound and not form.is_valid():
        reasons = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return HttpResponseBadRequest(reasons, content_type="text/plain; charset=utf-8")
    header, rows = build(scope, as_of, grouping_at(as_of, parse_grouping(request.GET)))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}-{as_of.isoformat()}.csv"'
    exports.write_csv(response, header, rows)
    return response


@login_required
def report_xlsx(request):
    """The report workbook of a period (``?period=half_year|year&year=YYYY``), over the
    caller's units: the clusters' view permission, as the page; a bad period or a cut-off
    after today is a 400 page saying why."""
    require_permissions(request.user, CLUSTER_FIGURES)
    form = workbook.ReportPeriodForm(request.GET)
    if not form.is_valid():
        reasons = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _bad_request(request, reasons)
    period = form.report_period
    # The cover reads the publication's KPI only, not its figures' every cluster row (nor
    # those of the publication it supersedes, named by its date).
    publication = (
        PublishedReport.objects.current()
        .with_people()
        .with_kpi()
        .filter(period=period.kind, year=period.year)
        .first()
    )
    content = workbook.report_workbook(
        period.kind, period.year, request.user, publication=publication
    )
    response = HttpResponse(content, content_type=workbook.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{period.file_name}"'
    return response


def _bad_request(request, message: str):
    context = {"status": 400, "title": _("Bad request"), "message": message}
    return render(request, "400.html", context, status=400)


# -- published reports (issue 16.3): the publish form and the published panel -----------------


#: The session key of what a refused publish sent, shown again in the form once (the view
#: redirects to the dashboard; the note is kept out of the address, its history and the logs).
PUBLISH_KEPT = "dashboard.publish_refused"
PUBLISH_FIELDS = ("period", "year", "note")


def published_context(user, as_of, shown=None, kept=None) -> dict:
    """The published panel's context: the current publication whose cut-off is ``as_of``
    beside today's recomputation (department scope only, where the figures are the report's
    whole), and whether ``user`` may publish. ``shown``: the KPI the page computed already
    (every unit, for department staff), reused when it is grouped as the report is.
    ``kept``: the values of a refused publish, which the form shows again."""
    kept = kept if isinstance(kept, dict) else {}
    context = {
        "can_publish": can_publish(user),
        "periods": Period.choices,
        "publish_values": {
            "period": kept.get("period", ""),
            "year": kept.get("year", str(today().year)),
            "note": kept.get("note", ""),
        },
    }
    if not can_access_all_districts(user):
        return context
    report = published_report_at(as_of, reporting_level(as_of))
    if report is not None:
        same = shown is not None and shown.grouping == report.grouping
        context["published"] = compare(report, current_kpi=render_kpi(shown) if same else None)
    return context


@post_only(gettext_lazy("Publish with the form on the dashboard."))
@login_required
def publish_report(request):
    """POST: publish a period (department staff, checked by ``reports.services.publish``).
    Refused, the dashboard says why and its form shows what was sent, to correct and send
    again."""
    try:
        report = publish(
            request.POST.get("period"),
            request.POST.get("year"),
            request.user,
            request.POST.get("note", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        request.session[PUBLISH_KEPT] = {
            field: request.POST.get(field, "") for field in PUBLISH_FIELDS
        }
        return redirect(reverse("dashboard:index"))
    messages.success(
        request,
        _("Published: the figures at %(day)s are frozen.")
        % {"day": report.cut_off.strftime("%d/%m/%Y")},
    )
    return redirect(f"{reverse('dashboard:index')}?as_of={report.cut_off.isoformat()}")
