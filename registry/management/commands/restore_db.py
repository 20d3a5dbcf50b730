"""`manage.py restore_db PATH [--replace]`: load a backup written by `backup_db`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from registry.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_db into the database of DATABASE_URL. The database must "
        "be empty (freshly created) unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file (.dump for PostgreSQL, .sqlite3).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that already holds tables (everything in it is replaced).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, replace=False, database=DEFAULT_DB_ALIAS, **options):
        try:
            restore(path, using=database, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
