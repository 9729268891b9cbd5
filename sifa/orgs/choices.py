"""Organisation kinds. The kernel's are declared here; a line declares its own
(调解委员会, 法律援助中心 …) in its ``Line``. ``Org.kind`` stores the code."""

from sifa.kit import registry
from sifa.kit.roles import OrgKindSpec


class OrgKind:
    """The kernel's kind codes."""

    CITY_BUREAU = "city_bureau"
    BUREAU = "bureau"
    OFFICE = "office"
    OTHER = "other"


# Which kinds may sit under which: keeps the tree meaningful (a bureau is never
# under an office).
for _spec in (
    OrgKindSpec(OrgKind.CITY_BUREAU, "市司法局", frozenset({None}), order=10),
    OrgKindSpec(OrgKind.BUREAU, "区县司法局", frozenset({None, OrgKind.CITY_BUREAU}), order=20),
    OrgKindSpec(OrgKind.OFFICE, "司法所", frozenset({OrgKind.BUREAU}), order=30),
    OrgKindSpec(OrgKind.OTHER, "其他机构", frozenset({OrgKind.BUREAU, OrgKind.CITY_BUREAU, OrgKind.OFFICE}), order=900),
):
    registry.add_org_kind(_spec)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in registry.org_kinds()]


def kind_label(code: str) -> str:
    spec = registry.org_kind(code)
    return spec.label if spec else code


def allowed_parents(code: str) -> frozenset:
    spec = registry.org_kind(code)
    return spec.parents if spec else frozenset()
