"""Crisis words in free text: every table entry escalates, near misses do not."""

import json

import pytest

from matching.crisis_words import WORDS_FILE, crisis_matches, crisis_words, mentions_crisis

ENTRIES = json.loads(WORDS_FILE.read_text(encoding="utf-8"))["entries"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["phrase"])
def test_every_entry_escalates_in_a_sentence(entry):
    text = f"Patient said: {entry['phrase'].upper()}, last night."
    assert entry["phrase"] in [w.phrase for w in crisis_matches(text)]


@pytest.mark.parametrize(
    "text",
    [
        "I keep HURTING MYSELF",
        "history of Self-Harm",
        "she overdosed on Friday",
        "tengo miedo de hacerme dano",
        "autolesión",
        "AUTOLESIÓN",
        "pensé en matarme",
        "tuvo una sobredosis",
        "I want to kill myself.",
    ],
)
def test_case_accents_and_punctuation_are_folded(text):
    assert mentions_crisis(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "the side effects were harmless",
        "self-harmony workshop",
        "overdoses of vitamins are listed in the leaflet",
        "dañó el coche",
        "rematarme",
        "killer myself",
        "hurt my self-esteem",
        "",
        None,
    ],
)
def test_near_misses_do_not_escalate(text):
    assert mentions_crisis(text) is False


def test_program_names_and_negations_escalate_by_design():
    assert mentions_crisis("overdose prevention training") is True
    assert mentions_crisis("denies self-harm") is True


def test_phrases_do_not_span_separate_fields():
    assert mentions_crisis("I might hurt", "myself tomorrow") is False


def test_table_has_both_languages_and_known_concerns():
    langs = {w.lang for w in crisis_words()}
    concerns = {w.concern for w in crisis_words()}
    assert langs == {"en", "es"}
    assert concerns == {"self_harm", "overdose", "suicidal_ideation"}
    assert len(crisis_words()) == 28
