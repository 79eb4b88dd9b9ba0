"""Suspension proposals: confirming stops the entitlement from the proposal's month (reason
"not collected"), dismissing needs a note; decided once; only by those who change the scheme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditEvent
from ansinh.benefits.models import Entitlement
from ansinh.payments import suspensions
from ansinh.payments.models import SuspensionProposal, SuspensionStatus
from ansinh.payments.results import SUSPENSION_BASIS

from . import settle_setup as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return s.world()


def _proposal(w) -> SuspensionProposal:  # type: ignore[no-untyped-def]
    ent = w.ben.disability
    return SuspensionProposal.objects.create(entitlement=ent, person=ent.person, commune=ent.commune, scheme=ent.scheme,
                                             months="08/2025, 09/2025, 10/2025", from_month=dt.date(2025, 11, 1),
                                             legal_basis=SUSPENSION_BASIS)


def test_it_confirms_and_stops_the_entitlement(w) -> None:  # type: ignore[no-untyped-def]
    proposal = suspensions.confirm(_proposal(w), actor=Actor(user=w.who.lan))
    assert proposal.status == SuspensionStatus.CONFIRMED and proposal.decided_by == w.who.lan
    ent = Entitlement.objects.get(pk=w.ben.disability.pk)
    assert ent.stop_month == dt.date(2025, 11, 1) and ent.stop_reason == "not_collected"
    assert "08/2025" in ent.stop_note
    assert AuditEvent.objects.filter(action="suspension.confirm").count() == 1
    with pytest.raises(ValidationError):
        suspensions.dismiss(proposal, actor=Actor(user=w.who.lan), note="Đã nhận lại")


def test_it_dismisses_with_a_note_and_keeps_paying(w) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(w)
    with pytest.raises(ValidationError):
        suspensions.dismiss(proposal, actor=Actor(user=w.who.lan), note="  ")
    suspensions.dismiss(proposal, actor=Actor(user=w.who.lan), note="Nằm viện, đã nhận bù")
    assert Entitlement.objects.get(pk=w.ben.disability.pk).stop_month is None
    assert SuspensionProposal.objects.get().status == SuspensionStatus.DISMISSED
    with pytest.raises(ValidationError):
        suspensions.confirm(proposal, actor=Actor(user=w.who.lan))


def test_it_refuses_those_who_may_not_decide(w) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(w)
    for user in (w.who.bao, w.who.cong, w.who.binh):
        with pytest.raises(PermissionDenied):
            suspensions.confirm(proposal, actor=Actor(user=user))
    assert SuspensionProposal.objects.get().status == SuspensionStatus.PROPOSED
    assert list(suspensions.proposals_for_user(w.who.binh)) == []
    assert list(suspensions.proposals_for_user(w.who.an)) == [proposal]
