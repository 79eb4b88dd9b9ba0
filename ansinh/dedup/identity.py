"""One person, whatever the number of her records: the records an officer confirmed as the same
person (a pair `merged` or `linked`) form a group; each group is paid once. Payrolls and packages
ask `one_per_person` which record of a group stands for it (the lowest id)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .models import DuplicatePair, PairStatus

SAME = (PairStatus.MERGED, PairStatus.LINKED)


def groups_of(person_ids: Iterable[int]) -> dict[int, int]:
    """Every record linked (directly or through others) to one of `person_ids`, mapped to the
    lowest id of its group; records of no group are left out. A few queries: one per step of the
    chain (chains are short)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    frontier = set(person_ids)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        pairs = list(DuplicatePair.objects.filter(status__in=SAME)
                     .filter(Q(left_id__in=frontier) | Q(right_id__in=frontier)).values_list("left_id", "right_id"))
        nxt: set[int] = set()
        for left, right in pairs:
            a, b = find(left), find(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
            nxt |= {left, right}
        frontier = nxt - seen
    roots = {find(y) for y in parent}
    return {x: find(x) for x in seen if x in parent or x in roots}


def one_per_person(person_ids: Iterable[int]) -> dict[int, int]:
    """For each of `person_ids`, the id that stands for her person (itself when she has no other
    record confirmed as the same person)."""
    ids = list(person_ids)
    groups = groups_of(ids)
    return {pk: groups.get(pk, pk) for pk in ids}
