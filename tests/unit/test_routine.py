from collections import Counter

import pytest

from pmweek.domain.routine import (
    clean_points,
    clean_title,
    parse_template,
    shipped_template,
)
from pmweek.errors import InputError


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shipped_template_has_the_routine_of_the_product(lang):
    items = shipped_template(lang)
    # PRODUCT.md §1: 11 Monday items, the same 2 on Tuesday and Wednesday (one item over
    # both days each), 3 Thursday, 1 Friday.
    assert Counter(i.day for i in items) == {1: 11, 2: 2, 4: 3, 5: 1}
    assert [i.until for i in items if i.day == 2] == [3, 3]
    tables = {i.key: i.table for i in items if i.table}
    assert tables == {
        "mon-opportunities-churn": "opportunities",
        "mon-operations": "campaigns",
        "mon-da-deals": "deals",
        "mon-competitors": "insights",
        "mon-community": "insights",
        "mon-partners": "requests",
        "thu-tickets": "tickets",
        "thu-revenue": "revenue",
        "thu-plan-draft": "plan",
        "fri-cross-team": "report",
    }
    assert items[0].key == "mon-review-plan"
    assert all(i.title.strip() for i in items)
    # Most items carry the sub-points the source lists.
    assert sum(1 for i in items if i.points) >= 14


def test_both_languages_have_the_same_items_in_the_same_order():
    en, zh = shipped_template("en"), shipped_template("zh")
    assert [(i.day, i.key, i.table, len(i.points)) for i in en] == [
        (i.day, i.key, i.table, len(i.points)) for i in zh
    ]
    assert en[0].title != zh[0].title
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh[0].title)


def test_positions_count_within_each_day():
    items = parse_template(
        b'[[item]]\nday="mon"\ntitle="a"\n[[item]]\nday="tue"\ntitle="b"\n[[item]]\nday="mon"\ntitle="c"\n'
    )
    assert [(i.day, i.position, i.title) for i in items] == [(1, 0, "a"), (2, 0, "b"), (1, 1, "c")]


def test_a_weekend_or_unknown_table_in_a_template_is_refused():
    with pytest.raises(ValueError):
        parse_template(b'[[item]]\nday="sat"\ntitle="x"\n')
    with pytest.raises(ValueError):
        parse_template(b'[[item]]\nday="mon"\ntitle="x"\ntable="nope"\n')


def test_titles_are_one_trimmed_line_and_never_empty():
    assert clean_title("  Weekly\n sync  ") == "Weekly sync"
    with pytest.raises(InputError):
        clean_title(" \n\t")
    with pytest.raises(InputError):
        clean_title("x" * 501)


def test_points_are_one_per_line_blank_lines_dropped():
    assert clean_points("a\n\n  b  c \n") == ("a", "b c")
