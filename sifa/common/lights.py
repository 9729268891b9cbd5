"""Deadline lights, the same colours everywhere (UI.md): green 正常, amber 临期,
red 超期, grey 已完成; cyan for a deadline paused by 中止."""

NORMAL, DUE_SOON, OVERDUE, DONE, PAUSED = "normal", "due_soon", "overdue", "done", "paused"
LIGHTS = {
    NORMAL: ("正常", "success"),
    DUE_SOON: ("临期", "warning"),
    OVERDUE: ("超期", "danger"),
    DONE: ("已完成", "secondary"),
    PAUSED: ("中止", "info"),
}
