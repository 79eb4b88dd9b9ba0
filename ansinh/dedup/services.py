"""An officer's decisions on possible duplicates: merge, link or dismiss; typed, atomic, audited.

A pair is decided once and for all: `DuplicatePair` holds one row per pair ever, the searches never
raise a pair that exists in any status, and a decision is a conditional update of an open pair
(two officers deciding the same pair at once: the second is refused).

- merge: the two records are one person registered twice. The officer chooses the record kept;
  the other's open entitlements and dossiers, the entitlements she cares for, her paying method and
  her citizen ID (when the kept record has none) follow the person onto the kept record; what was
  paid stays where it was paid (payroll and package lines keep their record, and
  `identity.one_per_person` groups both records, so nothing is paid twice afterwards). The other
  record leaves its household ("trùng với …" in the household's history).
- link: both records stay (the person really lives in two registers, e.g. a pensioner registered
  where she lives and where her pension is paid); `identity.one_per_person` pays her once.
- dismiss: two different people; the pair is never raised again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.households.models import Household, HouseholdEvent, HouseholdEventKind, Member, Relation

from .access import may_decide_pair
from .models import DuplicatePair, Method, PairStatus

NOTE_LENGTH = 500


class PairDecided(ValidationError):
    """The pair was decided meanwhile (by someone else, or in another tab)."""


def _vn_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _label(member: Member) -> str:
    return _("%(name)s (born %(date)s, household %(code)s)") % {
        "name": member.full_name, "date": _vn_date(member.birth_date), "code": member.household.code}


def _merged_away(member_ids: Iterable[int]) -> set[int]:
    """Records that left their household through an earlier merge (the record not kept)."""
    ids = list(member_ids)
    rows = (DuplicatePair.objects.filter(status=PairStatus.MERGED, kept__isnull=False)
            .filter(Q(left_id__in=ids) | Q(right_id__in=ids)).values_list("left_id", "right_id", "kept_id"))
    gone: set[int] = set()
    for left, right, kept in rows:
        gone.add(right if kept == left else left)
    return gone & set(ids)


def _open_pair(pair: DuplicatePair, actor: Actor) -> DuplicatePair:
    """The pair read afresh, with both records and their communes; refused when it is no longer
    open or the actor may not decide it."""
    fresh = (DuplicatePair.objects.select_related("left__household__commune", "right__household__commune")
             .filter(pk=pair.pk).first())
    if fresh is None:
        raise ValidationError(_("This possible duplicate no longer exists (one of its records was deleted)."))
    if fresh.status != PairStatus.OPEN:
        raise PairDecided(_("This pair was already decided (%(status)s) by %(who)s: a decision is final.") % {
            "status": fresh.get_status_display(), "who": fresh.decided_by.username if fresh.decided_by else _("the system")})
    user = user_of(actor)
    if user is not None and not may_decide_pair(user, fresh):
        raise PermissionDenied
    return fresh


def _close(pair: DuplicatePair, *, actor: Actor, status: str, note: str, kept: Member | None = None) -> None:
    """The conditional update that decides the pair (open → status), refused if someone was faster."""
    now = timezone.now()
    updated = DuplicatePair.objects.filter(pk=pair.pk, status=PairStatus.OPEN).update(
        status=status, decided_by=user_of(actor), decided_at=now, note=note[:NOTE_LENGTH],
        kept=kept, last_seen=now)
    if updated != 1:
        raise PairDecided(_("This pair was decided by someone else meanwhile: a decision is final."))
    pair.status, pair.decided_by, pair.decided_at, pair.note, pair.kept = status, user_of(actor), now, note[:NOTE_LENGTH], kept


def _snapshot(pair: DuplicatePair) -> dict[str, Any]:
    return {"status": pair.status, "left": pair.left_id, "right": pair.right_id, "kept": pair.kept_id,
            "note": pair.note, "probability": pair.probability, "method": pair.method}


def _stale_member() -> ValidationError:
    return ValidationError(_("One of the two records was changed while you decided: open the pair again and "
                             "check it before deciding."))


def _bump_member(member: Member, **values: Any) -> None:
    """A conditional update of a member at the version read with the pair (someone else's change
    in between refuses the decision)."""
    updated = Member.objects.filter(pk=member.pk, version=member.version).update(
        **values, version=member.version + 1, updated_at=timezone.now())
    if updated != 1:
        raise _stale_member()
    member.version += 1
    for name, value in values.items():
        setattr(member, name, value)


def _refresh_head(household: Household) -> None:
    head = household.members.present().filter(relation=Relation.HEAD).first()
    household.head_name = head.full_name if head else ""
    household.set_derived_fields()
    household.save(update_fields=["head_name", "search_text", "sort_key", "updated_at"])


@transaction.atomic
def merge(pair: DuplicatePair, *, actor: Actor, keep: int | None = None, note: str = "") -> DuplicatePair:
    """The two records are one person: keep one (`keep`, a record of the pair; by default the
    older record), move what follows the person onto it, and the other leaves its household.

    1. Read the pair afresh; refuse a decided pair, an actor who may not change both communes, a
       record already merged away in another pair, a record of someone who died (link instead: a
       death recorded on one record only must be checked first) or who has left her household.
    2. Refuse when both records hold an entitlement of the same category for the same months
       (the person is paid twice now: stop one of them by decision first).
    3. Move entitlements, the entitlements she cares for, open dossiers, the paying method and the
       citizen ID (set-based updates), the other record leaves its household today with a note.
    4. Close the pair (conditional update) and audit DUPLICATE_MERGE.
    """
    from ansinh.benefits.models import Dossier, DossierStatus, Entitlement
    from ansinh.payments.models import PaymentMethod

    pair = _open_pair(pair, actor)
    records = {pair.left_id: pair.left, pair.right_id: pair.right}
    keep = pair.left_id if keep is None else keep
    if keep not in records:
        raise ValidationError({"keep": _("Choose which of the two records to keep.")})
    kept = records[keep]
    other = records[pair.right_id if keep == pair.left_id else pair.left_id]
    gone = _merged_away(records)
    if gone:
        raise ValidationError(_("%(who)s was already merged into another record in an earlier decision: decide "
                                "this pair with that record, or dismiss it.") % {"who": _label(records[min(gone)])})
    for member in (kept, other):
        if member.died_on is not None:
            raise ValidationError(_("The death of %(who)s is recorded: records of a deceased person are not merged. "
                                    "Link the two records instead (one person, paid once).") % {"who": _label(member)})
        if member.left_on is not None:
            raise ValidationError(_("%(who)s left her household on %(date)s: records of someone who left are not "
                                    "merged. Link the two records instead.") % {
                                        "who": _label(member), "date": _vn_date(member.left_on)})
    moved = list(Entitlement.objects.filter(person=other).select_related("category"))
    kept_entitlements = list(Entitlement.objects.filter(person=kept))
    for mine in moved:
        for theirs in kept_entitlements:
            if mine.category_id != theirs.category_id:
                continue
            overlap = ((theirs.stop_month is None or mine.start_month < theirs.stop_month)
                       and (mine.stop_month is None or theirs.start_month < mine.stop_month))
            if overlap:
                raise ValidationError(_("Both records receive “%(category)s” for the same months (decisions %(a)s and "
                                        "%(b)s): the person is paid twice. Stop one of the two entitlements by "
                                        "decision first, then merge.") % {
                                            "category": mine.category.name, "a": theirs.decision_number,
                                            "b": mine.decision_number})
    before = _snapshot(pair)
    today = timezone.localdate()
    commune = kept.household.commune
    moved_ids = [e.pk for e in moved]
    Entitlement.objects.filter(pk__in=moved_ids).update(
        person=kept, commune=commune, version=F("version") + 1, updated_at=timezone.now())
    cared = Entitlement.objects.filter(carer=other).update(carer=kept, version=F("version") + 1,
                                                           updated_at=timezone.now())
    dossiers = (Dossier.objects.filter(person=other)
                .exclude(status__in=[DossierStatus.DECIDED, DossierStatus.REFUSED])
                .update(person=kept, version=F("version") + 1, updated_at=timezone.now()))
    method_moved = False
    if not PaymentMethod.objects.filter(person=kept).exists():
        method_moved = PaymentMethod.objects.filter(person=other).update(person=kept) == 1
    citizen_id = None
    if not kept.citizen_id and other.citizen_id:
        citizen_id = other.citizen_id
        _bump_member(other, citizen_id=None)
        _bump_member(kept, citizen_id=citizen_id)
    text = _("Same person as %(who)s (possible duplicate no. %(pk)s)") % {"who": _label(kept), "pk": pair.pk}
    _bump_member(other, left_on=today)
    HouseholdEvent.objects.create(household=other.household, kind=HouseholdEventKind.MEMBER_LEFT, on=today,
                                  member=other, other=kept.household, note=text[:255], actor=user_of(actor))
    if other.relation == Relation.HEAD:
        _refresh_head(other.household)
    _close(pair, actor=actor, status=PairStatus.MERGED, note=note, kept=kept)
    audit.record(actor=actor, action=AuditAction.DUPLICATE_MERGE, obj=pair, unit=commune, before=before,
                 after={**_snapshot(pair), "entitlements_moved": moved_ids, "cared_moved": cared,
                        "dossiers_moved": dossiers, "payment_method_moved": method_moved,
                        "citizen_id_moved": bool(citizen_id), "left_household": other.household.code})
    return pair


@transaction.atomic
def link(pair: DuplicatePair, *, actor: Actor, note: str = "") -> DuplicatePair:
    """Both records stay, as one person: payrolls and packages pay her once."""
    pair = _open_pair(pair, actor)
    gone = _merged_away([pair.left_id, pair.right_id])
    if gone:
        who = pair.left if pair.left_id in gone else pair.right
        raise ValidationError(_("%(who)s was already merged into another record in an earlier decision: decide "
                                "this pair with that record, or dismiss it.") % {"who": _label(who)})
    before = _snapshot(pair)
    _close(pair, actor=actor, status=PairStatus.LINKED, note=note)
    audit.record(actor=actor, action=AuditAction.DUPLICATE_LINK, obj=pair, unit=pair.left.household.commune,
                 before=before, after=_snapshot(pair))
    return pair


@transaction.atomic
def dismiss(pair: DuplicatePair, *, actor: Actor, note: str = "") -> DuplicatePair:
    """Two different people: the pair is closed and never raised again."""
    pair = _open_pair(pair, actor)
    before = _snapshot(pair)
    _close(pair, actor=actor, status=PairStatus.DISMISSED, note=note)
    audit.record(actor=actor, action=AuditAction.DUPLICATE_DISMISS, obj=pair, unit=pair.left.household.commune,
                 before=before, after=_snapshot(pair))
    return pair


DECISIONS = {"merge", "link", "dismiss"}


def decide(pair: DuplicatePair, *, actor: Actor, decision: str, keep: int | None = None,
           note: str = "") -> DuplicatePair:
    """One entry for the page and the API: `decision` is merge, link or dismiss."""
    if decision == "merge":
        return merge(pair, actor=actor, keep=keep, note=note)
    if decision == "link":
        return link(pair, actor=actor, note=note)
    if decision == "dismiss":
        return dismiss(pair, actor=actor, note=note)
    raise ValidationError({"decision": _("Choose merge, link or dismiss.")})


@transaction.atomic
def record_entry_warning(*, actor: Actor, person: Member | None, similar: list[tuple[int, float]], form: str,
                         unit: Any = None) -> int:
    """The officer was shown people similar to the one she entered and saved anyway ("Đây là
    người khác, vẫn lưu"): one audit row naming whom she was shown (record ids, never names) and,
    once the record exists, the pairs become review items found "when entered" (a second look by
    whoever reviews the duplicates; pairs that already exist, in any status, are left alone).
    Returns the number of new review items."""
    target: Any = person if person is not None else Member
    audit.record(actor=actor, action=AuditAction.DUPLICATE_SAVED_ANYWAY, obj=target, unit=unit,
                 after={"form": form, "similar": sorted(pk for pk, _p in similar),
                        "person": person.pk if person is not None else None})
    if person is None:
        return 0
    scores = {pk: probability for pk, probability in similar if pk != person.pk}
    pairs = {(min(person.pk, pk), max(person.pk, pk)): p for pk, p in scores.items()}
    if not pairs:
        return 0
    existing = set(DuplicatePair.objects.filter(Q(left_id=person.pk) | Q(right_id=person.pk))
                   .values_list("left_id", "right_id"))
    new = [DuplicatePair(left_id=a, right_id=b, method=Method.ENTRY, probability=round(p, 4),
                         evidence={"entry": form})
           for (a, b), p in sorted(pairs.items()) if (a, b) not in existing]
    DuplicatePair.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


__all__ = ["DECISIONS", "PairDecided", "decide", "dismiss", "link", "merge", "record_entry_warning"]
