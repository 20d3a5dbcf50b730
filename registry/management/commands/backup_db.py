"""`manage.py backup_db [--output PATH | --output-dir DIR]`: a complete, verified backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from registry.backup import BackupError, backup, default_path, private_directory


class Command(BaseCommand):
    help = (
        "Back up the whole database: pg_dump (custom format) on PostgreSQL, "
        "SQLite's online backup on SQLite. Prints the path of the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="File to write (default: a dated file in --output-dir)."
        )
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="Folder for the dated backup file, made mode 0700 (default: backups/).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, output_dir=None, database=DEFAULT_DB_ALIAS, **options):
        vendor = connections[database].vendor
        try:
            # The folder of dated backups is the backups' own: only its owner may enter it.
            path = Path(output) if output else default_path(private_directory(output_dir), vendor)
            written = backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(written))
