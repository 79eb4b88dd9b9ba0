"""Deciding the suspension proposals that three months not collected raise (Circular
02/2021/TT-BLĐTBXH Art. 2(3)(a): "Đối tượng không nhận chế độ, chính sách liên tục từ 03 tháng
trở lên"). The system only proposes (`results.propose_suspensions`); an officer who may change the
person's entitlements confirms — the entitlement stops from the proposal's month through the
benefits services, reason "not collected" — or dismisses it with a note (the person came back,
collected late …). A decided proposal is final. Both audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.benefits import access as benefit_access
from ansinh.benefits import services as benefit_services
from ansinh.benefits.models import Entitlement, StopReason

from .models import SuspensionProposal, SuspensionStatus

FIELDS = ["status", "decided_by", "decided_at", "note"]


def proposals_for_user(user: Any) -> QuerySet[SuspensionProposal]:
    """The proposals of the communes and schemes whose entitlements the user reads."""
    from ansinh.benefits.access import entitlements_for_user

    return SuspensionProposal.objects.filter(entitlement__in=entitlements_for_user(user).values("pk"))


def may_decide(user: Any, proposal: SuspensionProposal) -> bool:
    return user is not None and benefit_access.may_change_scheme(user, proposal.commune, proposal.scheme)


def _lock(proposal: SuspensionProposal, actor: Actor) -> SuspensionProposal:
    user = user_of(actor)
    current = SuspensionProposal.objects.select_for_update().select_related("commune", "entitlement").get(
        pk=proposal.pk)
    if user is not None and not may_decide(user, current):
        raise PermissionDenied(_("You may not decide on the entitlements of this scheme in this commune."))
    if current.status != SuspensionStatus.PROPOSED:
        raise ValidationError(_("This proposal was already decided (%(status)s).")
                              % {"status": current.get_status_display()})
    return current


@transaction.atomic
def confirm(proposal: SuspensionProposal, *, actor: Actor, note: str = "") -> SuspensionProposal:
    """Stops the entitlement from the proposal's month (the first month not paid), reason "not
    collected"; an entitlement already stopped from that month or earlier is left as it is."""
    current = _lock(proposal, actor)
    entitlement = Entitlement.objects.select_for_update().get(pk=current.entitlement_id)
    text = (note.strip() or _("Not collected: %(months)s (%(basis)s).") % {"months": current.months,
                                                                              "basis": current.legal_basis})[:255]
    if entitlement.stop_month is None or entitlement.stop_month > current.from_month:
        if entitlement.stop_month is not None:
            raise ValidationError(_("The entitlement already stops from %(month)s: change that decision on the "
                                    "entitlement's page.") % {"month": f"{entitlement.stop_month:%m/%Y}"})
        if current.from_month <= entitlement.start_month:
            raise ValidationError(_("The entitlement begins in %(month)s, not before the month to suspend from.")
                                  % {"month": f"{entitlement.start_month:%m/%Y}"})
        benefit_services.stop_entitlement(actor, entitlement, stop_month=current.from_month,
                                          reason=StopReason.NOT_COLLECTED, note=text)
    before = audit.snapshot(current, FIELDS)
    current.status, current.decided_by, current.decided_at = SuspensionStatus.CONFIRMED, user_of(actor), timezone.now()
    current.note = note.strip()[:500]
    current.save(update_fields=FIELDS)
    audit.record(actor=actor, action=AuditAction.SUSPENSION_CONFIRM, obj=current, unit=current.commune,
                 before=before, after=audit.snapshot(current, FIELDS))
    return current


@transaction.atomic
def dismiss(proposal: SuspensionProposal, *, actor: Actor, note: str) -> SuspensionProposal:
    """Keeps paying; the note says why (required)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the allowance goes on (for example: the person collected late).")})
    current = _lock(proposal, actor)
    before = audit.snapshot(current, FIELDS)
    current.status, current.decided_by, current.decided_at = SuspensionStatus.DISMISSED, user_of(actor), timezone.now()
    current.note = note.strip()[:500]
    current.save(update_fields=FIELDS)
    audit.record(actor=actor, action=AuditAction.SUSPENSION_DISMISS, obj=current, unit=current.commune,
                 before=before, after=audit.snapshot(current, FIELDS))
    return current


__all__ = ["confirm", "dismiss", "may_decide", "proposals_for_user"]
