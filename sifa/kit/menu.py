"""The left menu. Kernel apps add their entries from ``AppConfig.ready()``;
a line names its entries in its ``Line`` and gets a group of its own. The frame
shows only the entries the user's role may use (UI.md "Frame").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    visible: Callable[[object], bool] = lambda user: True
    icon: str = ""
    args: tuple = ()
    # (user) -> a number shown beside the entry (0: none), e.g. the intake list's count
    badge: Callable[[object], int] | None = None


@dataclass
class MenuGroup:
    key: str
    label: str
    order: int = 100
    entries: list[MenuEntry] = field(default_factory=list)


_groups: dict[str, MenuGroup] = {}

# An entry that names no icon gets one from its address name, so every line of the menu
# carries an icon without each app or line having to choose one (issue 18 item 9). The
# table is read top to bottom and the first pattern that matches wins: the exact pages
# first, then the kinds of page (a list, a "register new" form) every line has.
# Icons are Bootstrap Icons names (rendered as <i class="bi bi-NAME">).
DEFAULT_ICONS: tuple[tuple[str, str], ...] = (
    ("cases:home", "house"),
    ("cases:list", "search"),
    ("cases:intake", "inbox"),
    ("deadlines:list", "alarm"),
    ("deadlines:calculator", "calculator"),
    ("deadlines:holidays", "calendar-event"),
    ("deadlines:settings", "sliders"),
    ("registers:list", "journal-text"),
    ("ledgers:import*", "upload"),
    ("ledgers:jobs", "arrow-left-right"),
    ("audit:*", "shield-check"),
    ("orgs:*", "diagram-3"),
    ("common:dictionar*", "card-list"),
    ("accounts:user*", "people"),
    ("accounts:role*", "person-lock"),
    ("filings:*", "pencil-square"),
    ("stats:dashboard", "speedometer2"),
    ("stats:definitions", "sliders"),
    ("stats:report*", "file-earmark-text"),
    ("*:home", "house-door"),
    ("*:todo", "check2-square"),
    ("*knowledge*", "book"),
    ("*quality*", "clipboard-check"),
    ("*replies*", "reply"),
    ("*:risks", "exclamation-triangle"),
    ("*:warnings", "exclamation-triangle"),
    ("*:quick", "plus-square"),
    ("*create", "plus-square"),
    ("stats:*", "bar-chart"),
    ("*:return", "bar-chart"),
    ("*figures*", "bar-chart"),
    ("*:providers", "person-badge"),
    ("*:mediators", "person-badge"),
    ("*:committees", "building"),
    ("*:subsidies", "cash-coin"),
    ("*:roster", "calendar-week"),
    ("*:inquiries", "clipboard-data"),
    ("*:unlinked", "link-45deg"),
    ("*list", "list-ul"),
)
FALLBACK_ICON = "dot"


def icon_for(entry: MenuEntry) -> str:
    """The entry's own icon, else the first default whose pattern its address name matches."""
    if entry.icon:
        return entry.icon
    return next((icon for pattern, icon in DEFAULT_ICONS if fnmatchcase(entry.url_name, pattern)), FALLBACK_ICON)


def add(group_key: str, group_label: str, entry: MenuEntry, order: int = 100) -> None:
    group = _groups.setdefault(group_key, MenuGroup(group_key, group_label, order))
    if all((e.url_name, e.args) != (entry.url_name, entry.args) for e in group.entries):
        # The icon chosen once, here, not matched against the table on every page.
        group.entries.append(replace(entry, icon=icon_for(entry)))


# Each entry's address, reversed once per URL configuration and script prefix rather than
# on every page: the menu's ~50 reverse() calls were a tenth of a list page (issue 19).
_urls: dict[tuple, str | None] = {}


def _url(entry: MenuEntry) -> str | None:
    key = (entry.url_name, entry.args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _urls:
        try:
            _urls[key] = reverse(entry.url_name, args=entry.args)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


def for_user(user, current_path: str = "") -> list[dict]:
    """Menu groups with the entries this user may use, as plain dicts for templates."""
    out = []
    for group in sorted(_groups.values(), key=lambda g: (g.order, g.key)):
        items = []
        for entry in group.entries:
            url = _url(entry)
            if url is None or not entry.visible(user):
                continue
            badge = entry.badge(user) if entry.badge else 0
            # "/" (首页) holds every path: it is where the user is only on the home page itself.
            here = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "active": here, "badge": badge, "icon": entry.icon})
        if items:
            out.append({"key": group.key, "label": group.label, "items": items})
    # One entry is where the user is: the longest that holds the path (登记 at /hotline/new/, not
    # also the list at /hotline/ above it).
    best = max((len(i["url"]) for g in out for i in g["items"] if i["active"]), default=0)
    chosen = False
    for g in out:
        for i in g["items"]:
            # The same address under two groups (a line's figures beside 统计分析) lights once: the first.
            i["active"] = i["active"] and len(i["url"]) == best and not chosen
            chosen = chosen or i["active"]
    return out
