"""``manage.py api_tokens list [USERNAME]`` / ``revoke ID`` / ``rotate ID`` / ``issue USERNAME``.

Lists never show keys (only their first characters); ``rotate`` and ``issue`` print the new
key once.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from registry.tokens import ApiToken


class Command(BaseCommand):
    help = "List, revoke, rotate or issue API tokens (keys are shown once, when made)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="tokens, without their keys")
        listing.add_argument("username", nargs="?")
        listing.add_argument("--all", action="store_true", help="revoked tokens too")
        for action in ("revoke", "rotate"):
            sub.add_parser(action).add_argument("id", type=int)
        issue = sub.add_parser("issue", help="one more token for an account")
        issue.add_argument("username")
        issue.add_argument("--name", default="")

    def token(self, pk: int) -> ApiToken:
        try:
            return ApiToken.objects.active().select_related("user").get(pk=pk)
        except ApiToken.DoesNotExist:
            raise CommandError(f"There is no active token {pk}.") from None

    def handle(self, *args, action, **options):
        if action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            if not options["all"]:
                tokens = tokens.active()
            for t in tokens:
                revoked = f" revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else ""
                self.stdout.write(
                    f"{t.pk}\t{t.user.username}\t{t.prefix}…\t{t.name}\t"
                    f"{t.created_at:%Y-%m-%d %H:%M}{revoked}"
                )
        elif action == "revoke":
            self.token(options["id"]).revoke()
            self.stderr.write(f"Token {options['id']} revoked.")
        elif action == "rotate":
            new, key = self.token(options["id"]).rotate()
            self.stderr.write(f"Token {options['id']} revoked; its replacement {new.pk}:")
            self.stdout.write(key)
        else:
            User = get_user_model()
            try:
                user = User.objects.get(username=options["username"])
            except User.DoesNotExist:
                raise CommandError(f"There is no user {options['username']!r}.") from None
            _token, key = ApiToken.issue(user, name=options["name"])
            self.stdout.write(key)
