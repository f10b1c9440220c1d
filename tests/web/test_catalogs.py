"""Message catalogs: Spanish complete, every catalog current, compiled .mo files up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import COMPLETE_LOCALES, LOCALE_NAMES, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
CATALOG_LOCALES = [code for code in LOCALE_NAMES if code != "en"]
# The pages the public sees (and sign-in) must be complete; staff pages may fall back to English.
PUBLIC_SOURCES = (
    "web/",
    "pages/",
    "templates/base.html",
    "templates/web/",
    "templates/patients/",
    "templates/accounts/",
    "directory/data/vocabularies/",
)
HOW_TO_UPDATE = "run `make translations`, translate web/translations/es, run it again"


def _read_po(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _po(code: str):
    return _read_po(TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po")


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, str]]:
    """(file, msgid) for every message the sources use now, as `pybabel extract` finds them."""
    with (TRANSLATIONS_DIR / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return [(name, m if isinstance(m, str) else m[0]) for name, _line, m, _c, _x in found]


@pytest.fixture(scope="module")
def source_ids(extracted) -> set:
    """Every msgid in the sources."""
    return {message for _name, message in extracted}


@pytest.fixture(scope="module")
def public_ids(extracted) -> set:
    """The msgids of the public pages."""
    return {message for name, message in extracted if name.startswith(PUBLIC_SOURCES)}


def _key(value):
    """Plural ids and strings come back as lists from .mo files and tuples from .po files."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _singular(ids: set) -> set:
    return {m[0] if isinstance(m, tuple) else m for m in ids}


def test_template_is_current(source_ids):
    pot = _singular(_ids(_read_po(TRANSLATIONS_DIR / "messages.pot")))
    missing = sorted(source_ids - pot)
    assert not missing, f"messages.pot lacks {missing[:10]}: {HOW_TO_UPDATE}"


@pytest.mark.parametrize("code", [c for c in COMPLETE_LOCALES if c != "en"])
def test_complete_locales_translate_every_public_message(code, public_ids):
    catalog = _po(code)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.id, tuple) else m.string)
    }
    missing = sorted(public_ids - translated)
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:10]}"
    problems = [(m.id, errors) for m, errors in catalog.check() if errors]
    assert not problems, f"{code}: placeholder problems {problems[:5]}"


@pytest.mark.parametrize("code", CATALOG_LOCALES)
def test_every_catalog_has_every_template_message(code):
    pot = _ids(_read_po(TRANSLATIONS_DIR / "messages.pot"))
    assert _singular(pot) <= _singular(_ids(_po(code))), f"{code}: {HOW_TO_UPDATE}"


@pytest.mark.parametrize("code", CATALOG_LOCALES)
def test_compiled_catalog_matches_its_po(code):
    folder = TRANSLATIONS_DIR / code / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    po = _po(code)
    for message in po:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.id, tuple) else (message.string,)
        if all(strings):
            found = compiled.get(_key(message.id))
            assert found == _key(message.string), f"{code}: stale .mo; {HOW_TO_UPDATE}"
