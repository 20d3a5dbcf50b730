"""``manage.py grant_district USERNAME CODE [CODE …]``: make an account district staff.

Adds the account to the "District staff" group, marks it staff (so it can use the admin) and
assigns it the districts given by their official codes. Nothing changes if a code is unknown.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.models import District, DistrictAssignment

DISTRICT_STAFF_GROUP = "District staff"


class Command(BaseCommand):
    help = "Give an existing user the district-staff role for the districts with these codes."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("codes", nargs="+", metavar="CODE", help="district code, e.g. 017")

    def handle(self, *args, username, codes, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}; create it first.") from None
        codes = [code.strip().zfill(3) for code in codes]
        districts = {d.code: d for d in District.objects.filter(code__in=codes)}
        unknown = sorted(set(codes) - set(districts))
        if unknown:
            raise CommandError(f"Unknown district code(s): {', '.join(unknown)}. Nothing changed.")
        try:
            group = Group.objects.get(name=DISTRICT_STAFF_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f"The group {DISTRICT_STAFF_GROUP!r} is missing: run `manage.py migrate`."
            ) from None
        with transaction.atomic():
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            user.groups.add(group)
            added = []
            for code in codes:
                _assignment, created = DistrictAssignment.objects.get_or_create(
                    user=user, district=districts[code]
                )
                if created:
                    added.append(code)
        kept = ", ".join(str(districts[code]) for code in codes)
        self.stdout.write(
            self.style.SUCCESS(f"{username} is district staff for: {kept}")
            + (f" (newly assigned: {', '.join(added)})" if added else " (already assigned)")
        )
