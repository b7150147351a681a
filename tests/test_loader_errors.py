"""Bad input gives errors that name the file, row, field, bad value and what was expected."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from chainkg.settings import BUNDLED_DATA
from graph.errors import DataValidationError
from loaders.folder import load_folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "ds"
    shutil.copytree(BUNDLED_DATA, target)
    return target


def append(path: Path, line: str) -> int:
    """Append a row; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def issues_of(folder: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_folder(folder)
    return [str(i) for i in info.value.issues]


def test_unknown_segment_reference(data):
    row = append(data / "operates_in.csv", "catl-jiangsu,nev-no-such-segment,member,,reply-2022-56,sourced,")
    assert (
        f"operates_in.csv, row {row}, field 'segment_id': got 'nev-no-such-segment'; expected the id of a Segment"
        in issues_of(data)[0]
    )


def test_unknown_cluster_on_a_segment(data):
    row = append(data / "segments.csv", "x-seg,no-cluster,某环节,,upstream,,,reply-2022-56,sourced,")
    msgs = issues_of(data)
    assert any(f"segments.csv, row {row}, field 'cluster_id': got 'no-cluster'" in m for m in msgs)


def test_duplicate_id_names_the_first_row(data):
    row = append(data / "districts.csv", "wujin,武进区,Wujin,,s52-xiaojuren-2022-08,sourced,")
    msg = issues_of(data)[0]
    assert f"districts.csv, row {row}, field 'id': got 'wujin'" in msg
    assert "already used in districts.csv, row" in msg


def test_missing_sources(data):
    row = append(data / "firms.csv", "new-firm,新公司,,,true,wujin,,,,,,sourced,")
    msg = issues_of(data)[0]
    assert f"firms.csv, row {row}, field 'sources'" in msg and "at least one source id" in msg


def test_unknown_source_id(data):
    row = append(data / "supplies.csv", "nev-battery-materials,nev-recycling,no-such-source,sourced,")
    msg = issues_of(data)[0]
    assert (
        f"supplies.csv, row {row}, field 'sources': got 'no-such-source'; expected the id of a row in sources.csv"
        in msg
    )


def test_bad_position_enum(data):
    row = append(data / "segments.csv", "nev-x,nev,某环节,,middle,,,reply-2022-56,sourced,")
    assert (
        f"segments.csv, row {row}, field 'position': got 'middle'; expected one of upstream, midstream"
        in issues_of(data)[0]
    )


def test_bad_role_enum(data):
    row = append(data / "operates_in.csv", "xingyu,nev-vehicle,leader,,reply-2022-56,sourced,")
    assert (
        f"operates_in.csv, row {row}, field 'role': got 'leader'; expected one of anchor, major, member"
        in issues_of(data)[0]
    )


def test_bad_confidence_enum(data):
    row = append(data / "supplies.csv", "nev-battery-materials,nev-recycling,reply-2022-56,maybe,")
    assert (
        f"supplies.csv, row {row}, field 'confidence': got 'maybe'; expected one of sourced, unverified"
        in issues_of(data)[0]
    )


def test_bad_boolean(data):
    row = append(data / "firms.csv", "new-firm,新公司,,,perhaps,wujin,,,,,reply-2022-56,sourced,")
    assert f"firms.csv, row {row}, field 'is_local': got 'perhaps'; expected true or false" in issues_of(data)[0]


def test_bad_id(data):
    row = append(data / "firms.csv", "New Firm,新公司,,,true,wujin,,,,,reply-2022-56,sourced,")
    assert f"firms.csv, row {row}, field 'id': got 'New Firm'; expected a lower-case ASCII id" in issues_of(data)[0]


def test_bad_year_number(data):
    row = append(data / "cluster_figures.csv", "nev,twenty,output,1,亿元,=,full-year,reply-2022-56,sourced,")
    assert f"cluster_figures.csv, row {row}, field 'year': got 'twenty'; expected a whole number" in issues_of(data)[0]


def test_bad_figure_value(data):
    row = append(data / "cluster_figures.csv", "nev,2022,output,一千,亿元,=,full-year,reply-2022-56,sourced,")
    assert f"cluster_figures.csv, row {row}, field 'value': got '一千'; expected a number" in issues_of(data)[0]


def test_missing_required_column(data):
    (data / "supplies.csv").write_text("source,sources\nnev-battery-cell,reply-2022-56\n", encoding="utf-8")
    msg = issues_of(data)[0]
    assert "supplies.csv, row 1, field 'target'" in msg and "expected columns source, target, sources" in msg


def test_gbk_and_utf16_copies_of_bundled_tables_load_as_the_utf8_originals(data):
    expected = load_folder(data)
    firms = (data / "firms.b.csv").read_text(encoding="utf-8")
    (data / "firms.b.csv").write_bytes(firms.encode("gbk"))  # Excel "CSV" on Chinese Windows
    outside = (data / "firms.outside-d.csv").read_text(encoding="utf-8")  # has Ü, not in GBK
    (data / "firms.outside-d.csv").write_bytes(outside.encode("utf-16"))
    with (data / "segments.nev.csv").open(encoding="utf-8", newline="") as f:
        segments = list(csv.reader(f))
    tabbed = io.StringIO(newline="")
    csv.writer(tabbed, delimiter="\t", lineterminator="\r\n").writerows(segments)  # Excel "Unicode text"
    (data / "segments.nev.csv").write_bytes(tabbed.getvalue().encode("utf-16"))
    loaded = load_folder(data)
    assert loaded.nodes == expected.nodes and loaded.edges == expected.edges


def test_not_in_a_supported_encoding(data):
    (data / "districts.csv").write_bytes("id,name_zh,sources\nwj,Wüjin,s1\n".encode("latin-1"))
    msg = issues_of(data)[0]
    assert "districts.csv, row 2, field 'name_zh': got 'W\ufffdjin'" in msg
    assert "expected text in UTF-8, UTF-8 with BOM or GB18030/GBK" in msg and "byte 0xFC is not UTF-8" in msg


def test_edge_to_wrong_kind(data):
    row = append(data / "operates_in.csv", "catl-jiangsu,nev,member,,reply-2022-56,sourced,")
    assert (
        f"operates_in.csv, row {row}, field 'segment_id': got 'nev'; expected the id of a Segment" in issues_of(data)[0]
    )


def test_duplicate_edge(data):
    row = append(data / "supplies.csv", "nev-battery-cell,nev-vehicle,reply-2022-56,sourced,")
    assert f"supplies.csv, row {row}" in issues_of(data)[0] and "a link not given before" in issues_of(data)[0]


def test_bad_firm_link_kind(data):
    row = append(data / "firm_links.csv", "OWNS,catl-jiangsu,catl,,s20-kjj-2024-02,sourced,")
    assert (
        f"firm_links.csv, row {row}, field 'kind': got 'OWNS'; expected SUBSIDIARY_OF or SUPPLIES_TO"
        in issues_of(data)[0]
    )


def test_all_errors_are_reported_together(data):
    append(data / "segments.csv", "nev-x,nev,某环节,,middle,,,reply-2022-56,sourced,")
    append(data / "firms.csv", "new-firm,新公司,,,perhaps,wujin,,,,,reply-2022-56,sourced,")
    append(data / "supplies.csv", "nev-battery-cell,ghost,reply-2022-56,sourced,")
    assert len(issues_of(data)) >= 3


def test_not_a_folder(tmp_path):
    with pytest.raises(DataValidationError, match="a dataset folder"):
        load_folder(tmp_path / "missing")


def test_bundled_data_loads_fast():
    import time

    started = time.perf_counter()
    ds = load_folder(BUNDLED_DATA)
    assert ds.problems() == []
    # Not a timing target (those live in bench/); a sanity bound that would catch a pathology.
    assert time.perf_counter() - started < 5
