"""The patient's texts and emails: every status, both languages, and nothing clinical."""

import csv
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from directory.vocabulary import DATA_DIR, vocabulary
from programs.criteria import __file__ as programs_file
from referrals.patient_notices import (
    NOTICE_STATUSES,
    SMS_MAX,
    PatientNotice,
    email_message,
    language_of,
    tells_patient,
    text_message,
)

BOSTON = ZoneInfo("America/New_York")
APPOINTMENT = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)  # 10:00 in Boston


def _notice(status, language="en", **overrides):
    values = {
        "status": status,
        "language": language,
        "practice": "Riverside Primary Care",
        "phone": "(617) 555-0100",
        "appointment_at": APPOINTMENT if status == "scheduled" else None,
        "zone": BOSTON,
    }
    values.update(overrides)
    return PatientNotice(**values)


EXPECTED_TEXTS = {
    ("sent", "en"): "Riverside Primary Care: your referral was sent. They should contact you "
    "soon. Questions: (617) 555-0100. Reply STOP to stop.",
    ("acknowledged", "en"): "Riverside Primary Care: your referral was received and is being "
    "reviewed. Questions: (617) 555-0100. Reply STOP to stop.",
    ("scheduled", "en"): "Riverside Primary Care: your appointment is set for January 7, 2030 "
    "at 10:00\u202fAM. Questions: (617) 555-0100. Reply STOP to stop.",
    ("declined", "en"): "Riverside Primary Care: that referral could not go ahead. We are "
    "finding another option for you. Questions: (617) 555-0100. Reply STOP to stop.",
    ("closed", "en"): "Riverside Primary Care: your referral is complete. Questions: "
    "(617) 555-0100. Reply STOP to stop.",
    ("sent", "es"): "Riverside Primary Care: su remisión fue enviada. Deberían comunicarse con "
    "usted pronto. Preguntas: (617) 555-0100. Responda STOP para no recibir más.",
    ("acknowledged", "es"): "Riverside Primary Care: su remisión fue recibida y la están "
    "revisando. Preguntas: (617) 555-0100. Responda STOP para no recibir más.",
    ("scheduled", "es"): "Riverside Primary Care: su cita es el 7 de enero de 2030 a las "
    "10:00. Preguntas: (617) 555-0100. Responda STOP para no recibir más.",
    ("declined", "es"): "Riverside Primary Care: esa remisión no pudo seguir adelante. Estamos "
    "buscando otra opción para usted. Preguntas: (617) 555-0100. Responda STOP para no "
    "recibir más.",
    ("closed", "es"): "Riverside Primary Care: su remisión está completa. Preguntas: "
    "(617) 555-0100. Responda STOP para no recibir más.",
}


@pytest.mark.parametrize(("status", "language"), sorted(EXPECTED_TEXTS))
def test_each_status_has_its_text_in_both_languages(status, language):
    text = text_message(_notice(status, language))
    assert text == EXPECTED_TEXTS[(status, language)]
    assert len(text) <= SMS_MAX


def test_the_statuses_a_patient_hears_about():
    assert {"sent", "acknowledged", "scheduled", "declined", "closed"} == NOTICE_STATUSES
    for status in ("draft", "accepted", "attended", "no_show", "cancelled", "expired"):
        assert not tells_patient(status)


def test_a_language_without_a_table_falls_back_to_english():
    assert language_of("vi") == "en"
    assert language_of(None) == "en"
    assert language_of("es-MX") == "es"
    assert text_message(_notice("closed", "zh")) == EXPECTED_TEXTS[("closed", "en")]


def test_a_long_practice_name_is_cut_so_the_longest_text_fits():
    notice = _notice("declined", "es", practice="A" * 200, phone="+1 (617) 555-0100 ext. 12345")
    text = text_message(notice)
    assert text.startswith("A" * 39 + "…: esa remisión")
    assert len(text) <= SMS_MAX


def test_without_a_practice_phone_the_text_still_says_how_to_stop():
    text = text_message(_notice("sent", phone=None))
    assert text == (
        "Riverside Primary Care: your referral was sent. They should contact you soon. "
        "Reply STOP to stop."
    )


def test_the_email_carries_the_stop_link_and_the_same_words():
    mail = email_message(_notice("acknowledged", "es"), "https://bh.example.org/notices/stop/t")
    assert mail.subject == "Novedades sobre su remisión"
    assert mail.body == (
        "Riverside Primary Care: su remisión fue recibida y la están revisando. Preguntas: "
        "(617) 555-0100.\n\nPara dejar de recibir estos correos, abra este enlace:\n"
        "https://bh.example.org/notices/stop/t\n"
    )
    english = email_message(_notice("closed"), "https://x.test/notices/stop/u")
    assert english.subject == "An update on your referral"
    assert english.body.endswith(
        "To stop these emails, open this link:\nhttps://x.test/notices/stop/u\n"
    )


def _forbidden_words() -> set[str]:
    """Concern, approach and modality labels, specialties and program types, lower case."""
    words = {
        t.label.lower() for name in ("concerns", "approaches") for t in vocabulary(name).values()
    }
    words |= {t.code.replace("_", " ") for t in vocabulary("concerns").values()}
    with open(DATA_DIR / "behavioral_health_taxonomies.csv", encoding="utf-8") as rows:
        words |= {row["display_name"].lower() for row in csv.DictReader(rows)}
    programs_data = programs_file.rsplit("/", 1)[0] + "/data/need_domains.csv"
    with open(programs_data, encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            words |= {row["label"].lower(), row["label_es"].lower()}
    words |= {"diagnosis", "diagnóstico", "substance", "therapy", "therapist", "psychiatr"}
    return words


def test_no_text_or_email_names_a_concern_specialty_or_program_type():
    forbidden = _forbidden_words()
    assert {"depression", "food", "counselor"} <= forbidden
    for status in NOTICE_STATUSES:
        for language in ("en", "es"):
            notice = _notice(status, language)
            mail = email_message(notice, "https://bh.example.org/notices/stop/t")
            for message in (text_message(notice), mail.subject, mail.body):
                lowered = message.lower()
                found = [w for w in forbidden if re.search(rf"\b{re.escape(w)}\b", lowered)]
                assert found == [], (status, language, found)


def test_a_phone_too_long_for_the_text_is_left_out_rather_than_the_way_to_stop():
    text = text_message(_notice("closed", phone="6" * 300))
    assert text == "Riverside Primary Care: your referral is complete. Reply STOP to stop."
