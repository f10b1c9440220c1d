"""Sorting the ranked list: best fit, distance, soonest opening; ties broken the same way."""

from dataclasses import replace
from datetime import timedelta

import pytest

from matching.ranking import rank
from matching.sorting import BEST_FIT, DISTANCE, SOONEST
from tests.matching.match_directory import NOW
from tests.matching.test_ranking import cand, needs, order, place

TODAY = NOW.date()


def test_best_fit_is_the_default_and_orders_by_score():
    near_slow = cand(1, miles=1.0, wait_days=60)
    far_soon = cand(2, miles=20.0, wait_days=0)
    mid = cand(3, miles=8.0, wait_days=10)

    found = rank(needs(), [near_slow, far_soon, mid], {}, NOW)

    assert needs().sort == BEST_FIT
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert order(rank(needs(sort=BEST_FIT), [mid, far_soon, near_slow], {}, NOW)) == order(found)


def test_distance_orders_nearest_first_with_telehealth_last():
    video = cand(
        4,
        visit="telehealth",
        place=None,
        distance_miles=None,
        modalities=frozenset({"video"}),
        license_states=frozenset({"MA"}),
    )
    pool = [cand(1, miles=12.5), cand(2, miles=0.4), cand(3, miles=3.0), video]

    found = rank(needs(sort=DISTANCE, modality="either"), pool, {}, NOW)

    assert order(found) == [2, 3, 1, 4]
    assert [m.distance_miles for m in found] == [0.4, 3.0, 12.5, None]


def test_distance_shows_each_clinicians_nearest_place_even_when_another_scores_more():
    near = place(7, accessibility=frozenset())
    far = place(8, accessibility=frozenset({"wheelchair"}))
    wanted = needs(sort=DISTANCE, accessibility=("wheelchair",), required=frozenset())
    pool = [cand(1, miles=9.0, place=far), cand(1, miles=2.0, place=near)]

    by_fit = rank(wanted.replace(sort=BEST_FIT), pool, {}, NOW)
    by_distance = rank(wanted, pool, {}, NOW)

    assert by_fit[0].place.id == 8
    assert by_distance[0].place.id == 7
    assert by_distance[0].distance_miles == 2.0


def test_equal_distances_fall_back_to_score_then_npi():
    slow = cand(1, miles=5.0, wait_days=90)
    quick = cand(2, miles=5.0, wait_days=0)
    twin_a = cand(3, miles=5.0, wait_days=90)

    found = rank(needs(sort=DISTANCE), [twin_a, slow, quick], {}, NOW)

    assert order(found) == [2, 1, 3]
    assert found[1].score == found[2].score


def test_soonest_counts_the_next_opening_date_before_the_stated_wait_and_unknown_last():
    tomorrow = cand(1, wait_days=30, next_available_on=TODAY + timedelta(days=1))
    today = cand(2, wait_days=None, next_available_on=TODAY)
    week = cand(3, wait_days=7)
    unknown = cand(4, wait_days=None)
    past_date = cand(5, wait_days=None, next_available_on=TODAY - timedelta(days=3))

    found = rank(needs(sort=SOONEST), [unknown, week, tomorrow, today, past_date], {}, NOW)

    assert order(found) == [2, 5, 1, 3, 4]
    assert [m.candidate.days_to_next_opening(TODAY) for m in found] == [0, 0, 1, 7, None]


@pytest.mark.parametrize("sort", [BEST_FIT, DISTANCE, SOONEST])
def test_every_sort_is_the_same_whatever_order_candidates_arrive_in(sort):
    pool = [
        cand(i, miles=float(i % 3), wait_days=i % 2, place=place(i % 4 + 1)) for i in range(1, 13)
    ]
    pool += [replace(c, place=place(9), distance_miles=c.distance_miles + 1.0) for c in pool[:4]]

    forward = rank(needs(sort=sort), pool, {}, NOW)
    backward = rank(needs(sort=sort), list(reversed(pool)), {}, NOW)

    assert [(m.candidate.npi, m.place.id) for m in forward] == [
        (m.candidate.npi, m.place.id) for m in backward
    ]
    assert len(forward) == 12


@pytest.mark.parametrize("sort", [BEST_FIT, DISTANCE, SOONEST])
def test_a_sort_never_changes_who_is_listed(sort):
    pool = [cand(i, miles=float(i), wait_days=20 - i) for i in range(1, 9)]
    pool.append(cand(9, miles=30.0))  # beyond the 25-mile search

    found = rank(needs(sort=sort), pool, {}, NOW)

    assert sorted(order(found)) == [1, 2, 3, 4, 5, 6, 7, 8]
