"""RICE arithmetic, its scales, the pool's order, how a ranking moved, and risk scores."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmweek.domain.rice import Ranked, movements, rank_key, rice
from pmweek.domain.sheets import SHEETS, parse_record
from pmweek.errors import InputError

REQUESTS = SHEETS["requests"]
TODAY = date(2026, 11, 26)


def _request(**typed):
    return parse_record(REQUESTS, {"title": "x", **typed})


def test_the_example_scores_800_and_1200_with_its_weight():
    values = _request(reach="2000", impact="2", confidence="80%", effort="4")
    assert rice(values) == (800, 800)
    assert rice({**values, "weight": 1.5}) == (800, 1200)
    computed = REQUESTS.compute_values({**values, "weight": 1.5}, TODAY)
    assert (computed["rice_score"], computed["weighted_score"]) == (800, 1200)


@pytest.mark.parametrize("missing", ["reach", "impact", "confidence", "effort"])
def test_a_request_missing_a_figure_is_unscored(missing):
    typed = {"reach": "2000", "impact": "2", "confidence": "80", "effort": "4"}
    del typed[missing]
    assert rice(_request(**typed)) == (None, None)


@pytest.mark.parametrize(("typed", "stored"), [("massive", 3), ("3", 3), ("Low", 0.5), ("0.25", 0.25), ("minimal", 0.25)])
def test_impact_comes_from_its_scale(typed, stored):
    assert _request(impact=typed)["impact"] == stored


@pytest.mark.parametrize(("typed", "stored"), [("100", 1.0), ("80%", 0.8), ("0.5", 0.5), ("50 %", 0.5), ("1", 1.0),
                                             ("８０％", 0.8)])  # as a Chinese input method types it
def test_confidence_comes_from_its_scale(typed, stored):
    assert _request(confidence=typed)["confidence"] == stored


@pytest.mark.parametrize(("field", "typed"), [("impact", "1.5"), ("impact", "huge"), ("impact", "4"),
                                              ("confidence", "90%"), ("confidence", "0.7"), ("confidence", "high"),
                                              ("effort", "0"), ("effort", "-2"), ("effort", "lots")])
def test_values_off_the_scale_are_refused_naming_the_field(field, typed):
    with pytest.raises(InputError) as err:
        _request(**{field: typed})
    assert err.value.params["field"] == f"field.{field}"
    assert "\n" not in err.value.message()


def test_effort_zero_says_it_must_be_more_than_zero():
    with pytest.raises(InputError) as err:
        _request(effort="0")
    assert err.value.message() == "Effort (person-months): '0' must be more than 0"


pool = st.lists(st.tuples(st.sampled_from(["A", "a", "b", "B ", "c"]),
                          st.one_of(st.none(), st.sampled_from([0.0, 1.5, 800.0, 1200.0]))), max_size=12)


@given(pool, st.randoms())
def test_the_ranking_is_a_total_order_stable_under_ties_by_title(items, rnd):
    keyed = [(title, weighted, i) for i, (title, weighted) in enumerate(items)]
    ranked = sorted(keyed, key=lambda r: rank_key(*r))
    shuffled = keyed[:]
    rnd.shuffle(shuffled)
    assert sorted(shuffled, key=lambda r: rank_key(*r)) == ranked  # whatever order they came in
    scored = [w for _, w, _ in ranked if w is not None]
    assert scored == sorted(scored, reverse=True)  # highest first
    assert all(w is None for _, w, _ in ranked[len(scored):])  # the unscored after every scored one
    for (t1, w1, i1), (t2, w2, i2) in zip(ranked, ranked[1:]):
        if w1 == w2:  # a tie: by title (case and spacing aside), then by id
            assert (" ".join(t1.casefold().split()), i1) < (" ".join(t2.casefold().split()), i2)


def test_movement_since_a_snapshot_names_the_input_that_moved_it():
    inputs = (800, 2.0, 0.8, 4.0, None)  # reach, impact, confidence, effort, weight
    before = [Ranked(1, "CDC", 1, inputs, 320), Ranked(2, "Vector", 2, inputs, 320), Ranked(3, "Old", 3, inputs, 1)]
    now = [Ranked(2, "Vector", 1, (2000, *inputs[1:]), 800), Ranked(1, "CDC", 2, inputs, 320),
           Ranked(4, "New ask", 3, inputs, 10)]
    moved = {m.id: m for m in movements(before, now)}
    assert (moved[2].state, moved[2].by, moved[2].moved) == ("up", 1, (("reach", 800, 2000),))
    assert (moved[1].state, moved[1].by, moved[1].moved) == ("down", 1, ())
    assert moved[4].state == "new" and moved[3].state == "gone"


@pytest.mark.parametrize(("likelihood", "severity", "score"), [("1", "1", 1), ("3", "4", 12), ("5", "5", 25)])
def test_a_risk_scores_likelihood_times_impact(likelihood, severity, score):
    values = parse_record(SHEETS["risks"], {"risk": "x", "likelihood": likelihood, "severity": severity})
    assert SHEETS["risks"].compute_values(values, TODAY)["risk_score"] == score


@pytest.mark.parametrize("typed", ["0", "6", "2.5", "high"])
def test_a_risk_level_is_one_to_five(typed):
    with pytest.raises(InputError):
        parse_record(SHEETS["risks"], {"risk": "x", "likelihood": typed, "severity": "3"})
