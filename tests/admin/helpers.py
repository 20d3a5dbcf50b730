"""Helpers for driving the admin's import and export views through the test client."""

import re
from pathlib import Path

from django.urls import reverse

DATA = Path(__file__).resolve().parent.parent / "data"
FORMATS = {"csv": "0", "xlsx": "1"}


def upload(client, model: str, filename: str):
    """POST ``tests/data/<filename>`` to the import view of ``model`` ("clusters_industrial…")."""
    kind = filename.rsplit(".", 1)[1]
    with open(DATA / filename, "rb") as handle:
        return client.post(
            reverse(f"admin:{model}_import"),
            {"import_file": handle, "format": FORMATS[kind], "resource": "0"},
        )


def confirm(client, model: str, preview):
    """Send the preview page's confirm form (the hidden fields it carries)."""
    html = preview.content.decode()
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
        + re.findall(r'<input type="hidden" name="([^"]+)"[^>]*value="([^"]*)"', html)
    )
    fields.pop("csrfmiddlewaretoken", None)
    return client.post(reverse(f"admin:{model}_process_import"), fields)
