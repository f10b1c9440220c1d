"""The social-needs screen on the PCP page and the call console: kept, audited, safety first."""

from sqlalchemy import select

from audit.models import AuditEvent
from screening.models import ScreeningResult
from tests.programs.seed import program, save

# Answers in item order (AHC HRSN core): housing 1-2, food 3-4, transportation 5, utilities 6,
# then the four safety items scored 1 (never) to 5 (frequently).
NO_NEEDS = ["0", "0", "0", "0", "0", "0", "1", "1", "1", "1"]
FOOD_AND_SAFETY = ["0", "0", "2", "0", "0", "0", "5", "3", "2", "1"]  # safety total 11


def answers(values: list[str], **extra) -> dict:
    """The form fields q1..q10 with `values`, plus any other fields."""
    return {**{f"q{n}": v for n, v in enumerate(values, start=1)}, **extra}


def test_the_pcp_screen_is_kept_audited_and_shows_safety_first(db, world, signed_in):
    save(program("pantry", 1, needs=["food"]), program("harbor", 2, needs=["safety"]))
    pcp = signed_in("pcp")

    response = pcp.post("/pcp/social-needs", data=answers(FOOD_AND_SAFETY, postal_code="02139"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    result = db.session.scalars(select(ScreeningResult)).one()
    assert (result.instrument, result.score, result.needs) == ("ahc_hrsn", 11, ["safety", "food"])
    assert result.referral_id is None
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "screening"))
    assert [(a.action, a.outcome) for a in audited] == [("create", "ok")]
    first = html.index('id="safety-first"')
    assert first < html.index("<h1>Social needs</h1>") < html.index("pantry organization")
    assert "call 1-800-799-7233" in html and "Text START to 88788" in html
    assert 'href="tel:988"' in html
    assert html.index('id="need-safety"') < html.index('id="need-food"')
    assert "harbor organization" in html


def test_a_pcp_screen_attaches_to_the_pcp_referral(db, sent_referral):
    response = sent_referral.pcp.post(
        "/pcp/social-needs", data=answers(NO_NEEDS, referral_id=str(sent_referral.id))
    )

    assert response.status_code == 200
    assert db.session.scalars(select(ScreeningResult.referral_id)).one() == sent_referral.id
    html = response.get_data(as_text=True)
    assert f"Attached to referral #{sent_referral.id}." in html
    assert "No social needs found in these answers." in html
    assert 'id="safety-first"' not in html


def test_the_referral_page_links_to_the_screen_for_that_referral(sent_referral):
    html = sent_referral.pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)

    link = f"/pcp/referrals/{sent_referral.id}/social-needs"
    assert f'href="{link}"' in html
    form = sent_referral.pcp.get(link)
    assert f'name="referral_id" inputmode="numeric" value="{sent_referral.id}"' in form.get_data(
        as_text=True
    )


def test_another_practice_cannot_attach_to_the_referral(db, world, signed_in, sent_referral):
    other = signed_in("pcp", org=world.other_pcp_org)

    response = other.post(
        "/pcp/social-needs", data=answers(NO_NEEDS, referral_id=str(sent_referral.id))
    )

    assert response.status_code == 400
    assert "No referral with that number that you may see." in response.get_data(as_text=True)
    assert db.session.scalars(select(ScreeningResult)).all() == []


def test_a_missing_and_an_out_of_range_answer_name_their_questions(db, world, signed_in):
    values = list(NO_NEEDS)
    values[2], values[9] = "", "6"

    response = signed_in("pcp").post("/pcp/social-needs", data=answers(values))

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Question 3 (Within the past 12 months, you worried that your food would run out" in html
    assert "): choose an answer." in html
    assert (
        "Question 10 (How often does anyone, including family and friends, scream or curse at "
        "you?): 6 is not one of its answers." in html
    )
    assert db.session.scalars(select(ScreeningResult)).all() == []


def test_the_console_screen_uses_the_member_zip_and_puts_safety_first(db, world, signed_in):
    save(program("pantry", 1, needs=["food"]))
    staff = signed_in("plan_staff")

    response = staff.post("/staff/social-needs", data=answers(FOOD_AND_SAFETY, postal_code="02139"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.index('id="safety-first"') < html.index("<h1>Call console</h1>")
    assert "Interpersonal safety: positive" in html
    assert html.index('id="need-safety"') < html.index("pantry organization")
    assert db.session.scalars(select(ScreeningResult.needs)).one() == ["safety", "food"]


def test_the_console_names_the_missing_question(db, world, signed_in):
    values = list(NO_NEEDS)
    values[0] = ""

    response = signed_in("plan_staff").post("/staff/social-needs", data=answers(values))

    assert response.status_code == 400
    assert "Question 1 (What is your living situation today?): choose an answer." in (
        response.get_data(as_text=True)
    )
    assert db.session.scalars(select(ScreeningResult)).all() == []


def test_the_referral_page_lists_its_screenings_and_audits_each_read(db, sent_referral):
    pcp = sent_referral.pcp
    pcp.post(
        "/pcp/social-needs",
        data=answers(FOOD_AND_SAFETY, referral_id=str(sent_referral.id)),
    )
    result_id = db.session.scalars(select(ScreeningResult.id)).one()

    html = pcp.get(f"/pcp/referrals/{sent_referral.id}").get_data(as_text=True)

    section = html[html.index('id="screenings"') :]
    assert "AHC Health-Related Social Needs screening tool: core questions" in section
    assert "Needs found: <strong>Interpersonal safety</strong>, <strong>Food</strong>" in section
    reads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "screening", AuditEvent.action == "read")
    )
    # Read twice: by the page's list of screenings and by the episode behind its score chart.
    assert [a.object_id for a in reads] == [str(result_id), str(result_id)]
