from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "sifa.mediation"
    label = "mediation"
    verbose_name = "人民调解"

    def ready(self):
        """Plug the line into the core: case type, workflow, clocks, documents,
        menu, KPIs and report section, ledger (台账) and list export,
        dictionaries, demo data. The core never imports this app."""
        from sifa.cases import registry
        from sifa.common import dictionaries, menu
        from sifa.ledgers import exports as ledger_exports
        from sifa.ledgers import registry as ledger_registry
        from sifa.stats import registry as kpi_registry

        from . import demo, documents, kpis, ledger, selectors
        from .choices import CASE_TYPE, DISPUTE_TYPE_SET, FIELD_SET, PartyRole
        from .choices import Outcome as O
        from .workflow import DEADLINE_RULES, WORKFLOW

        if registry.find(CASE_TYPE) is None:
            registry.register(
                registry.CaseType(
                    key=CASE_TYPE,
                    letters="TJ",
                    label="人民调解",
                    workflow=WORKFLOW,
                    doc_number_template="{short}人调字〔{year}〕第{seq}号",
                    doc_number_scope="owner",
                    deadline_rules=DEADLINE_RULES,
                    documents=documents.DOCUMENTS,
                    detail_template="mediation/_case_detail.html",
                    detail_loader=selectors.detail,
                    create_url_name="mediation:create",
                    party_roles=dict(PartyRole.choices),
                    outcomes=dict(O.choices),
                    order=10,
                )
            )
        kpi_registry.register(*kpis.KPIS, line_label="人民调解")
        kpi_registry.register_report(kpis.REPORT)
        if ledger_registry.find(CASE_TYPE) is None:
            ledger_registry.register(ledger.LEDGER)
        ledger_exports.register_source(ledger.LIST_SOURCE)
        dictionaries.register_set(DISPUTE_TYPE_SET, "纠纷类型（人民调解）")
        dictionaries.register_set(FIELD_SET, "行业性专业性调解领域")
        registry.register_demo(demo.seed, order=10)

        group, label, order = "mediation", "人民调解", 20
        uses, registers = selectors.uses_line, selectors.may_register
        for entry in (
            menu.MenuEntry("我的调解", "mediation:home", uses),
            menu.MenuEntry("登记纠纷", "mediation:quick", registers),
            menu.MenuEntry("纠纷列表", "mediation:list", uses),
            menu.MenuEntry("防止民转刑", "mediation:risks", uses),
            menu.MenuEntry("调解组织", "mediation:committees", uses),
            menu.MenuEntry("人民调解员", "mediation:mediators", uses),
        ):
            menu.add(group, label, entry, order=order)
