"""The Vietnamese catalogue ships complete and compiled, and is the default language."""

import ast
import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation

from clusters.choices import WastewaterState

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def unquote(literal: str) -> str:
    return ast.literal_eval(literal)


def entries(po_text: str):
    """(msgid, [msgstr, …], flags) of every live entry of a .po file (header excluded)."""
    for block in po_text.split("\n\n"):
        fields: dict[str, str] = {}
        flags = ""
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key] += unquote(line)
            elif " " in line:
                key, literal = line.split(" ", 1)
                fields[key] = unquote(literal)
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_every_message_is_translated_and_none_is_fuzzy():
    found = list(entries((CATALOGUE / "django.po").read_text(encoding="utf-8")))
    assert len(found) > 400
    untranslated = [msgid for msgid, msgstrs, _ in found if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in found if "fuzzy" in flags]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_the_compiled_catalogue_is_in_step_with_the_source():
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstrs, _ in entries((CATALOGUE / "django.po").read_text(encoding="utf-8")):
        if len(msgstrs) == 1:
            assert compiled.gettext(msgid) == msgstrs[0], msgid


def test_vietnamese_is_the_default_and_english_is_available():
    assert settings.LANGUAGE_CODE == "vi"
    assert {code for code, _ in settings.LANGUAGES} == {"vi", "en"}
    with translation.override("vi"):
        assert str(WastewaterState.COMPLIANT.label) == "Đạt quy chuẩn"
    with translation.override("en"):
        assert str(WastewaterState.COMPLIANT.label) == "Compliant"
