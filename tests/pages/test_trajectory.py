"""The trajectory chart: points placed by date and score, band edges drawn, nothing without data."""

from datetime import date

from pages.trajectory import Point, trajectory


def test_points_span_the_plot_and_each_band_edge_is_a_labelled_line(app):
    with app.test_request_context():
        chart = trajectory(
            "phq9", [Point(date(2026, 9, 1), 27, "severe"), Point(date(2026, 10, 1), 0, None)]
        )

    svg = str(chart.svg)
    # x from 40 to 390 (540 - 150); y from 172 (score 0) to 12 (score 27).
    assert '<polyline points="40.0,12.0 390.0,172.0"' in svg
    for edge in ("mild (5+)", "moderate (10+)", "moderately severe (15+)", "severe (20+)"):
        assert edge in svg
    assert "none-minimal" not in svg  # the lowest band has no lower edge to draw
    assert 'role="img"' in svg and 'aria-label="PHQ-9 quick depression' in svg
    assert [p.score for p in chart.points] == [27, 0]


def test_one_point_sits_in_the_middle_and_no_points_draw_nothing(app):
    with app.test_request_context():
        single = trajectory("gad7", [Point(date(2026, 9, 1), 21, "severe")])
        empty = trajectory("gad7", [])

    assert '<circle cx="215.0" cy="12.0"' in str(single.svg)
    assert empty is None
