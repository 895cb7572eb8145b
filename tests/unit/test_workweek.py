"""Spreading the routine over a week's real workdays (pure rules)."""

import pytest

from pmweek.domain.workweek import assign_routine


@pytest.mark.parametrize(
    ("workdays", "expected"),
    [
        ([1, 2, 3, 4, 5], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,)}),
        ([2, 3, 4, 5], {2: (1, 2), 3: (3,), 4: (4,), 5: (5,)}),  # Monday off
        ([1, 2, 3, 4], {1: (1, 2), 2: (3,), 3: (4,), 4: (5,)}),  # Friday off
        ([4, 5, 6], {4: (1, 2), 5: (3, 4), 6: (5,)}),  # holidays, then a make-up Saturday
        ([1, 2], {1: (1, 2, 3), 2: (4, 5)}),
        ([3], {3: (1, 2, 3, 4, 5)}),
        ([1, 2, 3, 4, 5, 7], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (3,), 7: (5,)}),  # make-up Sunday
        ([], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,)}),  # a week all off: nothing dropped
    ],
)
def test_every_routine_day_lands_once_in_order(workdays, expected):
    assignment = assign_routine(workdays)
    assert assignment == expected
    carried = [r for day in sorted(assignment) for r in assignment[day]]
    assert sorted(set(carried)) == [1, 2, 3, 4, 5]  # none dropped
    assert carried[0] == 1 and carried[-1] == 5  # Monday's first, Friday's last
