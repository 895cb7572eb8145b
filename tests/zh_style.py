"""The project's rule for Chinese text, shared by the tests that walk Chinese strings."""

import re

CJK = "[\u4e00-\u9fff]"


def assert_chinese_style(zh: str) -> None:
    """Full-width punctuation beside Chinese (no ``,`` ``:`` ``(`` … against a Chinese
    character), and a space between Chinese and Latin letters or digits."""
    assert not re.search(rf"{CJK}[,:;!?()]|[,:;!?()]{CJK}", zh), zh
    assert not re.search(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9]{CJK}", zh), zh
    # A name put in by a placeholder (a table called "DA 项目") gets quotes, not a glued start.
    assert not re.search(rf"{CJK}\{{(sheet|book|name)\}}", zh), zh


def has_chinese(text: str) -> bool:
    return re.search(CJK, text) is not None
