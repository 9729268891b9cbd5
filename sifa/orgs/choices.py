from django.db import models


class OrgKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", "市司法局"
    BUREAU = "bureau", "区县司法局"
    OFFICE = "office", "司法所"
    COMMITTEE = "committee", "人民调解委员会"
    STUDIO = "studio", "调解工作室"
    LEGAL_AID_CENTER = "legal_aid_center", "法律援助中心"
    OTHER = "other", "其他机构"


# Which kinds may sit under which: keeps the tree meaningful (a committee is
# never above an office, a bureau is never under one).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.CITY_BUREAU: {None},
    OrgKind.BUREAU: {None, OrgKind.CITY_BUREAU},
    OrgKind.OFFICE: {OrgKind.BUREAU},
    OrgKind.COMMITTEE: {OrgKind.OFFICE, OrgKind.BUREAU},
    OrgKind.STUDIO: {OrgKind.COMMITTEE, OrgKind.OFFICE, OrgKind.BUREAU},
    OrgKind.LEGAL_AID_CENTER: {OrgKind.BUREAU, OrgKind.CITY_BUREAU},
    OrgKind.OTHER: {OrgKind.BUREAU, OrgKind.CITY_BUREAU, OrgKind.OFFICE},
}
