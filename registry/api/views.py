"""The districts endpoint and the base of every stats endpoint (domain-free).

The stats endpoints themselves live in the apps that own their data
(``clusters/api/stats.py``, ``markets/api/stats.py``); they call those apps' selectors — the
same functions the dashboard calls — over the districts ``registry.scoping`` gives the
caller, so the API and the dashboard show the same numbers.
"""

from rest_framework.response import Response
from rest_framework.views import APIView

from registry.api.permissions import HasViewPermissions
from registry.api.ratelimit import RateLimitHeadersMixin
from registry.api.renderers import CSVRenderer, FormatParameterFirst, JSONRenderer
from registry.api.serializers import DistrictSerializer
from registry.api.viewsets import RegistryViewSet
from registry.models import District
from registry.scoping import districts_in_scope, kept_districts


class DistrictViewSet(RegistryViewSet):
    """Hanoi's district-level units (reference data), by official code."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    lookup_field = "code"
    http_method_names = ["get", "head", "options"]
    csv_name = "districts"


class StatsView(RateLimitHeadersMixin, APIView):
    """A read-only statistics endpoint: validated query parameters, the caller's districts.

    JSON, or CSV (``?format=csv`` or ``Accept: text/csv``): the view's ``csv_rows`` turns
    its response into one row a unit, and the shared CSV renderer writes them.
    """

    permission_classes = [HasViewPermissions]
    renderer_classes = [JSONRenderer, CSVRenderer]
    content_negotiation_class = FormatParameterFirst
    query_serializer_class = None
    #: The CSV file name, without extension.
    csv_name = "stats"

    def csv_rows(self, data: dict) -> list[dict]:
        """The rows of the CSV form of ``data`` (the JSON response)."""
        raise NotImplementedError

    def respond(self, data: dict) -> Response:
        if getattr(self.request.accepted_renderer, "format", None) != "csv":
            return Response(data)
        response = Response(self.csv_rows(data))
        response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        return response

    def query(self, request) -> dict:
        """The validated query parameters (400 with per-parameter messages otherwise)."""
        params = self.query_serializer_class(
            data=request.query_params, context={"request": request}
        )
        # Only districts the caller sees can be asked for.
        params.fields["district"].queryset = kept_districts(request.user)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def districts(self, request, params):
        """The districts the figures cover (see ``registry.scoping.districts_in_scope``)."""
        return districts_in_scope(request.user, params.get("district"))
