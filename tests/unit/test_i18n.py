import string

import pytest

from pmweek.i18n import LANGS, detect_lang, messages, set_lang, t, tr
from tests.zh_style import assert_chinese_style


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _forms(text) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


@pytest.mark.parametrize("key", sorted(messages("en")))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key):
    en, zh = messages("en")[key], messages("zh").get(key)
    assert zh is not None
    for form in (*_forms(en), *_forms(zh)):
        assert form.strip() and _fields(form) == _fields(_forms(en)[0])


def test_every_language_has_the_same_keys():
    assert LANGS[0] == "en" and "zh" in LANGS
    assert all(set(messages(lang)) == set(messages("en")) for lang in LANGS)


def test_counts_take_their_plural_form():
    assert t("cli.imported", count=1, path="a.csv") == "imported 1 row from a.csv"
    assert t("cli.imported", count=2, path="a.csv") == "imported 2 rows from a.csv"
    assert tr("zh", "cli.imported", count=2, path="a.csv") == tr("zh", "cli.imported", count=1, path="a.csv").replace(
        "1", "2")


def test_one_process_prints_either_language():
    set_lang("en")
    assert (tr("zh", "day.1"), t("day.1"), tr("en", "day.1")) == ("周一", "Mon", "Mon")


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


@pytest.mark.parametrize("key", sorted(set(messages("zh")) - EXACT_ZH))
def test_chinese_uses_full_width_punctuation_and_one_spacing_rule(key):
    """Full-width punctuation beside Chinese and one spacing rule, in every string."""
    for form in _forms(messages("zh")[key]):
        assert_chinese_style(form)


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_is_the_po_file(lang):
    """What pmweek reads (the .mo) says what the translator wrote (the .po): after
    editing a .po, compile it with pybabel compile -d pmweek/locale -D pmweek."""
    from babel.messages.pofile import read_po

    from pmweek.i18n import LOCALE

    with open(LOCALE / lang / "LC_MESSAGES" / "pmweek.po", "rb") as f:
        written = read_po(f, locale=lang)
    expected = {}
    for message in written:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        expected[key] = tuple(message.string) if isinstance(message.id, tuple) else message.string
    assert messages(lang) == expected


def test_argparse_s_compiled_catalogues_are_their_po_files():
    """argparse's words beside ours (locale/<lang>/LC_MESSAGES/messages.po): the .mo
    gettext reads says what the .po says."""
    import gettext

    from babel.messages.pofile import read_po

    from pmweek.i18n import LOCALE

    found = sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))
    assert found
    for po in found:
        with open(po, "rb") as f:
            written = read_po(f)
        with open(po.with_suffix(".mo"), "rb") as f:
            compiled = gettext.GNUTranslations(f)
        for message in written:
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                assert compiled.ngettext(*message.id, 2) == message.string[-1], message.id
            else:
                assert compiled.gettext(message.id) == message.string, message.id


def _declared_words() -> set[str]:
    """Every word key a declaration implies: a document kind's name, title, sections and
    empty section; each line kind's date and owner words; a record kind's fields and
    choices; a goal metric's name; a weekly reader's figures."""
    from pmweek.domain.documents import KINDS
    from pmweek.domain.documents.weekly import METRICS as FIGURES
    from pmweek.domain.sheets import SHEETS

    keys: set[str] = set()
    for kind in KINDS.values():
        keys |= kind.word_keys
    for sheet in SHEETS.values():
        keys.add(sheet.label_key)
        for f in sheet.fields:
            keys.add(f.label_key)
            keys |= {f.word_key(v) for v in (*f.choices, *f.known)}
    keys |= {f"weekly.metric.{m}" for m in FIGURES}
    return keys


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_word_a_declaration_names_is_in_the_catalogue(lang):
    """A section, a field or a choice added to a declaration without its words fails
    here, not on a PM's screen."""
    missing = sorted(k for k in _declared_words() if k not in messages(lang))
    assert not missing, missing
