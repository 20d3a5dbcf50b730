"""``manage.py purge_pending_imports``: remove spreadsheet uploads never confirmed.

An upload waits for its import to be confirmed at most ``REGISTRY_IMPORT_PENDING_HOURS`` hours
(registry.pending_imports); older ones are removed on each new upload and by this command
(run it from cron, e.g. hourly, on a site with few uploads).
"""

from django.core.management.base import BaseCommand

from registry.pending_imports import PendingImport


class Command(BaseCommand):
    help = "Remove spreadsheet uploads waiting for a confirmation longer than allowed."

    def handle(self, *args, **options):
        removed = PendingImport.purge()
        self.stdout.write(f"Removed {removed} pending import(s).")
