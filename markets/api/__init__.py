"""The markets app REST API."""
