"""Clinician profile and practice pages through the test client (EN and ES), and their links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from directory.cost import Cost
from directory.cost_facts import set_cost
from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import observe
from directory.models import Clinician, Organization
from tests.web.seed_directory import SPANISH_SPEAKER, STALE_CLINICIAN


def _clinician(name: str) -> Clinician:
    first, last = name.split(" ", 1)
    return db.session.scalars(select(Clinician).where(Clinician.last_name == last)).one()


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_profile_shows_every_fact_with_its_plans_and_how_known(client, directory):
    ana = _clinician(SPANISH_SPEAKER)
    ana.pronouns = "she/her"
    ana.next_available_on = date(2026, 12, 14)
    observe(subject(ana.id), "accepting_new_patients", True, "roster",
            observed_at=datetime.now(UTC) - timedelta(days=12))  # fmt: skip
    db.session.commit()
    response = client.get(f"/clinicians/{ana.npi}")
    page = _text(response)
    assert response.status_code == 200
    assert '<h1 id="profile-name">Ana Rivera<span class="credentials">, LICSW</span></h1>' in page
    assert "Gender: Woman" in page and "Pronouns: she/her" in page
    assert "<li>Feeling down, sad or hopeless</li>" in page
    assert "<li>Spanish</li>" in page
    assert "LGBTQ+-affirming (the clinician says so)" in page
    assert "1 Main St, Cambridge, MA 02139" in page
    assert "Plans here: MassCare HMO" in page
    assert 'Practice: <a href="/practices/' in page
    assert "Next opening: December 14, 2026" in page
    assert "No dated source on file yet for: Address, Phone, Languages, Telehealth." in page
    assert "Taking new patients: from the plan&#39;s roster, 12 days ago." in page
    assert "Listing verified 3 days ago" in page
    assert f'href="/clinicians/{ana.npi}/report"' in page
    assert f'href="/fhir/Practitioner/{ana.npi}"' in page
    assert f'href="/api/v1/clinicians/{ana.npi}"' in page


def test_profile_says_plainly_what_is_unknown(client, directory):
    carla = _clinician(STALE_CLINICIAN)
    page = _text(client.get(f"/clinicians/{carla.npi}"))
    assert "What we do not know" in page
    assert "No source has told us how they work (approaches), gender" not in page
    assert "how they work (approaches)" in page and "pronouns" in page
    assert "whether they take new patients" in page and "the next opening" in page
    assert "Next opening: not known. Call to ask." in page
    assert "Hours: not known" in page


def test_profile_in_spanish(client, directory):
    ana = _clinician(SPANISH_SPEAKER)
    ana.next_available_on = date(2026, 12, 14)
    db.session.commit()
    page = _text(client.get(f"/clinicians/{ana.npi}", headers={"Accept-Language": "es"}))
    assert '<html lang="es">' in page
    assert "Sentirse deprimido, triste o sin esperanza" in page
    assert "Lo que no sabemos" in page
    assert "<li>Adultos jóvenes (18-25)</li>" in page
    assert "Próxima cita libre: 14 de diciembre de 2026" in page
    assert "Reportar un problema con este listado" in page


def test_unknown_malformed_and_inactive_npis_are_404(client, directory):
    assert client.get("/clinicians/1234567890").status_code == 404  # fails the check digit
    assert client.get("/clinicians/abc").status_code == 404
    ana = _clinician(SPANISH_SPEAKER)
    ana.active = False
    db.session.commit()
    assert client.get(f"/clinicians/{ana.npi}").status_code == 404
    assert client.get("/clinicians/1000000996").status_code in (404,)


def test_practice_page_lists_its_places_and_clinicians(client, directory):
    harbor = db.session.scalars(select(Organization)).one()
    page = _text(client.get(f"/practices/{harbor.id}"))
    assert "<h1>Harbor Counseling</h1>" in page
    assert '<a href="tel:+16175550100">(617) 555-0100</a>' in page
    assert "1 Main St, Cambridge, MA 02139" in page
    for name in ("Ana Rivera, LICSW", "Dev Patel, MD"):
        assert name in page
    assert "Ben Okafor" not in page
    assert client.get("/practices/999").status_code == 404


def test_every_result_card_links_to_the_profile(search):
    response = search(concerns=["depression"])
    page = _text(response)
    cards = page.count('class="result"')
    assert cards == 3
    assert page.count("See the full profile") == cards
    ana = _clinician(SPANISH_SPEAKER)
    assert f'<a href="/clinicians/{ana.npi}">Ana Rivera</a>' in page


def test_profile_says_cost_with_its_source_or_that_it_is_not_known(client, directory):
    ana = _clinician(SPANISH_SPEAKER)
    page = _text(client.get(f"/clinicians/{ana.npi}"))
    assert "Cost not known: ask about fees and insurance." in page
    set_cost(ana, Cost(medicaid=True, fee_min=70, fee_max=140), "self_reported")
    db.session.commit()
    page = _text(client.get(f"/clinicians/{ana.npi}"))
    assert "Takes Medicaid · Self-pay $70-$140 a session" in page
    assert "Takes Medicaid: yes (from the clinician&#39;s own listing, today)." in page
    untraced = page.split("No dated source on file yet for: ", 1)[1].split(".", 1)[0]
    assert "Medicaid" not in untraced and "fee" not in untraced
