import string

import pytest

from pmweek.i18n import MESSAGES, detect_lang, set_lang, t
from tests.zh_style import assert_chinese_style


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    en, zh = MESSAGES[key]
    assert en.strip() and zh.strip()
    assert _fields(en) == _fields(zh)


def test_t_uses_the_current_language():
    set_lang("zh")
    assert t("day.1") == "周一"
    set_lang("en")
    assert t("error.file_exists", path="x.md").startswith("x.md already exists")


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_comes_from_the_locale(env, lang):
    assert detect_lang(env) == lang


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        set_lang("fr")


# Chinese text as the source's tables write it, kept exactly (PRODUCT.md §2), and
# official holiday names.
EXACT_ZH = {"field.valuable", "field.actions", "holiday.cn.anti_fascist_70th_day"}


@pytest.mark.parametrize("key", sorted(set(MESSAGES) - EXACT_ZH))
def test_chinese_uses_full_width_punctuation_and_one_spacing_rule(key):
    """Full-width punctuation beside Chinese and one spacing rule, in every string."""
    assert_chinese_style(MESSAGES[key][1])
