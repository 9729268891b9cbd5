from __future__ import annotations

from types import SimpleNamespace

import factory

from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org
from sifa.orgs.services import create_org


class OrgFactory(factory.Factory):
    class Meta:
        model = Org

    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    kind = OrgKind.BUREAU
    region_code = "359901"
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return create_org(actor=None, **kwargs)


def build_tree() -> SimpleNamespace:
    """city → bureau → offices A, B, C → one committee each; legal-aid centre; the
    neighbouring bureau with an office and a centre."""
    city = OrgFactory(name="测试市司法局", short_name="测市司", kind=OrgKind.CITY_BUREAU, region_code="359900")
    bureau = OrgFactory(name="测试区司法局", short_name="测司", kind=OrgKind.BUREAU, region_code="359901", parent=city)
    offices, committees = [], []
    for label in "ABC":
        office = OrgFactory(name=f"{label}司法所", short_name=f"{label}所", kind=OrgKind.OFFICE, parent=bureau)
        offices.append(office)
        committees.append(OrgFactory(name=f"{label}调委会", short_name=f"{label}调", kind="committee", parent=office))
    legal_aid = OrgFactory(name="测试法律援助中心", short_name="测援", kind="legal_aid_center", parent=bureau)
    other_bureau = OrgFactory(name="邻区司法局", short_name="邻司", kind=OrgKind.BUREAU, region_code="359902", parent=city)
    other_office = OrgFactory(name="邻区司法所", short_name="邻所", kind=OrgKind.OFFICE, parent=other_bureau)
    # The neighbouring district's centre: its legal-aid cases are another bureau's.
    other_legal_aid = OrgFactory(name="邻区法律援助中心", short_name="邻援", kind="legal_aid_center", parent=other_bureau)
    return SimpleNamespace(
        city=city,
        bureau=bureau,
        office_a=offices[0],
        office_b=offices[1],
        office_c=offices[2],
        committee_a=committees[0],
        committee_b=committees[1],
        committee_c=committees[2],
        legal_aid=legal_aid,
        other_bureau=other_bureau,
        other_office=other_office,
        other_legal_aid=other_legal_aid,
    )
