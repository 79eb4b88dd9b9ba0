"""`ansinh users create …` and `ansinh users token U`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ansinh.accounts.models import Field, Role, User
from ansinh.accounts.services import token_create, unit_for_role, user_create


class Command(BaseCommand):
    help = "Create users bound to a unit, and API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user with one role on one unit.")
        create.add_argument("--username", required=True)
        create.add_argument("--password", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--unit", default=None, help="Current-map code (VN or none for national roles).")
        create.add_argument("--field", default="", choices=["", *Field.values])
        create.add_argument("--full-name", default="")
        token = sub.add_parser("token", help="Print a new API token for the user.")
        token.add_argument("username")
        token.add_argument("--days", type=int, default=None,
                           help="Days until the token expires (default: settings.API_TOKEN_DAYS, 90; 0: never).")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        try:
            if options["action"] == "create":
                unit = unit_for_role(role=options["role"], code=options["unit"])
                user = user_create(
                    username=options["username"], password=options["password"], role=options["role"],
                    unit=unit, field=options["field"], full_name=options["full_name"],
                )
                self.stdout.write(f"{user.username}: {options['role']} — {unit.code} {unit.name}")
            else:
                owner = User.objects.filter(username=options["username"]).first()
                if owner is None:
                    raise CommandError(f"Không có người dùng {options['username']!r}.")
                self.stdout.write(token_create(user=owner, days=options["days"]))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
