"""The filter bars of the two case lists: each list page, its "导出本列表" and
the API list filter with them (``cases.lines``)."""

from __future__ import annotations

from sifa.cases.lines import CaseFilter
from sifa.common.forms import dictionary_field

from ..choices import FY_CATEGORY, RESPONDENT_AGENCY


class FyFilter(CaseFilter):
    date_word = "收到申请"
    category = dictionary_field(FY_CATEGORY, "事项类别", required=False)
    respondent_agency = dictionary_field(RESPONDENT_AGENCY, "被申请人", required=False)

    field_order = ["q", "status", "category", "respondent_agency", "date_from", "date_to"]
    lookups = {"category": "application__category", "respondent_agency": "application__respondent_agency"}


class YsFilter(CaseFilter):
    date_word = "收到起诉状"
    defendant_agency = dictionary_field(RESPONDENT_AGENCY, "被告", required=False)

    lookups = {"defendant_agency": "suit__defendant_agency"}
