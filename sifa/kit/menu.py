"""The left menu. Kernel apps add their entries from ``AppConfig.ready()``;
a line names its entries in its ``Line`` and gets a group of its own. The frame
shows only the entries the user's role may use (UI.md "Frame").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


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


def add(group_key: str, group_label: str, entry: MenuEntry, order: int = 100) -> None:
    group = _groups.setdefault(group_key, MenuGroup(group_key, group_label, order))
    if all((e.url_name, e.args) != (entry.url_name, entry.args) for e in group.entries):
        group.entries.append(entry)


def for_user(user, current_path: str = "") -> list[dict]:
    """Menu groups with the entries this user may use, as plain dicts for templates."""
    out = []
    for group in sorted(_groups.values(), key=lambda g: (g.order, g.key)):
        items = []
        for entry in group.entries:
            try:
                if not entry.visible(user):
                    continue
                url = reverse(entry.url_name, args=entry.args)
            except NoReverseMatch:
                continue
            badge = entry.badge(user) if entry.badge else 0
            # "/" (首页) holds every path: it is where the user is only on the home page itself.
            here = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "active": here, "badge": badge})
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
