"""Deadline lights, the same colours everywhere (UI.md): green 正常, amber 临期,
red 超期, grey 已完成; cyan for a deadline paused by 中止. A party's period is
never 超期 for the organ: a party's right reads 当事人权利 (then 已届满), a
party's duty 待当事人 and, once it lapsed, 待处理 — a to-do for the organ."""

NORMAL, DUE_SOON, OVERDUE, DONE, PAUSED = "normal", "due_soon", "overdue", "done", "paused"
RIGHT, WAITING, LAPSED, TODO = "right", "waiting", "lapsed", "todo"
LIGHTS = {
    NORMAL: ("正常", "success"),
    DUE_SOON: ("临期", "warning"),
    OVERDUE: ("超期", "danger"),
    DONE: ("已完成", "secondary"),
    PAUSED: ("中止", "info"),
    RIGHT: ("当事人权利", "info"),
    WAITING: ("待当事人", "info"),
    LAPSED: ("已届满", "secondary"),
    TODO: ("待处理", "warning"),
}
