"""The clusters app REST API."""
