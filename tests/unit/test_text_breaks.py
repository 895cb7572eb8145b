"""Chinese line breaking for the screens: a number stays with its unit and the word
before it, a bracket with its word, a mark beside a line (its owner) whole."""

import pytest

from pmweek.domain.text import line_breaks


def _lines(text: str, width: int, tail: int | None = None) -> list[str]:
    cuts = [0, *line_breaks(text, width, tail), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


@pytest.mark.parametrize("width", range(24, 70))  # narrower than a bracketed date, a cut is forced
def test_a_number_never_leaves_its_unit_nor_a_bracket_its_word(width):
    text = "报表查询慢，发布延期 31 天（原计划 2026-11-05），上线 2026-11-30 之后再复盘"
    lines = _lines(text, width)
    assert "".join(lines) == text
    for line in lines:
        assert not line.startswith(("天", "）", "，", "2026")) or line == lines[0], (width, lines)
        assert not line.rstrip().endswith(("（", "延期 31", "上线")), (width, lines)
        assert sum(2 if ord(c) > 0x2E80 else 1 for c in line.rstrip()) <= width, (width, lines)


def test_a_mark_beside_a_line_is_kept_whole():
    text = "价值商机 2026-Q4：实际 80，目标 110 — 截至目前  负责人：韩梅梅"
    tail = text.index("  负责人")
    assert _lines(text, 60, tail) == ["价值商机 2026-Q4：实际 80，目标 110 — 截至目前  ", "负责人：韩梅梅"]


def test_english_breaks_at_spaces_and_a_word_too_long_is_cut():
    assert _lines("the quick brown fox", 10) == ["the quick ", "brown fox"]
    assert _lines("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_short_bracketed_aside_is_never_split():
    text = "等待中的 DA 项目：海岳银行、远航银行、天启物流、云帆零售（上线 2026-12-15）"
    for width in range(30, 60):
        assert not any(line.startswith(("线", "上线")) for line in _lines(text, width)[1:]), width
