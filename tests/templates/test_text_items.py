"""Rich text: HTML removed, numbered lists split one item per number, nothing lost."""
import pytest

from budget_etl.parsers.normalise import chinese_number, split_numbered, strip_html, text_items


@pytest.mark.parametrize("raw, text", [
    ("<p>甲</p> <p>乙</p>", "甲\n乙"),
    ("<P class='x'>甲&amp;乙</P>", "甲&乙"),
    ("甲<br/>乙<br>丙", "甲\n乙\n丙"),
    ("<div><span>甲</span>&nbsp;乙</div>", "甲 乙"),
    ("no markup here", "no markup here"),
])
def test_html_is_removed(raw, text):
    assert strip_html(raw) == text


@pytest.mark.parametrize("text, items", [
    ("导语：（一）甲；（二）乙。", ["导语：", "（一）甲；", "（二）乙。"]),
    ("一、甲；二、乙；三、丙。", ["一、甲；", "二、乙；", "三、丙。"]),
    ("①甲②乙", ["①甲", "②乙"]),
    ("1.甲 2.乙 3.丙", ["1.甲", "2.乙", "3.丙"]),
    ("(1)甲(2)乙", ["(1)甲", "(2)乙"]),
    ("（一）甲（九）乙（十）丙", ["（一）甲（九）乙（十）丙"]),  # numbers must run in order: no （二）, no list
    ("协助县（市、区）党委（一）甲（二）乙", ["协助县（市、区）党委", "（一）甲", "（二）乙"]),
    ("一、总则（一）甲（二）乙二、分则", ["一、总则（一）甲（二）乙", "二、分则"]),  # the outer list splits
    ("预算为1.5万元，只有一项", ["预算为1.5万元，只有一项"]),
    ("（一）只有一项", ["（一）只有一项"]),
    ("", []),
])
def test_numbered_lists_split_one_item_per_number(text, items):
    assert split_numbered(text) == items


def test_every_character_is_kept():
    raw = "<p>导语：</p><p>（一）甲，县（市）；</p><p>（二）乙。（三）丙。</p>"
    items = text_items(raw)
    assert items == ["导语：", "（一）甲，县（市）；", "（二）乙。", "（三）丙。"]
    assert "".join(items) == strip_html(raw).replace("\n", "")


@pytest.mark.parametrize("text, number", [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20),
                                          ("二十三", 23), ("零", None), ("", None)])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number
