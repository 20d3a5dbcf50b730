"""``manage.py grant_unit USERNAME CODE [CODE …]``: make an account local staff of units.

Five-digit codes are communes (``UnitAssignment``: the account keeps the records lying in
them); three-digit codes are districts, granted as ``grant_district`` does (for history).
Adds the account to the "District staff" group (the local-staff role) and marks it staff.
Nothing changes if a code is unknown.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.models import AdministrativeUnit, DistrictAssignment, UnitAssignment, UnitLevel

LOCAL_STAFF_GROUP = "District staff"


def normalised(code: str) -> str:
    code = code.strip()
    if code.isdigit() and len(code) > 3:
        return code.zfill(5)
    return code.zfill(3) if code.isdigit() else code


class Command(BaseCommand):
    help = "Give an existing user the local-staff role for the communes (or districts) given."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "codes", nargs="+", metavar="CODE", help="commune code (00070) or district code (017)"
        )

    def handle(self, *args, username, codes, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}; create it first.") from None
        codes = [normalised(code) for code in codes]
        units = {
            u.code: u
            for u in AdministrativeUnit.objects.filter(code__in=codes).select_related("district")
        }
        unknown = sorted(
            code
            for code in set(codes)
            if code not in units
            or (units[code].level == UnitLevel.DISTRICT and not units[code].district)
        )
        if unknown:
            raise CommandError(f"Unknown unit code(s): {', '.join(unknown)}. Nothing changed.")
        try:
            group = Group.objects.get(name=LOCAL_STAFF_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f"The group {LOCAL_STAFF_GROUP!r} is missing: run `manage.py migrate`."
            ) from None
        added = []
        with transaction.atomic():
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            user.groups.add(group)
            for code in codes:
                unit = units[code]
                if unit.level == UnitLevel.COMMUNE:
                    _row, created = UnitAssignment.objects.get_or_create(user=user, unit=unit)
                else:
                    _row, created = DistrictAssignment.objects.get_or_create(
                        user=user, district=unit.district
                    )
                if created:
                    added.append(code)
        kept = ", ".join(str(units[code]) for code in codes)
        self.stdout.write(
            self.style.SUCCESS(f"{username} is local staff for: {kept}")
            + (f" (newly assigned: {', '.join(added)})" if added else " (already assigned)")
        )
