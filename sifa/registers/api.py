"""/api/v1/registers/<register>/: the list (the page's filters), registration
and correction (the page's form), one entry (the person masked) and its
hand-over into a case of another line. Another office's entry answers like a
missing one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.accounts.roles import HANDLE, has_cap
from sifa.cases import movement
from sifa.cases.forms import HandOverForm
from sifa.common.api import bind_form, labelled_errors
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.common.forms import filter_errors

from . import selectors, services
from .filters import filtered
from .forms import EntryForm
from .views import PAGE_SIZE, _cells, shown


def entry_json(reg, entry) -> dict:
    person = shown(entry)
    out = {
        "id": entry.pk,
        "number": entry.number,
        "on": entry.on.isoformat(),
        "owner_org": {"id": entry.owner_org_id, "name": entry.owner_org.name},
        "handler": getattr(entry.handler, "display_name", "") if entry.handler_id else "",
        "person_name": entry.person_name,
        "person_phone": person["phone"],
        "person_id_number": person["id_number"],
        "summary": entry.summary,
        "result": entry.result,
        "handed_to": entry.handed_to.code if entry.handed_to_id else "",
        "version": entry.version,
    }
    for (name, _h), value in zip(reg.columns, _cells(reg, entry), strict=True):
        out[name] = str(value) if value not in (None, "") else ""
    return out


class Entries(APIView):
    @extend_schema(summary="登记簿：列表（与页面相同的筛选）", operation_id="registers_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        reg = selectors.register_for(request.user, slug)
        form, qs = filtered(request.user, reg, request.query_params)
        if problems := filter_errors(form):
            raise DomainError(f"筛选条件有误：{problems}")
        page = Paginator(qs.select_related("owner_org", "handler", "handed_to"), PAGE_SIZE).get_page(request.query_params.get("page"))
        return Response({"count": page.paginator.count, "page": page.number, "results": [entry_json(reg, e) for e in page]})

    @extend_schema(
        summary="登记簿：新登记（字段同登记页面）", operation_id="registers_create", request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT}
    )
    def post(self, request, slug):
        reg = selectors.register_for(request.user, slug)
        if not selectors.may_register(request.user, reg):
            raise PermissionRefused(f"您的角色不能登记{reg.label}。")
        form = bind_form(EntryForm.for_register(reg), request, orgs=list(selectors.creatable_orgs(request.user, reg)))
        with labelled_errors(form):
            entry = services.create_entry(request.user, reg, form.values())
        return Response(entry_json(reg, entry), status=201)


class EntryDetail(APIView):
    @extend_schema(summary="登记簿：一条登记（个人信息脱敏）", operation_id="registers_retrieve", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug, pk):
        reg = selectors.register_for(request.user, slug)
        return Response(entry_json(reg, selectors.access_entry(request.user, reg, pk)))

    @extend_schema(
        summary="登记簿：修改（version：读取时的版本）", operation_id="registers_update", request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}
    )
    def patch(self, request, slug, pk):
        reg = selectors.register_for(request.user, slug)
        entry = selectors.access_entry(request.user, reg, pk)
        if not has_cap(request.user, HANDLE):
            raise PermissionRefused("您的角色只能查看。")
        form = bind_form(EntryForm.for_register(reg), request, instance=entry, orgs=[entry.owner_org])
        version = request.data.get("version") if isinstance(request.data, dict) else None
        with labelled_errors(form):
            entry = services.update_entry(request.user, reg, entry.pk, form.values(), expected_version=version)
        return Response(entry_json(reg, entry))


class EntryHandOver(APIView):
    @extend_schema(
        summary="登记簿：移交为其他业务的案件（owner_org：接收机构 id）",
        operation_id="registers_handover",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug, pk, key):
        reg = selectors.register_for(request.user, slug)
        entry = selectors.access_entry(request.user, reg, pk)
        spec = selectors.handover_spec(reg, key)
        if spec is None:
            raise Refused("没有这个移交。")
        orgs = list(movement.handover_orgs(request.user, spec).order_by("path"))
        wanted = str(request.data.get("owner_org", "")) if isinstance(request.data, dict) else ""
        if not any(str(o.pk) == wanted for o in orgs):
            raise Refused("请选择可以登记该业务案件的接收机构。", field="owner_org")
        # The receiving line's own fields (``HandOver.form``), validated as on the page.
        d = dict(bind_form(spec.form or HandOverForm, request, orgs=orgs).cleaned_data)
        target = movement.hand_over(request.user, entry, spec.key, owner_org=d.pop("owner_org"), **d)
        return Response({"code": target.code, "id": target.pk}, status=201)


api_urlpatterns = [
    path("registers/<slug:slug>/", Entries.as_view(), name="registers-list"),
    path("registers/<slug:slug>/<int:pk>/", EntryDetail.as_view(), name="registers-detail"),
    path("registers/<slug:slug>/<int:pk>/handover/<slug:key>/", EntryHandOver.as_view(), name="registers-handover"),
]
