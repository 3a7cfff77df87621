"""Department (and project) names are normalised so one department is one identity."""
import pytest

from budget_etl.warehouse import normalise_department_name, normalise_name


@pytest.mark.parametrize("spelling", [
    "苏州市总工会（本级）",
    "苏州市总工会(本级)",
    " 苏州市总工会（本级） ",
    "苏州市总工会 （本级）",
    "苏州市总工会\u3000(本级)",
    "苏州市 总工会（ 本级 ）",
    "\ufeff苏州市总工会（本级）\u00a0",
    "苏州市总工会（本级)",
])
def test_spellings_of_one_department_normalise_to_one_name(spelling):
    assert normalise_department_name(spelling) == "苏州市总工会（本级）"


@pytest.mark.parametrize("raw, expected", [
    ("Suzhou  Trade\u3000Union", "Suzhou Trade Union"),   # spaces between Latin words are kept, once
    ("ＡＢＣ局", "ABC局"),                                   # full-width Latin folds to ASCII
    ("苏州市教育局", "苏州市教育局"),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_other_names(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("a, b", [("苏州市总工会", "苏州市教育局"), ("某局（本级）", "某局")])
def test_different_departments_stay_different(a, b):
    assert normalise_name(a) != normalise_name(b)


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u00ad", "\u202e", "\ufeff", "\u2060", "\u200e",
                                       "\u200b\u200d\u00ad"])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_invisible_characters_do_not_split_a_name(invisible, where):
    """Issue 11, point 8: copy-paste leaves format characters (Unicode Cf) nobody sees."""
    name = "苏州市总工会（本级）"
    spelt = {"start": invisible + name, "middle": name[:3] + invisible + name[3:], "end": name + invisible}[where]
    assert normalise_name(spelt) == name


def test_an_invisible_character_between_latin_words_joins_them_as_they_look():
    assert normalise_name("Trade\u200bUnion") == "TradeUnion" == normalise_name("TradeUnion")
