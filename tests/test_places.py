"""The English names of firms' headquarters (``queries/place_names.csv``): complete, used, shown with ``--lang en``.

Every ``hq`` of the bundled data has an English name or is listed in :data:`NOT_PLACES`; the glossary
holds nothing else; a district is spelled as ``districts.csv`` spells it; the CLI prints the English
with ``--lang en`` and the API answers it as ``hq_en`` beside the unchanged ``hq``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.text_table import display_width
from graph.dataset import Dataset
from graph.model import NodeKind
from queries.places import PLACE_NAMES, place_en, place_names, read_place_names
from tests.test_cli_lang import CJK, header_lines

NOT_PLACES: dict[str, str] = {}
"""``hq`` values of the bundled data that are not place names, each with why: they keep their Chinese."""

DISTRICT_FORMS = {"天宁": "tianning", "新北": "xinbei", "武进": "wujin", "金坛": "jintan", "溧阳": "liyang"}
"""``hq`` values that name a district of Changzhou by its short name (天宁区 → 天宁), with the district's id."""
ZONE_FORMS = {"常州经开区": "jingkai", "常州国家高新区": "xinbei"}
"""``hq`` values that name a zone ``districts.csv`` names in English (the zone is in the parenthesis for xinbei)."""


def hq_values(dataset: Dataset) -> set[str]:
    """Every non-empty ``hq`` of the firms of ``dataset``."""
    return {firm.hq for firm in dataset.of_kind(NodeKind.FIRM) if firm.hq}  # type: ignore[attr-defined]


def district_names(dataset: Dataset) -> dict[str, str]:
    """District id → its ``name_en``."""
    return {d.id: d.name_en for d in dataset.of_kind(NodeKind.DISTRICT)}


def test_every_hq_of_the_bundled_data_has_an_english_name_or_is_not_a_place(bundled):
    values = hq_values(bundled)
    assert len(values) > 100  # the glossary is checked against the real data, not an empty set
    missing = sorted(v for v in values if place_en(v) is None and v not in NOT_PLACES)
    assert not missing, f"add them to {PLACE_NAMES.name} (or to NOT_PLACES, with why): {missing}"
    named_anyway = sorted(v for v in NOT_PLACES if place_en(v) is not None)
    assert not named_anyway, f"in NOT_PLACES and named in {PLACE_NAMES.name}: {named_anyway}"
    assert set(NOT_PLACES) <= values, f"NOT_PLACES lists values no firm has: {sorted(set(NOT_PLACES) - values)}"


def test_the_glossary_has_no_row_no_firm_uses(bundled):
    unused = sorted(set(place_names()) - hq_values(bundled))
    assert not unused, f"{PLACE_NAMES.name}: rows no firm's hq uses: {unused}"


def test_a_value_in_latin_letters_is_its_own_english_and_is_not_in_the_glossary(bundled):
    latin = {v for v in hq_values(bundled) if not CJK.search(v)}
    assert latin  # the bundled data has one (Jessup, Maryland)
    for value in latin:
        assert place_en(value) == value
    assert not latin & set(place_names())


def test_a_district_is_spelled_as_districts_csv_spells_it(bundled):
    english = district_names(bundled)
    for value, district_id in DISTRICT_FORMS.items():
        assert place_en(value) == english[district_id].split(" (")[0], value
    assert place_en("常州经开区") == english["jingkai"]
    assert f"({place_en('常州国家高新区')})" in english["xinbei"]
    assert set(DISTRICT_FORMS) | set(ZONE_FORMS) <= set(place_names())


def test_every_english_name_is_written_in_latin_letters():
    for zh, en in place_names().items():
        assert en.isascii() and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.'()-]*", en), (zh, en)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("name,english\n长春,Changchun\n", "header ['name', 'english'], expected ['name_zh', 'name_en']"),
        ("name_zh,name_en\n长春,\n", "row 2: name_en '', expected a name without padding"),
        ("name_zh,name_en\n长春 ,Changchun\n", "row 2: name_zh '长春 ', expected a name without padding"),
        ("name_zh,name_en\n长春,长春\n", "row 2: name_en '长春', expected an English name"),
        ("name_zh,name_en\n长春,Changchun\n长春,Chang-chun\n", "row 3: name_zh '长春', already given"),
    ],
)
def test_a_bad_glossary_is_refused_naming_the_row_and_the_value(tmp_path: Path, text, error):
    path = tmp_path / "place_names.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_place_names(path)
    assert str(path) in str(info.value) and error in str(info.value)


def cell(line: str, start: int, end: int) -> str:
    """The text of ``line`` between the terminal columns ``start`` and ``end`` (a CJK character takes two)."""
    out, at = [], 0
    for char in line:
        if start <= at < end:
            out.append(char)
        at += display_width(char)
    return "".join(out).strip()


def column(text: str, name: str) -> list[str]:
    """The cells of the column ``name`` in the first table of ``text``, one per numbered row."""
    lines = text.splitlines()
    header = header_lines(text)[0]
    rule = lines[lines.index(header) + 1]
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    start, end = next(span for span in spans if cell(header, *span) == name)  # display columns: 总部 takes four
    rows = [line for line in lines[lines.index(header) + 2 :] if re.match(r"^ *\d+=? ", line)]
    return [cell(row, start, end) for row in rows]


def test_targets_in_english_show_every_hq_in_english(capsys):
    assert main(["targets", "nev", "--lang", "en"]) == 0
    english = column(capsys.readouterr().out, "hq")
    assert "Eindhoven, Netherlands" in english and "Changchun" in english
    assert not [cell for cell in english if CJK.search(cell)]
    assert main(["targets", "nev"]) == 0
    assert "荷兰埃因霍温" in column(capsys.readouterr().out, "总部 hq")  # the default keeps the data's Chinese


def test_candidates_and_firm_in_english_show_the_hq_in_english(capsys):
    assert main(["candidates", "nev-lithium-resources", "--lang", "en"]) == 0
    assert {"Xinyu", "Chengdu, Sichuan"} <= set(column(capsys.readouterr().out, "hq"))
    assert main(["firm", "catl-jiangsu", "--lang", "en"]) == 0
    assert "  hq            Liyang" in capsys.readouterr().out.splitlines()


def test_the_api_answers_hq_en_beside_the_unchanged_hq(api_client):
    firm = api_client.get("/api/v1/firms/catl-jiangsu").json()
    assert (firm["hq"], firm["hq_en"]) == ("溧阳", "Liyang")
    items = api_client.get("/api/v1/clusters/nev/targets").json()["items"]
    assert {(t["hq"], t["hq_en"]) for t in items if t["firm_id"] == "nxp"} == {
        ("荷兰埃因霍温", "Eindhoven, Netherlands")
    }
    for item in api_client.get("/api/v1/segments/nev-lithium-resources/candidates").json()["items"]:
        assert item["hq_en"] == place_en(item["hq"]) and item["hq_en"]
