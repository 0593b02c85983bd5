"""Every string the console shows has its zh-CN translation: a page never falls back to English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

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


def test_no_two_areas_translate_one_string_differently() -> None:
    # the areas' catalogues are merged into one, so a string two areas translate differently would show one
    # area's wording on the other's page (the volunteer's 办理情况 became 践诺情况 once)
    chosen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in sorted(CONSOLE.glob("locale/zh_CN/LC_MESSAGES/*.po")) + sorted(
        CONSOLE.glob("*/locale/zh_CN/LC_MESSAGES/*.po")
    ):
        with po.open("rb") as source:
            for message in read_po(source, locale="zh_CN"):
                if not (message.id and message.string):
                    continue
                area = po.parents[3].name
                first = chosen.setdefault(str(message.id), (str(message.string), area))
                if first[0] != message.string:
                    clashes.append(f"{message.id!r}: {first[1]} {first[0]} / {area} {message.string}")
    assert clashes == []
