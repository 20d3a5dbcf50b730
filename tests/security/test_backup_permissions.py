"""Backups hold password hashes, sessions and API credentials: ``make backup`` writes them
readable by their owner only (0600) in a folder only the owner can enter (0700), whatever the
process's umask and whatever mode the folder had before."""

import os
import stat

import pytest
from django.core.management import call_command

from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db(transaction=True)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """The loosest umask: nothing is taken away, so any 0600/0700 seen is the code's doing."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def backup_db(**options) -> None:
    with open(os.devnull, "w") as devnull:
        call_command("backup_db", stdout=devnull, **options)


def written_files(directory):
    return [p for p in directory.iterdir() if p.is_file()]


def test_dated_backup_is_0600_in_a_new_0700_folder(tmp_path, permissive_umask):
    TargetFactory()
    folder = tmp_path / "backups"
    backup_db(output_dir=str(folder))
    (backup,) = written_files(folder)
    assert backup.stat().st_size > 0
    assert mode(backup) == 0o600
    assert mode(folder) == 0o700


def test_an_existing_open_backup_folder_is_closed_to_others(tmp_path, permissive_umask):
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)  # noqa: S103 - the open folder under test
    backup_db(output_dir=str(folder))
    backup_db(output_dir=str(tmp_path / "backups"))
    assert mode(folder) == 0o700
    files = written_files(folder)
    assert files and all(mode(p) == 0o600 for p in files)


def test_explicit_output_file_is_0600_and_a_new_parent_0700(tmp_path, permissive_umask):
    target = tmp_path / "new" / "registry.backup"
    backup_db(output=str(target))
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    # An existing folder named by --output is the caller's: its mode is left alone, but the
    # file in it is still the owner's alone.
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)  # noqa: S103 - a shared folder under test
    backup_db(output=str(shared / "registry.backup"))
    assert mode(shared / "registry.backup") == 0o600
    assert mode(shared) == 0o755
    assert not list(shared.glob("*.partial"))


def test_overwriting_a_readable_backup_leaves_it_0600(tmp_path, permissive_umask):
    target = tmp_path / "registry.backup"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    backup_db(output=str(target))
    assert mode(target) == 0o600
    assert target.read_bytes() != b"old"
