"""A translator adds a language with a catalogue and nothing else."""

import shutil

from pmweek import i18n


def test_a_language_added_as_a_catalogue_is_offered_and_read(tmp_path, monkeypatch):
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE, locale)
    with open(locale / "en" / "LC_MESSAGES" / "pmweek.po", "rb") as f:
        catalogue = read_po(f, locale="fr")
    catalogue.locale = "fr"
    catalogue.get("day.1").string = "lun."
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with open(locale / "fr" / "LC_MESSAGES" / "pmweek.mo", "wb") as f:
        write_mo(f, catalogue)
    monkeypatch.setattr(i18n, "LOCALE", locale)
    monkeypatch.setattr(i18n, "_catalogues", {})
    monkeypatch.setattr(i18n, "LANGS", i18n._languages())
    assert i18n.LANGS == ("en", "fr", "zh")
    assert i18n.tr("fr", "day.1") == "lun." and i18n.tr("fr", "day.2") == "Tue"
    assert i18n.tr("fr", "cli.imported", count=2, path="a") == "imported 2 rows from a"
    assert i18n.detect_lang({"LANG": "fr_FR.UTF-8"}) == "fr"


def test_a_language_without_a_routine_gets_the_english_one():
    from pmweek.domain.documents.readers import shipped_readers
    from pmweek.domain.routine import shipped_template

    assert shipped_template("fr") == shipped_template("en")
    assert shipped_readers("fr") == shipped_readers("en")


def test_a_damaged_catalogue_reads_in_english(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE, locale)
    mo = locale / "zh" / "LC_MESSAGES" / "pmweek.mo"
    mo.write_bytes(mo.read_bytes()[:100])  # cut short
    monkeypatch.setattr(i18n, "LOCALE", locale)
    monkeypatch.setattr(i18n, "_catalogues", {})
    assert i18n.tr("zh", "day.1") == "Mon"


def test_a_catalogue_cut_short_or_not_one_is_refused_not_read_blank():
    import pytest

    data = (i18n.LOCALE / "zh" / "LC_MESSAGES" / "pmweek.mo").read_bytes()
    for damaged in (data[:30000], b"garbage!" * 4, b"", data[:20]):
        with pytest.raises(ValueError):
            i18n.read_mo(damaged)
