"""The portal's writes: rate-limit bookkeeping, the progress lookup, and the
online submission (handed to the line that registered the form)."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sifa.audit.services import record, refused
from sifa.cases import codes
from sifa.cases.models import Case, Party
from sifa.kit import registry

from . import conf
from .models import Attempt, ThrottleLock

_DIGITS = re.compile(r"^\d{4}$")
# Attempts are kept one day: enough for every window, and no lasting log of who looked.
KEEP = timedelta(days=1)
# Lock stripes (ThrottleLock rows): enough that unrelated addresses and codes rarely take turns.
STRIPES = 4096


class Throttled(Exception):
    """Too many tries: answered with the same "try later" page (HTTP 429) whatever was asked."""


def _since(minutes: int):
    return timezone.now() - timedelta(minutes=int(minutes))


def _note(scope: str, ip: str, code: str, success: bool) -> None:
    now = timezone.now()
    Attempt.objects.create(scope=scope, ip=ip[:45], code=code[:40], success=success, at=now)
    Attempt.objects.filter(at__lt=now - KEEP).delete()


def _stripe(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % STRIPES


def _serialise(*keys: str) -> None:
    """Hold, until the surrounding transaction ends, the lock stripes of ``keys``, so
    that a limit's check and the attempt it lets through are one step: the next
    request for the same address or code counts it (issue 20: a burst read the count
    before any attempt was written and got 14–19 guesses against a limit of 5).
    Stripes are locked in ascending order, so two requests never wait on each other."""
    slots = sorted({_stripe(k) for k in keys if k})
    # Created on first use; ON CONFLICT DO NOTHING waits for a concurrent creator.
    ThrottleLock.objects.bulk_create([ThrottleLock(slot=s) for s in slots], ignore_conflicts=True)
    for slot in slots:
        ThrottleLock.objects.select_for_update().get(slot=slot)


def track_throttled(ip: str, code: str) -> bool:
    since = _since(conf.get("TRACK_WINDOW_MINUTES"))
    failures = Attempt.objects.filter(scope=Attempt.TRACK, success=False, at__gte=since)
    if failures.filter(ip=ip).count() >= conf.get("TRACK_MAX_PER_IP"):
        return True
    # Per code as well: guessing one code's four digits from many addresses is stopped too.
    return bool(code) and failures.filter(code=code).count() >= conf.get("TRACK_MAX_PER_CODE")


def public_types() -> list[str]:
    return [ct.key for ct in registry.case_types() if ct.public_tracking]


def clean_code(value: str) -> str:
    """The code as typed, normalised; anything that cannot be a code becomes ""."""
    value = codes.normalize(value or "")[:40]
    return value if re.fullmatch(r"[0-9A-Z]{1,40}", value) else ""


def lookup(code: str, digits: str, ip: str) -> Case | None:
    """The case with this code whose applicant's phone ends in ``digits``, or None.

    Every failure (unknown code, malformed code, wrong digits, a type that is
    not publicly tracked) takes the same path: the same queries, the same
    constant-time comparison, the same bookkeeping, so neither the answer nor
    its timing tells whether the code exists. Raises Throttled after too many
    failures from this address or for this code.
    """
    code = clean_code(code)
    digits = (digits or "").strip()
    with transaction.atomic():
        # Locked from the check to the attempt's row: parallel requests for this address
        # or this code wait here, then count this one (ADR 0008, addendum).
        _serialise(f"track:ip:{ip}", f"track:code:{code}" if code else "")
        if track_throttled(ip, code):
            raise Throttled()
        return _evaluate(code, digits, ip)


def _evaluate(code: str, digits: str, ip: str) -> Case | None:
    lookup_code = code if codes.is_valid(code) else "-"
    case = Case.objects.filter(code=lookup_code, case_type__in=public_types()).only("pk", "code", "case_type").first()
    role = registry.case_type(case.case_type).public_party_role if case else "applicant"
    stored = list(Party.objects.filter(case_id=case.pk if case else 0, role=role).values_list("phone_last4", flat=True)) or ["----"]
    typed = digits if _DIGITS.match(digits) else "????"
    matched = False
    for last4 in stored:
        # Compare against every applicant without stopping early.
        matched |= hmac.compare_digest((last4 or "----").encode(), typed.encode())
    found = case if (case is not None and matched and typed != "????") else None
    _note(Attempt.TRACK, ip, code, found is not None)
    if found is not None:
        record("portal.track", obj=found, detail={"via": "portal"})
    else:
        refused("portal.track", object_type="cases.case", object_repr=code[:40], reason="编码或验证信息不符")
    return found


def apply_throttled(ip: str) -> bool:
    since = _since(conf.get("APPLY_WINDOW_MINUTES"))
    return Attempt.objects.filter(scope=Attempt.APPLY, ip=ip, at__gte=since).count() >= conf.get("APPLY_MAX_PER_IP")


def note_application(ip: str) -> None:
    """Every application form sent counts, valid or not (floods are refused either way)."""
    _note(Attempt.APPLY, ip, "", False)


def admit_application(ip: str) -> bool:
    """Count one application form from ``ip`` unless its limit is reached (then False):
    the check and the count in one locked step, like the lookup's."""
    with transaction.atomic():
        _serialise(f"apply:ip:{ip}")
        if apply_throttled(ip):
            return False
        note_application(ip)
        return True


def submit(spec, cleaned: dict, org) -> Case:
    """Hand a validated public form to its line; all-or-nothing."""
    # The staff who take it see it on their bell on their next page, not a minute later:
    # the case saved starts a new count of the bells over it (common.badges).
    with transaction.atomic():
        return spec.submit(cleaned, org)
