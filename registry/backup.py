"""Back up and restore the whole database, exactly: `make backup` / `make restore`.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (schema, data, sequences, in one
  transaction). Connection details come from Django's own settings (``DATABASE_URL``).
- SQLite: SQLite's online backup API, a consistent page-by-page copy of the file even while the
  site is serving.

A backup is checked right after it is written (``pg_restore --list`` / ``PRAGMA
integrity_check``), so an unreadable backup is noticed at once, not on the day it is needed.
A restore refuses a database that already holds tables unless told to replace them, and refuses a
backup of the other kind (a SQLite file into PostgreSQL and vice versa).

A backup holds password hashes, sessions and API credentials: it is written readable by its
owner only (mode 0600, from its first byte), in a folder only its owner can enter (0700).
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.backends.sqlite3._functions import register as register_sqlite_functions

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


#: a backup file, and the folder of dated backups: the owner's alone
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def private_directory(directory: Path) -> Path:
    """``directory``, created if needed, entered by its owner only (mode 0700)."""
    directory = Path(directory)
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.chmod(directory, DIRECTORY_MODE)
    return directory


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (whatever the umask), so the backup is never
    readable by others, not even while it is being written."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)
    os.chmod(path, FILE_MODE)


def default_path(directory: Path, vendor: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(directory) / f"registry-{stamp}{SUFFIX.get(vendor, '.backup')}"


def kind_of(path: Path) -> str | None:
    """Return "postgresql" for a pg_dump custom-format file, "sqlite" for a SQLite file, or None."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return None


def _pg_env(settings_dict: dict) -> dict:
    """libpq environment for the Django database settings (no password on the command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def backup(path: Path, using: str = "default") -> Path:
    """Write a complete backup of database ``using`` to ``path`` (written whole or not at all)."""
    connection = connections[using]
    path = Path(path)
    if not path.parent.exists():
        private_directory(path.parent)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    _create_private_file(partial)
    try:
        if connection.vendor == "postgresql":
            env = _pg_env(connection.settings_dict)
            name = connection.settings_dict["NAME"]
            _run(["pg_dump", "--format=custom", f"--file={partial}", f"--dbname={name}"], env)
            _run(["pg_restore", "--list", str(partial)], env)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
                # The check re-evaluates CHECK constraints, which use the SQL functions Django
                # gives its SQLite connections (REGEXP, django_date_extract …).
                register_sqlite_functions(target)
                try:
                    (verdict,) = target.execute("PRAGMA integrity_check").fetchone()
                except sqlite3.Error as error:  # e.g. a function a CHECK uses is unknown
                    raise BackupError(f"the SQLite copy could not be checked: {error}") from error
            finally:
                target.close()
            if verdict != "ok":
                raise BackupError(f"the SQLite copy failed its integrity check: {verdict}")
        else:
            raise BackupError(f"backups of a {connection.vendor} database are not supported.")
        os.chmod(partial, FILE_MODE)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path: Path, using: str = "default", replace: bool = False) -> None:
    """Load the backup ``path`` into database ``using``, which must be empty unless ``replace``."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    kind = kind_of(path)
    if kind is None:
        raise BackupError(f"{path} is not a backup made by `make backup`.")
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is a {kind} backup but DATABASE_URL points to a {connection.vendor} "
            "database; restore it into the same kind of database."
        )
    tables = connection.introspection.table_names()
    if tables and not replace:
        raise BackupError(
            f"the database already holds {len(tables)} tables; restore into an empty database, "
            "or pass --replace (REPLACE=1 with make) to overwrite everything in it."
        )
    if kind == "postgresql":
        env = _pg_env(connection.settings_dict)
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
        ]
        if tables:
            command += ["--clean", "--if-exists"]
        connection.close()
        _run([*command, str(path)], env)
    else:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
            connection.close()
