"""What every line's Word documents say about a case the same way: the parties
(one sentence per party, full personal data only for roles that may reveal it;
a read-only copy carries the masked form), names, and document numbers
derived from the case's 文号."""

from __future__ import annotations

from sifa.accounts.roles import REVEAL, has_cap
from sifa.kit import registry

from .parties import masked
from .services import doc_number_parts


def party_values(p, user) -> dict:
    """ID number, phone and address: in full for roles that may reveal them, else masked."""
    if has_cap(user, REVEAL):
        return {"id_number": p.id_number, "phone": p.phone, "address": p.address}
    return masked(p)


def party_sentence(p, user=None, *, contact: bool = True) -> str:
    """张三，男，1949年12月31日出生，住……，证件号码……，联系电话……; a legal person
    with its 住所地 and 法定代表人. ``contact=False`` leaves out the address, ID
    number and phone (a decision names the parties, it does not publish them)."""
    v = party_values(p, user) if contact else {}
    bits = [p.name]
    if p.kind == "natural":
        if p.gender:
            bits.append(p.get_gender_display())
        if p.birth_date:
            bits.append(f"{p.birth_date.year}年{p.birth_date.month}月{p.birth_date.day}日出生")
        if p.ethnicity:
            bits.append(p.ethnicity)
        if v.get("address"):
            bits.append(f"住{v['address']}")
    else:
        if v.get("address"):
            bits.append(f"住所地{v['address']}")
        if p.legal_rep:
            bits.append(f"法定代表人（负责人）{p.legal_rep}")
    if v.get("id_number"):
        bits.append(f"证件号码{v['id_number']}")
    if v.get("phone"):
        bits.append(f"联系电话{v['phone']}")
    return "，".join(bits)


def party_rows(case, roles: dict[str, str], user=None, *, contact: bool = True) -> list[tuple[str, str]]:
    """(role label, sentence) for the parties of ``roles``, in that order."""
    parties = list(case.parties.all())
    return [(label, party_sentence(p, user, contact=contact)) for role, label in roles.items() for p in parties if p.role == role]


def names(parties, blank: str = "　　") -> str:
    return "、".join(p.name for p in parties) or blank


def of_role(case, *roles: str) -> list:
    return [p for p in case.parties.all() if p.role in roles]


def doc_number_variant(case, word: str) -> str:
    """A document's own number from the case's 文号, the word before the year:
    演司行复〔2026〕第3号 → 演司行复受字〔2026〕第3号."""
    parts = doc_number_parts(case)
    if parts is None:
        return case.doc_number or ""
    ct = registry.case_type(case.case_type)
    org = case.bureau if ct.doc_number_scope == "bureau" else case.owner_org
    return ct.doc_number_template.replace("〔", f"{word}〔", 1).format(short=org.short_name, year=parts[0], seq=parts[1])
