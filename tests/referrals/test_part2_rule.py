"""The Part 2 rule, entry by entry: every code, medication, word and concern in the data file
classifies, and a fixed list of literal examples pins the file (a deleted entry fails here)."""

import json

import pytest

from referrals.part2 import RULE_FILE, Content, classify, code_category, text_hits, words

RULE = json.loads(RULE_FILE.read_text(encoding="utf-8"))
MEDICATION_TERMS = [
    (term, generic) for generic, terms in RULE["medications"].items() for term in terms
]


def _part2(**fields) -> bool:
    return classify(Content(**fields)).part2


# --- every entry of the data file -------------------------------------------------------


@pytest.mark.parametrize("category", RULE["icd10_categories"])
def test_every_category_classifies_as_a_diagnosis_and_in_text(category):
    assert classify(Content(diagnoses=(f"{category}.20",))).basis == (f"diagnoses:{category}.20",)
    assert _part2(reason=f"history of {category.lower()}.10")


@pytest.mark.parametrize("category", sorted(RULE["icd10_excluded"]))
def test_excluded_categories_do_not_classify(category):
    assert not _part2(diagnoses=(f"{category}.210",), reason=f"{category}.210")


@pytest.mark.parametrize(("term", "generic"), MEDICATION_TERMS)
def test_every_medication_word_classifies_as_its_generic(term, generic):
    finding = classify(Content(medications=(f"{term.upper()} 8 mg daily",)))
    assert finding.basis == (f"medications:{generic}",)
    assert classify(Content(notes=f"Takes {term.capitalize()}.")).basis == (f"notes:{generic}",)


@pytest.mark.parametrize("term", RULE["terms"])
def test_every_condition_word_classifies(term):
    assert f"conditions:{words(term).strip()}" in classify(Content(conditions=(term,))).basis
    assert _part2(reason=f"Known {term.upper()}; follow-up")


@pytest.mark.parametrize("concern", RULE["concerns"])
def test_every_concern_code_classifies(concern):
    assert classify(Content(needs={"concerns": [concern]})).basis == (f"needs:{concern}",)


# --- literal examples: the rule as it must stay -----------------------------------------

PART2_EXAMPLES = [
    # (what a referral says, the field it is in, the basis it must give)
    ("F10.20", "diagnoses", "diagnoses:F10.20"),
    ("F11.20", "diagnoses", "diagnoses:F11.20"),
    ("F12.90", "diagnoses", "diagnoses:F12.90"),
    ("F13.10", "diagnoses", "diagnoses:F13.10"),
    ("F14.20", "diagnoses", "diagnoses:F14.20"),
    ("F15.10", "diagnoses", "diagnoses:F15.10"),
    ("F16.20", "diagnoses", "diagnoses:F16.20"),
    ("F18.10", "diagnoses", "diagnoses:F18.10"),
    ("F19.20", "diagnoses", "diagnoses:F19.20"),
    ("F11", "diagnoses", "diagnoses:F11"),
    ("methadone 80 mg", "medications", "medications:methadone"),
    ("Dolophine 10 mg", "medications", "medications:methadone"),
    ("Methadose", "medications", "medications:methadone"),
    ("Diskets", "medications", "medications:methadone"),
    ("buprenorphine-naloxone 8/2 mg", "medications", "medications:buprenorphine"),
    ("Suboxone film", "medications", "medications:buprenorphine"),
    ("Subutex", "medications", "medications:buprenorphine"),
    ("Zubsolv", "medications", "medications:buprenorphine"),
    ("Sublocade 300 mg monthly", "medications", "medications:buprenorphine"),
    ("Brixadi weekly", "medications", "medications:buprenorphine"),
    ("Bunavail", "medications", "medications:buprenorphine"),
    ("Probuphine implant", "medications", "medications:buprenorphine"),
    ("Cassipa", "medications", "medications:buprenorphine"),
    ("naltrexone 50 mg", "medications", "medications:naltrexone"),
    ("Vivitrol injection", "medications", "medications:naltrexone"),
    ("ReVia", "medications", "medications:naltrexone"),
    ("Depade", "medications", "medications:naltrexone"),
    ("lofexidine", "medications", "medications:lofexidine"),
    ("Lucemyra 0.18 mg", "medications", "medications:lofexidine"),
    ("disulfiram 250 mg", "medications", "medications:disulfiram"),
    ("Antabuse", "medications", "medications:disulfiram"),
    ("acamprosate 666 mg", "medications", "medications:acamprosate"),
    ("Campral", "medications", "medications:acamprosate"),
    # What Spanish-language records and messages write.
    ("toma metadona cada mañana", "reason", "reason:methadone"),
    ("Buprenorfina 8 mg", "medications", "medications:buprenorphine"),
    ("naltrexona inyectable", "notes", "notes:naltrexone"),
    ("Lofexidina", "medications", "medications:lofexidine"),
    ("acamprosato 666 mg", "medications", "medications:acamprosate"),
    ("busca desintoxicación de alcohol", "reason", "reason:desintoxicacion de alcohol"),
    ("Tratamiento de adicciones", "notes", "notes:tratamiento de adiccione"),  # plural folded
    ("opioid use disorder", "conditions", "conditions:opioid use disorder"),
    ("Alcohol Use Disorder, moderate", "conditions", "conditions:alcohol use disorder"),
    ("opioid-use disorders", "conditions", "conditions:opioid use disorder"),
    ("alcoholism", "conditions", "conditions:alcoholism"),
    ("cocaine use disorder", "conditions", "conditions:cocaine use disorder"),
    ("history of OUD", "conditions", "conditions:oud"),
    ("on methadone maintenance", "reason", "reason:methadone"),
    ("seen at the opioid treatment program", "notes", "notes:opioid treatment program"),
    ("dx f11.20 last year", "reason", "reason:F11.20"),
    ("Uses heroin most days", "reason", "reason:heroin"),
    ("smokes crack cocaine on weekends", "notes", "notes:crack cocaine"),
    ("history of IVDU", "conditions", "conditions:ivdu"),
    ("asks about alcohol detox", "reason", "reason:alcohol detox"),
    ("Adicción a la heroína", "reason", "reason:adiccion"),
    ("Adicción a la heroína", "reason", "reason:heroina"),
    (
        "Trastorno por consumo de opioides",
        "conditions",
        "conditions:trastorno por consumo de opioide",
    ),
    ("alcoholismo", "conditions", "conditions:alcoholismo"),
]
NOT_PART2 = [
    ("F17.210", "diagnoses"),  # nicotine: 42 CFR 2.11 leaves tobacco out
    ("F32.1", "diagnoses"),
    ("F09", "diagnoses"),
    ("F20.9", "diagnoses"),
    ("nicotine patch 21 mg", "medications"),
    ("metformin 500 mg", "medications"),
    ("sertraline 50 mg", "medications"),
    ("bupropion", "medications"),
    ("naloxone nasal spray", "medications"),  # overdose reversal alone (see the data file)
    ("Narcan", "medications"),
    ("Contrave", "medications"),
    ("methylphenidate", "medications"),
    ("tobacco use disorder", "conditions"),
    ("Type 2 diabetes", "conditions"),
    ("gambling addiction", "conditions"),
    ("Low mood and poor sleep for three months", "reason"),
    ("Fax the F1 form, then F20.9", "notes"),  # F1 is no category; F20 is not F10-F19
    ("methadonex", "notes"),  # whole words only
    ("fentanyl patch 25 mcg/h for cancer pain", "medications"),  # fentanyl alone: pain
    ("digital detox from social media", "reason"),  # detox alone is not a substance
    ("consumo de café", "notes"),
    ("heroine of her own story", "notes"),  # whole words: heroine is not heroin
]


def _content(field: str, value: str) -> Content:
    if field in ("reason", "notes"):
        return Content(**{field: value})
    return Content(**{field: (value,)})


@pytest.mark.parametrize(("value", "field", "basis"), PART2_EXAMPLES)
def test_literal_part2_examples(value, field, basis):
    finding = classify(_content(field, value))
    assert finding.part2 is True
    assert basis in finding.basis


@pytest.mark.parametrize(("value", "field"), NOT_PART2)
def test_literal_examples_that_are_not_part2(value, field):
    assert classify(_content(field, value)) == classify(Content())
    assert classify(Content()).part2 is False and classify(Content()).basis == ()


def test_the_data_file_holds_exactly_these_entries():
    assert RULE["icd10_categories"] == [
        "F10", "F11", "F12", "F13", "F14", "F15", "F16", "F18", "F19",
    ]  # fmt: skip
    assert sorted(RULE["medications"]) == [
        "acamprosate", "buprenorphine", "disulfiram", "lofexidine", "methadone", "naltrexone",
    ]  # fmt: skip
    assert len(MEDICATION_TERMS) == 28
    assert sorted(RULE["terms"]) == sorted([
        "addiction medicine", "addiction treatment", "alcohol abuse", "alcohol addiction",
        "alcohol dependence", "alcohol use disorder", "alcohol withdrawal", "alcoholism",
        "amphetamine use disorder", "anxiolytic use disorder", "aud", "benzodiazepine dependence",
        "benzodiazepine use disorder", "cannabis abuse", "cannabis dependence",
        "cannabis use disorder", "cocaine abuse", "cocaine dependence", "cocaine use disorder",
        "drug abuse", "drug addiction", "drug dependence", "drug use disorder", "fentanyl use",
        "hallucinogen use disorder", "heroin addiction", "heroin use", "hypnotic use disorder",
        "inhalant use disorder", "marijuana use disorder", "maud",
        "medication assisted treatment", "methamphetamine use", "methamphetamine use disorder",
        "moud", "opiate addiction", "opiate dependence", "opiate use disorder",
        "opiate withdrawal", "opioid abuse", "opioid addiction", "opioid dependence",
        "opioid overdose", "opioid treatment program", "opioid use disorder", "opioid withdrawal",
        "oud", "phencyclidine use disorder", "polysubstance abuse", "polysubstance dependence",
        "polysubstance use", "sedative use disorder", "stimulant use disorder", "substance abuse",
        "substance dependence", "substance use disorder", "substance use treatment", "sud",
        "heroin", "cocaine", "crack cocaine", "crystal meth", "injection drug use", "ivdu",
        "alcohol detox", "opioid detox", "drug detox",
        "adicción", "drogadicción", "alcoholismo", "heroína", "cocaína", "metanfetamina",
        "abuso de sustancias", "abuso de alcohol", "abuso de drogas",
        "trastorno por consumo de alcohol", "trastorno por consumo de opioides",
        "trastorno por consumo de sustancias", "dependencia del alcohol", "dependencia de opioides",
        "trastorno por consumo de cannabis", "trastorno por consumo de cocaína",
        "trastorno por consumo de estimulantes", "dependencia de drogas",
        "desintoxicación de alcohol", "desintoxicación de opioides", "desintoxicación de drogas",
        "tratamiento de adicciones", "sobredosis de opioides",
    ])  # fmt: skip
    assert RULE["concerns"] == ["substance_use", "alcohol_use", "opioid_use"]


# --- how the rule reads a referral -------------------------------------------------------


def test_the_callers_false_flag_never_overrides_the_content():
    finding = classify(Content(diagnoses=("F11.20",), flag=False))
    assert finding == classify(Content(diagnoses=("F11.20",)))
    assert finding.part2 is True


def test_the_callers_flag_alone_classifies():
    assert classify(Content(flag=True)).basis == ("flag",)


def test_the_issue_reproduction_names_each_field():
    finding = classify(
        Content(
            diagnoses=("F11.20",),
            medications=("methadone 80 mg",),
            conditions=("opioid use disorder",),
        )
    )
    assert finding.basis == (
        "conditions:opioid use disorder",
        "diagnoses:F11.20",
        "medications:methadone",
    )


@pytest.mark.parametrize(
    ("needs", "basis"),
    [
        ({"concerns": ["depression", "opioid_use"]}, ("needs:opioid_use",)),
        ({"concerns": ["tobacco_use"]}, ()),
        ({"diagnoses": ["F10.20"]}, ("needs:F10.20",)),
        ({"notes": {"deep": ["on Suboxone"]}}, ("needs:buprenorphine",)),
        ({"concerns": "substance_use"}, ()),  # not a list of codes: read as text only
        ({"suboxone": True}, ("needs:buprenorphine",)),  # keys are text too
    ],
)
def test_needs_are_read_for_concern_codes_and_text(needs, basis):
    assert classify(Content(needs=needs)).basis == basis


def test_needs_objects_deeper_than_the_walk_are_not_read():
    def nested(levels: int) -> dict:
        inner: object = "methadone"
        for _ in range(levels):
            inner = {"k": inner}
        return inner

    assert classify(Content(needs=nested(6))).basis == ("needs:methadone",)
    assert classify(Content(needs=nested(7))).basis == ()


def test_needs_deeper_than_the_walk_are_not_read():
    deep: object = "methadone"
    for _ in range(6):
        deep = [deep]
    assert classify(Content(needs={"x": deep})).basis == ()
    assert classify(Content(needs={"x": deep[0]})).basis == ("needs:methadone",)


def test_event_and_checklist_notes_count():
    assert classify(Content(event_notes=("Started Vivitrol",))).basis == ("event_notes:naltrexone",)
    assert classify(Content(checklist_notes=("MOUD plan shared",))).basis == (
        "checklist_notes:moud",
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Opioid-Use Disorders!", " opioid use disorder "),
        ("Naïve café", " naive cafe "),
        ("gas bus AUDs", " gas bus aud "),  # the plural s goes only from words over three letters
        ("", "  "),
    ],
)
def test_words_fold_case_accents_punctuation_and_plurals(text, folded):
    assert words(text) == folded


@pytest.mark.parametrize(
    ("code", "category"),
    [(" f11.20 ", "F11"), ("F1120", "F11"), ("F17.210", None), ("F1", None), ("", None)],
)
def test_code_category(code, category):
    assert code_category(code) == category


def test_text_hits_lists_every_match_in_order_of_kind():
    assert text_hits("F11.20; methadone; opioid use disorder") == [
        "F11.20",
        "methadone",
        "opioid use disorder",
    ]
    assert text_hits(None) == [] and text_hits("") == []
