"""Every Korean catalogue in the repository is complete and compiled: no message left empty or fuzzy (a fuzzy
message shows in English), and the compiled .mo says what the .po says (a stale .mo shows the old words)."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/ko/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings) or message.fuzzy


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_korean_catalogue_is_complete(po):
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale="ko")

    missing = [m.id for m in catalogue if m.id and _untranslated(m)]

    assert not missing, f"{len(missing)} message(s) without Korean: {missing[:10]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(po):
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale="ko")
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [m.id for m in catalogue
             if m.id and not isinstance(m.id, tuple) and m.string and not m.fuzzy
             and compiled.gettext(m.id if not m.context else f"{m.context}\x04{m.id}") != m.string]

    assert not stale, f"{len(stale)} message(s) differ in the .mo: recompile ({stale[:5]})"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_declares_korean_s_single_plural_form(po):
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in po.read_text(encoding="utf-8")
