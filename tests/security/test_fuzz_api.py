"""Fuzzing the REST API over real HTTP (issue 7, item 3).

schemathesis reads the project's own ``/api/schema/`` from a live server holding the demo
dataset (``manage.py load_demo``) and drives every operation through all its phases — the
schema's examples, the coverage phase (boundary and invalid values of every parameter), random
fuzzing, and stateful sequences along the links it infers (``Location`` headers, parameter
names) — with a real token of a superuser and of a district staff member of Đông Anh. Every
response must be free of server errors and conform to the schema: a documented status code,
the documented content type and a body matching the response schema.

Bounded for CI by a fixed number of examples per operation and phase (no time limit: with one,
schemathesis repeats its phases until the time is spent, so what runs would depend on the
machine) and deterministic (derandomized generation, a fixed seed): the same requests every
run. About 4,700 requests, ~80 s on SQLite and ~150 s on PostgreSQL on a 2-core machine. The
examples phase has nothing to send until the schema carries examples.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

from registry.api.throttling import TokenRateThrottle
from registry.tokens import ApiToken
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db(transaction=True)

#: Generated cases per operation and phase; the whole file stays within CI's budget.
MAX_EXAMPLES = 15
#: Stateful sequences: steps per scenario.
MAX_STEPS = 6
SEED = 20261126

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]


def fuzz_config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # No max-time: with one, schemathesis repeats the fuzzing and stateful phases
            # until the time is used up, and what runs would depend on the machine's speed.
            # One request at a time: the live server shares the test database connection.
            "workers": 1,
            "headers": {"Authorization": f"Token {token}"},
            "cache": {"enabled": False},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                "enabled": False,
                **{name: {"enabled": True} for name in CHECKS},
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {
                    "enabled": True,
                    "generate-duplicate-query-parameters": False,
                },
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": MAX_STEPS},
            },
        }
    )


@pytest.fixture
def demo_world(live_server, monkeypatch):
    """The demo dataset, and throttling out of the way (the fuzzer is one fast client). The
    reference data (districts, staff groups) is reloaded by tests/conftest.py."""
    call_command("load_demo", verbosity=0)
    monkeypatch.setattr(
        TokenRateThrottle, "THROTTLE_RATES", {"token": "1000000/hour", "anon": "1000000/hour"}
    )
    cache.clear()
    return live_server


def token_for(role: str) -> str:
    if role == "superuser":
        user = UserFactory(username="fuzz-root", is_superuser=True)
    else:
        user = UserFactory(username="fuzz-dong-anh", districts=[district("017")])
        user.groups.add(Group.objects.get(name="District staff"))
    return ApiToken.issue(user)[1]


def describe(event, case_id, check) -> str:
    interaction = event.recorder.interactions.get(case_id)
    request = interaction.request if interaction else None
    failure = check.failure_info.failure if check.failure_info else None
    lines = [f"[{event.phase.value}] {event.recorder.label} {check.name}: "]
    if failure is not None:
        lines[0] += failure.title
    if request is not None:
        lines.append(f"  {request.method} {request.uri}")
        lines.append(f"  body: {(request.body or b'')[:300]!r}")
    if failure is not None:
        lines.append(f"  {failure.message[:600]}")
    return "\n".join(lines)


def run_engine(schema) -> tuple[dict, list[str]]:
    """Every phase of schemathesis's engine; returns counts and the failures found."""
    stats = {"scenarios": 0, "cases": 0, "phases": set(), "stop": None, "per_phase": {}}
    failures = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            stats["scenarios"] += 1
            stats["cases"] += len(event.recorder.cases)
            per = stats["per_phase"].setdefault(event.phase.value, [0, 0.0])
            per[0] += len(event.recorder.cases)
            per[1] += event.elapsed_time
            if event.status != Status.SKIP:
                stats["phases"].add(event.phase.value)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status == Status.FAILURE:
                        failures.append(describe(event, case_id, check))
        elif isinstance(event, events.NonFatalError):
            failures.append(f"[{event.phase}] {event.label}: error {event.info.format()[:600]}")
        elif isinstance(event, events.FatalError):
            failures.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            stats["stop"] = event.stop_reason.value
    return stats, failures


@pytest.mark.parametrize("role", ["superuser", "district_staff"])
def test_api_survives_fuzzing_and_conforms_to_its_schema(demo_world, role):
    token = token_for(role)
    schema = schemathesis.openapi.from_url(
        f"{demo_world.url}/api/schema/?format=json", config=fuzz_config(token)
    )
    stats, failures = run_engine(schema)
    print(f"{role}: {stats}")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:40])
    assert stats["stop"] == "completed", stats
    # The examples phase applies only to operations with examples in the schema (none yet).
    assert {"coverage", "fuzzing", "stateful"} <= stats["phases"], stats
    assert stats["cases"] > 500, stats
