"""Every string the console shows has its zh-CN translation: a page never falls back to English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

import services.console
from services.console.i18n import translations

CONSOLE = Path(services.console.__file__).parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def test_every_marked_string_has_a_chinese_translation() -> None:
    catalogue = translations("zh_CN")
    extracted = list(
        extract_from_dir(str(CONSOLE), METHODS, keywords={"_": None, "N_": None, "gettext": None}, options_map=OPTIONS)
    )
    assert len(extracted) > 50  # the templates and the Python marks were read
    untranslated = sorted(
        {f"{path}:{line}: {text!r}" for path, line, text, *_ in extracted if catalogue.gettext(text) == text}
    )
    assert untranslated == []


def test_the_catalogue_is_not_empty_and_an_unknown_locale_shows_source_strings() -> None:
    assert translations("zh_CN").gettext("Sign in") == "登录"
    assert translations("xx_XX").gettext("Sign in") == "Sign in"
