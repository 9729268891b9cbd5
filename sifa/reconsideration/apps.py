from django.apps import AppConfig


class ReconsiderationConfig(AppConfig):
    """行政复议 (FY) and 行政应诉 (YS): both handled at bureau level by the
    county government's 行政复议机构, which sits with the justice bureau."""

    name = "sifa.reconsideration"
    label = "reconsideration"
    verbose_name = "行政复议与行政应诉"

    def ready(self):
        from sifa.cases import registry
        from sifa.cases.registry import CaseType
        from sifa.common import dictionaries, menu
        from sifa.portal import registry as portal
        from sifa.stats import registry as stats

        from . import codelists, demo, kpis, ledger, selectors
        from .choices import FY_KEY, YS_KEY, JudgmentKind, Outcome
        from .documents import FY_DOCUMENTS
        from .forms.registration import PublicApplicationForm
        from .rules import FY_RULES, YS_RULES
        from .services.public import submit_online
        from .services.registration import FY_PARTY_ROLES, YS_PARTY_ROLES
        from .workflow import fy, ys

        def uses(key):
            return lambda user: selectors.uses_line(user, key)

        def creates(key):
            return lambda user: selectors.may_register(user, key)

        registry.register(
            CaseType(
                key=FY_KEY,
                letters="FY",
                label="行政复议",
                workflow=fy.WORKFLOW,
                doc_number_template="{short}行复〔{year}〕第{seq}号",
                doc_number_scope="bureau",
                deadline_rules=FY_RULES,
                documents=FY_DOCUMENTS,
                detail_template="reconsideration/_fy_detail.html",
                detail_loader=selectors.detail,
                create_url_name="reconsideration:create",
                may_create=creates(FY_KEY),
                public_tracking=True,
                party_roles=FY_PARTY_ROLES,
                outcomes=dict(Outcome.choices),
                order=40,
            )
        )
        registry.register(
            CaseType(
                key=YS_KEY,
                letters="YS",
                label="行政应诉",
                workflow=ys.WORKFLOW,
                deadline_rules=YS_RULES,
                detail_template="reconsideration/_ys_detail.html",
                detail_loader=selectors.suit_detail,
                create_url_name="reconsideration:suit_create",
                may_create=creates(YS_KEY),
                public_tracking=False,
                party_roles=YS_PARTY_ROLES,
                outcomes=dict(JudgmentKind.choices),
                order=41,
            )
        )
        stats.register(*kpis.FY_KPIS, line_label="行政复议")
        stats.register(*kpis.YS_KPIS, line_label="行政应诉")
        stats.register_report(kpis.FY_REPORT)
        stats.register_report(kpis.YS_REPORT)
        ledger.register()
        for code_set, label in codelists.SET_LABELS.items():
            dictionaries.register_set(code_set, label)
        portal.register_form(
            portal.PublicForm(
                key="reconsideration",
                label="行政复议申请",
                case_type=FY_KEY,
                form_class=PublicApplicationForm,
                submit=submit_online,
                intro=(
                    "公民、法人或者其他组织认为行政机关的行政行为侵犯其合法权益的，可以自知道该行政行为之日起60日内申请行政复议"
                    "（《行政复议法》第二十条）。一个行政行为提交一份申请。行政复议不收取任何费用。"
                ),
                next_steps=(
                    "行政复议机构将在收到申请后5个工作日内审查并决定是否受理；材料不齐全的，将一次性书面通知补正。"
                    "请保存案件编码，凭编码和联系电话后四位查询办理进度。"
                ),
                order=10,
            )
        )
        portal.register_progress(FY_KEY, selectors.public_progress)
        registry.register_demo(demo.seed, order=40)

        group, label, order = "reconsideration", "行政复议与应诉", 40
        menu.add(group, label, menu.MenuEntry("行政复议案件", "reconsideration:list", uses(FY_KEY)), order=order)
        menu.add(group, label, menu.MenuEntry("登记复议申请", "reconsideration:create", creates(FY_KEY)), order=order)
        menu.add(group, label, menu.MenuEntry("行政应诉案件", "reconsideration:suit_list", uses(YS_KEY)), order=order)
        menu.add(group, label, menu.MenuEntry("登记应诉案件", "reconsideration:suit_create", creates(YS_KEY)), order=order)
        menu.add(group, label, menu.MenuEntry("复议应诉统计", "reconsideration:stats", lambda u: uses(FY_KEY)(u) or uses(YS_KEY)(u)), order=order)
