"""Fixtures for the dashboard tests."""

from tests.dashboard.helpers import plain_static_storage  # noqa: F401
