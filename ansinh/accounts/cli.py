"""The person a management command acts as (`--as` / `--actor`), checked as the web checks them.

A command run without a name acts as the system (an operator at the server's console). With a
name, the person must exist, be active and hold a role that changes data; a command that acts on
one unit then asks the access layer the same question the page asks (`Scope.can_change`, with
the field where the page needs one), so that the console is no back door into another commune
or another field. The actor's client address is None: a console has none to record.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from ansinh.geo.models import Unit

from .access import get_scope
from .audit import Actor
from .models import EDITING_ROLES, Field, Role, User


def cli_actor(username: str | None, *, data: str = "dữ liệu") -> Actor:
    """The Actor for `--as USERNAME` (the system without one); `data` names what the command
    changes, in the refusal ("dữ liệu hộ")."""
    if not username:
        return Actor.system()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng {username!r}.")
    if not get_scope(user).roles & EDITING_ROLES:
        raise CommandError(f"Người dùng {username!r} không có vai trò được nhập, sửa {data}.")
    return Actor.cli(user)


def cli_check_unit(actor: Actor, unit: Unit, *, field: str | None = None) -> None:
    """Refuses, as the page does with 403, a person acting on a unit outside their units, or
    (with `field`) a provincial officer of another field."""
    if actor.user is None:
        return
    if get_scope(actor.user).can_change(unit, field=field):
        return
    name = actor.user.username
    if field is not None and get_scope(actor.user).can_change(unit):
        raise CommandError(f"Người dùng {name!r} không phụ trách lĩnh vực {Field(field).label} nên không được làm "
                           f"việc này ở {unit.name}.")
    raise CommandError(f"Người dùng {name!r} không được thay đổi dữ liệu của {unit.name}: đơn vị này nằm ngoài "
                       "phạm vi được giao cho người này.")


def cli_check_admin(actor: Actor) -> None:
    """Data the whole country shares (the poverty standards) is changed by an administrator."""
    if actor.user is not None and Role.ADMIN not in get_scope(actor.user).roles:
        raise CommandError(f"Người dùng {actor.user.username!r} không phải quản trị hệ thống: chỉ quản trị hệ thống "
                           "được sửa chuẩn nghèo.")
