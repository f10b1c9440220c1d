"""Staff pages in Spanish: every console message translated, and the pages render in Spanish."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.console.conftest import needs
from web.i18n import LOCALE_COOKIE, TRANSLATIONS_DIR

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
CONSOLE_SOURCES = ("console/", "templates/console/")


def _console_ids() -> set[str]:
    with (TRANSLATIONS_DIR / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    root = TRANSLATIONS_DIR.parents[1]
    found = extract_from_dir(str(root), method_map, options_map, keywords=KEYWORDS)
    return {
        message if isinstance(message, str) else message[0]
        for name, _line, message, _c, _x in found
        if name.startswith(CONSOLE_SOURCES)
    }


def test_every_console_message_has_a_spanish_translation():
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.id, tuple) else m.string)
    }
    ids = _console_ids()
    assert len(ids) > 250
    missing = sorted(ids - translated)
    assert not missing, f"run `make translations` and translate: {missing[:10]}"


def test_the_pages_render_in_spanish(world, signed_in):
    pcp = signed_in("pcp")
    pcp.set_cookie(LOCALE_COOKIE, "es")
    html = pcp.post("/pcp/search", data=needs()).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Buscar un profesional de salud mental" in html
    assert "Derivar a este profesional" in html and "Mis derivaciones" in html
    staff = signed_in("plan_staff")
    staff.set_cookie(LOCALE_COOKIE, "es")
    console = staff.get("/staff/").get_data(as_text=True)
    assert (
        "1. Afiliado y necesidades" in console and "Guardar el resultado de la llamada" in console
    )
