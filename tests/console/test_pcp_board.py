"""The PCP referrals board: appointment column, GET filters, clinician choices, print button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from audit.models import AuditEvent
from directory.models.verification import utcnow
from referrals.models import Referral
from tests.console.conftest import referral_form
from web.i18n import LOCALE_COOKIE


def _send(pcp, clinician) -> int:
    response = pcp.post("/pcp/referrals", data=referral_form(clinician))
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _board(db, world, sent_referral):
    """Ana's referral scheduled for 2026-03-04 15:30 UTC, Ben's sent 21 days ago (overdue)."""
    pcp = sent_referral.pcp
    ben_id = _send(pcp, world.ben)
    ana = db.session.get(Referral, sent_referral.id)
    ana.status, ana.appointment_at = "scheduled", datetime(2026, 3, 4, 15, 30, tzinfo=UTC)
    db.session.get(Referral, ben_id).sent_at = utcnow() - timedelta(days=21)
    db.session.commit()
    return pcp, ana.id, ben_id


def _rows(html: str) -> list[str]:
    links = [part.split('"', 1)[0] for part in html.split('href="/pcp/referrals/')[1:]]
    return [link for link in links if link.isdigit()]


def test_the_board_shows_the_appointment_date_when_scheduled(db, world, sent_referral):
    pcp, ana_id, ben_id = _board(db, world, sent_referral)
    html = pcp.get("/pcp/referrals").get_data(as_text=True)
    assert '<th scope="col">Appointment</th>' in html
    assert html.count("Not scheduled") == 1
    assert "<td>2026-03-04 10:30 EST</td>" in html
    # Grouped in the status table's order: sent before scheduled.
    assert _rows(html) == [str(ben_id), str(ana_id)]


def test_the_board_filters_by_status(db, world, sent_referral):
    pcp, ana_id, _ben_id = _board(db, world, sent_referral)
    html = pcp.get("/pcp/referrals?status=scheduled").get_data(as_text=True)
    assert _rows(html) == [str(ana_id)]
    assert '<option value="scheduled" selected>' in html


def test_the_board_filters_overdue_only(db, world, sent_referral):
    pcp, _ana_id, ben_id = _board(db, world, sent_referral)
    html = pcp.get("/pcp/referrals?overdue=1").get_data(as_text=True)
    assert _rows(html) == [str(ben_id)]
    assert "1 referral is overdue." in html
    assert 'name="overdue" value="1" checked' in html


def test_the_board_filters_by_receiving_clinician(db, world, sent_referral):
    pcp, ana_id, ben_id = _board(db, world, sent_referral)
    html = pcp.get(f"/pcp/referrals?clinician={world.ben.id}").get_data(as_text=True)
    assert _rows(html) == [str(ben_id)]
    assert f'<option value="{world.ben.id}" selected>' in html
    # The choice lists both receiving clinicians still, by last name; Dev received nothing.
    assert f'<option value="{world.ana.id}">' in html
    assert html.index(f'value="{world.ben.id}"') < html.index(f'value="{world.ana.id}"')
    assert f'value="{world.dev.id}"' not in html


def test_empty_choices_mean_no_filter_and_no_match_says_so(db, world, sent_referral):
    pcp, ana_id, ben_id = _board(db, world, sent_referral)
    html = pcp.get("/pcp/referrals?status=&clinician=").get_data(as_text=True)
    assert _rows(html) == [str(ben_id), str(ana_id)]
    none = pcp.get(f"/pcp/referrals?status=declined&clinician={world.ana.id}")
    assert "No referrals match these filters." in none.get_data(as_text=True)


def test_a_stranger_sees_no_clinicians_to_choose(world, signed_in, sent_referral):
    html = signed_in("pcp", org=world.other_pcp_org).get("/pcp/referrals").get_data(as_text=True)
    assert f'<option value="{world.ana.id}"' not in html
    assert "No referrals yet." in html


def test_a_tampered_filter_is_a_bad_request(world, sent_referral):
    pcp = sent_referral.pcp
    assert pcp.get("/pcp/referrals?status=lost").status_code == 400
    assert pcp.get("/pcp/referrals?clinician=0").status_code == 400
    assert pcp.get("/pcp/referrals?overdue=maybe").status_code == 400


def test_the_board_offers_a_print_button_and_print_stylesheet(world, sent_referral):
    html = sent_referral.pcp.get("/pcp/referrals").get_data(as_text=True)
    assert 'id="print-board" hidden' in html
    assert "/static/console/board.js" in html and "/static/console/board.css" in html
    assert "<script>" not in html


def test_the_board_filters_read_in_spanish(db, world, sent_referral):
    pcp, _ana_id, _ben_id = _board(db, world, sent_referral)
    pcp.set_cookie(LOCALE_COOKIE, "es")
    html = pcp.get("/pcp/referrals").get_data(as_text=True)
    assert "Cualquier estado" in html and "Cualquier profesional" in html
    assert "Solo vencidos" in html and "Imprimir" in html and "Sin programar" in html


def test_only_the_referrals_shown_are_audited_as_read(db, world, sent_referral):
    pcp, ana_id, ben_id = _board(db, world, sent_referral)
    before = {ana_id: _reads(db, ana_id), ben_id: _reads(db, ben_id)}
    pcp.get(f"/pcp/referrals?clinician={world.ben.id}")
    assert _reads(db, ana_id) == before[ana_id]
    assert _reads(db, ben_id) == before[ben_id] + 1


def test_overdue_only_with_a_status_that_cannot_be_overdue_finds_none(db, world, sent_referral):
    pcp, _ana_id, _ben_id = _board(db, world, sent_referral)
    html = pcp.get("/pcp/referrals?overdue=1&status=scheduled").get_data(as_text=True)
    assert _rows(html) == []
    assert "No referrals match these filters." in html


def _reads(db, referral_id: int) -> int:
    query = select(func.count()).where(
        AuditEvent.object_type == "referral", AuditEvent.object_id == str(referral_id)
    )
    return db.session.scalar(query)
