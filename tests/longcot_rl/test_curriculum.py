"""seedkit.longcot_rl.curriculum: solved problems leave the pool; the length schedule's rounds."""

from __future__ import annotations

from seedkit.longcot_rl.curriculum import SolveTracker, filter_pool, plan_rounds


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
