"""Pinyin for search: both forms come from one conversion (common/text.py)."""

import random

from pypinyin import Style, lazy_pinyin

from sifa.common.text import pinyin_full, pinyin_initials


def _initials_by_first_letter_style(text: str) -> str:
    """What pinyin_initials was: pypinyin's own first-letter style."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in parts if p and p[0].isalnum()).lower()[:64]


TRICKY = ["张三", "ABC公司", "重庆长安汽车", "单于", "曾某", "银行行长", "乐乐", "朝阳区", "123号", "王  五"]
TRICKY += ["a.b-c 有限公司", "覃", "长孙无忌", "李·约翰", "〇一二", "𠀀字"]


def test_initials_are_the_first_letter_style():
    rng = random.Random(19)
    han = [chr(c) for c in range(0x4E00, 0x9FA5)]
    names = TRICKY + ["".join(rng.choice(han) for _ in range(rng.randint(1, 6))) + rng.choice(["", "ABC", "12", " 公司"]) for _ in range(3000)]
    assert [pinyin_initials(n) for n in names] == [_initials_by_first_letter_style(n) for n in names]


def test_the_forms():
    assert (pinyin_initials("张三"), pinyin_full("张三")) == ("zs", "zhangsan")
    assert (pinyin_initials("重庆ABC公司"), pinyin_full("重庆ABC公司")) == ("cqags", "chongqingabcgongsi")
    assert pinyin_initials("") == pinyin_full("") == ""
