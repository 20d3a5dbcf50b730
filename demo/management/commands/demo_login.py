"""Create (or reset) the demo sign-ins and print them. For local demonstrations only."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.models import (
    AdministrativeUnit,
    District,
    DistrictAssignment,
    UnitAssignment,
    UnitLevel,
)

DEMO_DISTRICT = "017"  # Đông Anh
DEMO_COMMUNE = "00475"  # Xã Thư Lâm (since 1 July 2025; took Vân Hà, Thụy Lâm, part of Liên Hà)


class Command(BaseCommand):
    help = (
        "Create or reset the demo accounts 'demo' (superuser), 'demo-donganh' (district "
        "staff of Đông Anh) and 'demo-thulam' (commune staff of Xã Thư Lâm) and print their "
        "password (DEMO_PASSWORD, or a new random one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password to set (default: DEMO_PASSWORD or random)")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/",
            help="The address the site is served at, printed with the sign-in "
            "(`make run` passes http://$(HOST):$(PORT)/)",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        password = (
            options["password"] or os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
        )
        if len(password) < 8:
            raise CommandError("The demo password must have at least 8 characters.")
        users = get_user_model()

        admin, _ = users.objects.get_or_create(username="demo")
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(password)
        admin.save()

        group = Group.objects.filter(name="District staff").first()  # the local-staff role

        def local_staff(username):
            staff, _ = users.objects.get_or_create(username=username)
            staff.is_staff = staff.is_active = True
            staff.is_superuser = False
            staff.set_password(password)
            staff.save()
            if group is not None:
                staff.groups.add(group)
            return staff

        district = District.objects.get(code=DEMO_DISTRICT)
        DistrictAssignment.objects.get_or_create(
            user=local_staff("demo-donganh"), district=district
        )
        commune = AdministrativeUnit.objects.get(level=UnitLevel.COMMUNE, code=DEMO_COMMUNE)
        UnitAssignment.objects.get_or_create(user=local_staff("demo-thulam"), unit=commune)

        admin_url = options["base_url"].rstrip("/") + "/admin/"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo sign-in at {admin_url}\n"
                f"  department view (superuser): demo / {password}\n"
                f"  district staff of {district.name}: demo-donganh / {password}\n"
                f"  commune staff of {commune.name}: demo-thulam / {password}"
            )
        )
