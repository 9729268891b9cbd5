"""Every menu entry carries an icon (issue 18 item 9): its own, or one derived from its
address name by the ordered table in sifa/kit/menu.py."""

from __future__ import annotations

import pytest

from sifa.kit import menu
from sifa.kit.menu import FALLBACK_ICON, MenuEntry, icon_for


@pytest.mark.parametrize(
    ("url_name", "icon"),
    [
        ("cases:home", "house"),
        ("cases:list", "search"),
        ("cases:intake", "inbox"),
        ("mediation:home", "house-door"),
        ("mediation:list", "list-ul"),
        ("reconsideration:suit_list", "list-ul"),
        ("legal_aid:create", "plus-square"),
        ("correction:inquiry_create", "plus-square"),
        ("mediation:quick", "plus-square"),
        ("hotline:todo", "check2-square"),
        ("hotline:knowledge", "book"),
        ("hotline:quality", "clipboard-check"),
        ("legal_aid:quality", "clipboard-check"),
        ("hotline:replies", "reply"),
        ("registers:list", "journal-text"),
        ("ledgers:import_start", "upload"),
        ("ledgers:jobs", "arrow-left-right"),
        ("audit:list", "shield-check"),
        ("orgs:tree", "diagram-3"),
        ("common:dictionary_sets", "card-list"),
        ("accounts:user_list", "people"),
        ("filings:mine", "pencil-square"),
        ("filings:indicators", "pencil-square"),
        ("stats:dashboard", "speedometer2"),
        ("stats:line", "bar-chart"),
        ("stats:table", "bar-chart"),
        ("resettlement:return", "bar-chart"),
        ("somewhere:else", FALLBACK_ICON),
    ],
)
def test_the_default_icon_follows_the_address_name(url_name, icon):
    assert icon_for(MenuEntry("项", url_name)) == icon


def test_an_entry_s_own_icon_wins():
    assert icon_for(MenuEntry("案件查询", "cases:list", icon="folder")) == "folder"


def test_the_specific_patterns_come_before_the_general_ones():
    # "cases:list" is 案件查询 (search), not just any list; "stats:dashboard" is not any statistics page.
    patterns = [p for p, _ in menu.DEFAULT_ICONS]
    assert patterns.index("cases:list") < patterns.index("*list")
    assert patterns.index("stats:dashboard") < patterns.index("stats:*")


def test_every_registered_entry_gets_a_real_icon():
    # Every app and line has added its entries by now (AppConfig.ready()).
    entries = [e for g in menu._groups.values() for e in g.entries]
    assert entries and not [e.url_name for e in entries if icon_for(e) == FALLBACK_ICON]


def test_the_menu_hands_the_icon_to_the_frame(db, users):
    items = [i for g in menu.for_user(users.sysadmin) for i in g["items"]]
    assert items and all(i["icon"] for i in items)
