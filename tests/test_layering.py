"""The project's layers point one way (README, "Layout").

    registry  ←  clusters, markets (never each other)  ←  reports  ←  dashboard, demo

A package imports only itself and the layers below it: ``registry`` none of the apps built on
it, ``clusters`` and ``markets`` neither each other nor the top apps. Every import statement
counts, those inside functions included; test code is not checked.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Bottom first. Packages in one tuple are independent of each other unless listed in
#: SIBLINGS_MAY_IMPORT.
LAYERS = [("registry",), ("clusters", "markets"), ("reports",), ("dashboard", "demo")]
#: The top layer's pages may say whether the demo data is loaded (dashboard → demo).
SIBLINGS_MAY_IMPORT = {("dashboard", "demo")}


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every module ``path`` imports (relative imports excluded:
    they stay inside the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def violations(root: Path, layers=LAYERS, siblings_may_import=SIBLINGS_MAY_IMPORT) -> list[str]:
    """Every import in ``root``'s layered packages that points up or sideways."""
    level = {package: index for index, group in enumerate(layers) for package in group}
    found = []
    for package, own_level in level.items():
        for path in sorted((root / package).rglob("*.py")):
            for imported in sorted(imported_packages(path)):
                if imported == package or imported not in level:
                    continue
                if level[imported] < own_level or (package, imported) in siblings_may_import:
                    continue
                found.append(f"{path.relative_to(root)} imports {imported}")
    return found


def test_the_layers_point_down():
    assert violations(ROOT) == []


def test_every_layered_package_exists_and_is_checked():
    for group in LAYERS:
        for package in group:
            assert (ROOT / package / "__init__.py").is_file(), package


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("registry/scoping.py", "from clusters.models import IndustrialCluster\n", "clusters"),
        ("registry/api/views.py", "def f():\n    import dashboard.views\n", "dashboard"),
        ("markets/selectors.py", "from clusters.selectors import OPERATING_STATES\n", "clusters"),
        ("clusters/admin.py", "import demo.data\n", "demo"),
        ("clusters/api/stats.py", "from reports.models import PublishedReport\n", "reports"),
        ("reports/services.py", "import dashboard.views\n", "dashboard"),
    ],
)
def test_an_upward_or_sideways_import_is_reported(tmp_path, module, source, expected):
    for group in LAYERS:
        for package in group:
            (tmp_path / package).mkdir()
            (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "registry" / "api").mkdir()
    (tmp_path / "clusters" / "api").mkdir()
    target = tmp_path / module
    target.write_text(source)
    assert violations(tmp_path) == [f"{module} imports {expected}"]


def test_downward_and_third_party_imports_are_allowed(tmp_path):
    for group in LAYERS:
        for package in group:
            (tmp_path / package).mkdir()
    (tmp_path / "dashboard" / "views.py").write_text(
        "import clusters.selectors\nfrom markets import models\nfrom registry import dates\n"
        "from demo.data import CLUSTERS\nfrom django.db import models\nfrom . import charts\n"
    )
    (tmp_path / "clusters" / "models.py").write_text("from registry.models import District\n")
    assert violations(tmp_path) == []
