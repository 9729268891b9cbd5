from __future__ import annotations

from datetime import date

from sifa.cases import services

from .testline import KEY


def make_case(actor, org, *, title="测试案件", parties=None, opened_on: date | None = None, case_type=KEY, **kw):
    parties = parties if parties is not None else [{"name": "张三", "role": "applicant", "id_number": "11010519491231002X", "phone": "13812345678"}]
    return services.create_case(actor, case_type=case_type, owner_org=org, title=title, parties=parties, opened_on=opened_on, **kw)
