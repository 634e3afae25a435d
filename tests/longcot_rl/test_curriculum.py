"""seedkit.longcot_rl.curriculum: solved problems leave the pool; the length schedule's rounds."""

from __future__ import annotations

from seedkit.longcot_rl.curriculum import (
    SolveTracker,
    filter_pool,
    groups_with_signal,
    plan_rounds,
    probe_pool,
)


def test_curriculum_drops_problems_solved_above_the_rate():
    pool = [{"task_id": t} for t in ("easy", "mid", "hard", "new")]
    tr = SolveTracker(window_groups=2, group_size=4)
    tr.record("easy", [True] * 4)
    tr.record("easy", [True] * 3 + [False])  # 7/8 = 87.5%: not above the rate
    tr.record("mid", [True, False, True, False])
    tr.record("hard", [False] * 4)
    d = filter_pool(pool, tr, drop_above=0.875)
    assert [p["task_id"] for p in d.kept] == ["easy", "mid", "hard", "new"] and d.dropped == []
    tr.record("easy", [True] * 4)  # the window now holds the last 8: 7 then 8 of 8 solved -> 8/8 after one more group
    tr.record("easy", [True] * 4)
    d = filter_pool(pool, tr, drop_above=0.875)
    assert [p["task_id"] for p in d.kept] == ["mid", "hard", "new"]
    assert d.dropped == [("easy", 1.0)]
    assert "pool 4 -> 3" in d.reason


def test_curriculum_needs_a_full_group_and_keeps_a_minimum_pool():
    tr = SolveTracker(window_groups=1, group_size=4)
    tr.record("a", [True, True])  # only half a group seen
    tr.record("b", [True] * 4)
    tr.record("c", [True, True, True, False])
    pool = [{"task_id": t} for t in ("a", "b", "c")]
    d = filter_pool(pool, tr, drop_above=0.5, min_pool=2)
    assert [p["task_id"] for p in d.kept] == ["a", "c"]  # c (0.75) comes back: a step needs 2 problems
    assert d.dropped == [("b", 1.0)]
    assert "kept 1 solved" in d.reason


def test_length_schedule_rounds():
    rounds = plan_rounds([96, 128], [5, 3], interval=2)
    assert [(r.phase, r.steps, r.max_completion_length, r.first_step) for r in rounds] == [
        (0, 2, 96, 0), (0, 2, 96, 2), (0, 1, 96, 4), (1, 2, 128, 5), (1, 1, 128, 7)]


def _answers(task_id, *fractions):
    return [{"task_id": task_id, "tests_passed": round(f * 4), "tests_total": 4} for f in fractions]


def test_probe_keeps_problems_whose_answers_earned_different_rewards_in_candidate_order():
    cands = [{"task_id": t} for t in ("never", "some", "always", "partial", "flat", "later", "unseen")]
    rows = (_answers("never", 0, 0, 0) + _answers("some", 0, 1, 0) + _answers("always", 1, 1, 1)
            + _answers("partial", 0.25, 0.5, 0.25) + _answers("flat", 0.5, 0.5, 0.5) + _answers("later", 1, 0.75, 1))
    d = probe_pool(cands, rows, want=0, min_pool=1)
    assert [p["task_id"] for p in d.kept] == ["some", "partial", "later"]  # partial credit differs too
    assert dict(d.dropped) == {"never": 0.0, "always": 1.0, "flat": 0.0, "unseen": 0.0}
    assert "3 earned different execution rewards" in d.reason and "1 passed every time" in d.reason
    assert "3 earned the same reward below a pass" in d.reason and "RL pool 3" in d.reason
    d = probe_pool(cands, rows, want=2, min_pool=1)  # at most max_problems, the first in order
    assert [p["task_id"] for p in d.kept] == ["some", "partial"]


def test_probe_fills_the_pool_a_step_needs_and_says_so():
    cands = [{"task_id": t} for t in ("a", "b", "c", "d")]
    rows = _answers("a", 1, 1) + _answers("b", 0, 0) + _answers("c", 0, 1) + _answers("d", 0, 0)
    d = probe_pool(cands, rows, want=8, min_pool=3)
    assert [p["task_id"] for p in d.kept] == ["c", "b", "d"]  # never the always-solved one: it would be dropped
    assert "2 of them without differing rewards, taken in order: a step needs 3" in d.reason
    assert d.dropped == [("a", 1.0)]


def test_groups_with_signal_counts_problem_groups_per_step():
    def r(step, task, value):
        return {"step": step, "task_id": task, "rewards": {"execution_reward": value, "format_reward": 1.0}}

    rollouts = [r(0, "a", 0.0), r(0, "a", 0.0), r(0, "b", 0.0), r(0, "b", 0.5),
                r(1, "a", 1.0), r(1, "a", 0.0), {"step": 1, "task_id": "c", "rewards": {}}]
    assert groups_with_signal(rollouts) == (2, 3)  # a@0 flat, b@0 differs, a@1 differs; c has no execution reward
    assert groups_with_signal(rollouts, key="format_reward") == (0, 3)
