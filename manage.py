#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    # Commands other than runserver serve no requests, so they may run (migrate, check,
    # makemigrations …) without the production secret key: the settings then use a key
    # that `check --deploy` reports as insecure. Serving (runserver, gunicorn through
    # registry/wsgi.py) still refuses to start without DJANGO_SECRET_KEY when DEBUG is off.
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command != "runserver":
        os.environ.setdefault("DJANGO_INSECURE_DEV_KEY", "1")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
