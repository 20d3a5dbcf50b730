"""``manage.py create_api_account NAME --read|--write [--district CODE …]``: an account for
another department's system, with its token, in one step.

Prints the token's key — the only time it is shown (the database keeps only its hash). Without
``--district`` the account reads (and with ``--write`` keeps) every district's records.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.api_accounts import READ, WRITE, create_api_account
from registry.models import District


class Command(BaseCommand):
    help = "Create an API account with read or read-write rights and print its token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        access = parser.add_mutually_exclusive_group(required=True)
        access.add_argument("--read", action="store_const", const=READ, dest="level")
        access.add_argument("--write", action="store_const", const=WRITE, dest="level")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="CODE",
            help="only this district (repeat for several); default every district",
        )
        parser.add_argument("--full-name", default="", help="the department or system")

    def handle(self, *args, username, level, district, full_name, **options):
        codes = [code.strip().zfill(3) for code in district]
        districts = list(District.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in districts})
        if unknown:
            raise CommandError(f"Unknown district code(s): {', '.join(unknown)}. Nothing changed.")
        try:
            user, token, key = create_api_account(
                username, level, districts=districts, full_name=full_name
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        scope = ", ".join(d.code for d in districts) or "every district"
        self.stderr.write(
            f"Created {user.username} ({level}, {scope}). Its token (shown only now):"
        )
        self.stdout.write(key)
