"""流程进度 and the step buttons (issue 18 item 1): each workflow shows where the case
stands and what comes next; the likely next steps are the primary buttons, the
others sit in one menu; a step that would be refused is not offered at all."""

from __future__ import annotations

import pytest

from sifa.kit import registry
from sifa.kit.workflow import Stage, Step, Workflow

pytestmark = pytest.mark.django_db


def _wf() -> Workflow:
    return Workflow(
        states={"new": "新", "doing": "办理中", "done": "办结", "refused": "不予受理"},
        initial="new",
        final_states=frozenset({"done", "refused"}),
        steps=[
            Step("accept", "受理", ("new",), "doing"),
            Step("refuse", "不予受理", ("new",), "refused", style="outline-danger"),
            Step("note", "记录", ("doing",), None, style="outline-primary"),
            Step("finish", "办结", ("doing",), "done", style="success"),
            Step("serve", "送达", ("done",), None, style="outline-secondary"),
        ],
        stages=(
            Stage("登记", ("new", "refused")),
            Stage("办理", ("doing",), ("accept", "note")),
            Stage("办结", ("done",), ("finish",)),
            Stage("送达", (), ("serve",)),
        ),
    )


def marks(wf, status, taken=()):
    return [m.mark for m in wf.progress(status, frozenset(taken))]


def names(steps):
    return [t.name for t in steps]


def test_progress_marks_done_current_next_and_skipped():
    wf = _wf()
    assert marks(wf, "new") == ["current", "next", "todo", "todo"]
    assert marks(wf, "doing", {"accept"}) == ["done", "current", "next", "todo"]
    # Closed with a step still to take (送达): that stage is next, nothing is skipped.
    assert marks(wf, "done", {"accept", "finish"}) == ["done", "done", "current", "next"]
    assert marks(wf, "done", {"accept", "finish", "serve"}) == ["done", "done", "done", "done"]
    # 不予受理: closed at the first stage; the rest can no longer happen.
    assert marks(wf, "refused") == ["done", "skipped", "skipped", "skipped"]


def test_the_likely_steps_lead_and_the_rest_wait_in_the_menu():
    wf = _wf()
    # Three or fewer: all shown, the likely first.
    lead, more = wf.leading(wf.available_from("new"), "new", frozenset())
    assert names(lead) == ["accept", "refuse"] and names(more) == []
    extra = [Step(f"x{i}", f"其他{i}", ("new",), None, style="outline-secondary") for i in range(3)]
    lead, more = wf.leading(wf.available_from("new") + extra, "new", frozenset())
    assert names(lead) == ["accept"] and names(more) == ["refuse", "x0", "x1", "x2"]
    allowed = wf.available_from("doing")
    lead, more = wf.leading(allowed, "doing", frozenset({"accept"}))
    assert names(lead) == ["note", "finish"] and names(more) == []
    # Taken already: the next stage's step first.
    lead, more = wf.leading(allowed, "doing", frozenset({"accept", "note"}))
    assert names(lead) == ["finish", "note"] and names(more) == []


def test_stages_name_only_known_states_and_steps():
    with pytest.raises(ValueError, match="unknown step"):
        Workflow(states={"a": "甲"}, initial="a", steps=[], stages=(Stage("x", ("a",), ("nope",)),))
    with pytest.raises(ValueError, match="unknown state"):
        Workflow(states={"a": "甲"}, initial="a", steps=[], stages=(Stage("x", ("b",)),))


@pytest.mark.parametrize("key", [ct.key for ct in registry.case_types()])
def test_every_line_has_a_progress_with_exactly_one_current_or_all_done(key):
    """Every state of every line's workflow: one stage is current (or the case has
    ended and every reached stage is done), and every offered step is either a
    primary button or in the menu, never both."""
    wf = registry.case_type(key).workflow
    for state in wf.states:
        m = marks(wf, state)
        assert m.count("current") == 1 or (state in wf.final_states and "current" not in m), (key, state, m)
        allowed = wf.available_from(state)
        lead, more = wf.leading(allowed, state, frozenset())
        assert len(lead) <= 3 and set(names(lead)).isdisjoint(names(more)) and sorted(names(lead + more)) == sorted(names(allowed)), (key, state)
