"""Chinese renderings of the loaders' "expected ..." phrases.

Every :class:`~graph.errors.DataIssue` says what was expected in English; the
loaders fill ``expected_zh`` with :func:`zh` so that each error can be shown
in Chinese too. Phrases are matched by pattern; an unknown phrase is kept in
English after a Chinese lead-in, so nothing is ever lost.

Examples
--------
>>> zh("one of anchor, major, member")
'以下之一：anchor, major, member'
>>> zh("a unique id (already used in firms.csv, row 4)")
'唯一的编号（已在 firms.csv 第 4 行使用）'
>>> zh("something new")
'（英文说明）something new'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from graph.errors import DataIssue

KIND_ZH = {
    "Cluster": "集群",
    "Segment": "产业链环节",
    "Firm": "企业",
    "District": "区县/园区",
    "Source": "来源",
    "Project": "重大项目",
    "Policy": "政策",
    "Tier": "梯度称号",
    "Platform": "智改数转平台",
}
"""Node kinds in Chinese, as the loaders' messages and the API's ``detail_zh`` name them."""

_EXACT = {
    "a whole number": "整数",
    "a number, e.g. 1300 or 0.94": "数字，如 1300 或 0.94",
    "true or false": "true 或 false（也可写 是/否）",
    "a lower-case ASCII id: letters, digits, '.', '_' or '-'": "小写 ASCII 编号：字母、数字、'.'、'_' 或 '-'",
    "at least one source id (or confidence 'unverified')": "至少一个来源编号（或把 confidence 设为 unverified）",
    "an address (url) or a document number (doc_no)": "网址（url）或文号（doc_no）",
    "UTF-8 text": "UTF-8 编码的文本",
    "SUBSIDIARY_OF or SUPPLIES_TO": "SUBSIDIARY_OF（子公司→母公司）或 SUPPLIES_TO（供应商→客户）",
    "a dataset folder": "数据集文件夹",
    "String should have at least 1 character": "非空文本",
    "dates are YYYY, YYYY-MM or YYYY-MM-DD": "日期文本：YYYY、YYYY-MM 或 YYYY-MM-DD",
    "an edge cannot join a node to itself": "两端不同的关系（不能指向自身）",
    "OPERATES_IN edges need a role: anchor, major or member": "角色 role：anchor、major 或 member",
    "a 'sourced' fact needs at least one source id; mark it 'unverified' otherwise": (
        "标为 sourced 的事实至少需要一个来源编号；否则请标为 unverified"
    ),
    "ids are lower-case ASCII letters, digits, '.', '_' or '-', starting with a letter or digit": (
        "编号为小写 ASCII 字母、数字、'.'、'_' 或 '-'，以字母或数字开头"
    ),
}


def _kind(name: str) -> str:
    return f"{name}（{KIND_ZH[name]}）" if name in KIND_ZH else name


_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^one of the columns (.+)$"), lambda m: f"以下列之一：{m[1]}"),
    (re.compile(r"^one of (.+)$"), lambda m: f"以下之一：{m[1]}"),
    (re.compile(r"^columns (.+)$"), lambda m: f"必需的列 {m[1]}"),
    (re.compile(r"^at most (\d+) cells$"), lambda m: f"至多 {m[1]} 个单元格（与表头列数相同）"),
    (
        re.compile(r"^a unique id \(already used in (.+), row (\d+)\)$"),
        lambda m: f"唯一的编号（已在 {m[1]} 第 {m[2]} 行使用）",
    ),
    (
        re.compile(r"^a link not given before \(same (\S+) in (.+), row (\d+)\)$"),
        lambda m: f"未重复给出的关系（同一 {m[1]} 已在 {m[2]} 第 {m[3]} 行给出）",
    ),
    (
        re.compile(r"^one row per cluster and list \(also at row (\d+)\)$"),
        lambda m: f"每个集群每版名单一行（第 {m[1]} 行已有）",
    ),
    (re.compile(r"^the id of a row in (\S+)$"), lambda m: f"{m[1]} 中某一行的编号"),
    (re.compile(r"^the id of a (\w+) \((.+)\)$"), lambda m: f"某个{_kind(m[1])}的编号（{m[2]}）"),
    (re.compile(r"^the id of an? (\w+)$"), lambda m: f"某个{_kind(m[1])}的编号"),
    (re.compile(r"^at least one of (.+)$"), lambda m: f"至少包含以下之一：{m[1]}"),
    (re.compile(r"^(\S+) edges take no role$"), lambda m: f"空的 role（{m[1]} 关系没有角色）"),
    (
        re.compile(r"^(\S+) edges take no batch \(only HOLDS_TIER does\)$"),
        lambda m: f"空的 batch（{m[1]} 关系没有批次）",
    ),
    (
        re.compile(r"^the id of a segment of the cluster (\S+) \((.+)\)$"),
        lambda m: f"集群 {m[1]} 某个环节的编号（{m[2]}）",
    ),
    (re.compile(r"^([A-Z_]+(?: or [A-Z_]+)+)$"), lambda m: m[1].replace(" or ", " 或 ")),
    (re.compile(r"^(?:Input should be )?greater than or equal to (\S+)$"), lambda m: f"不小于 {m[1]} 的数"),
    (re.compile(r"^(?:Input should be )?less than or equal to (\S+)$"), lambda m: f"不大于 {m[1]} 的数"),
    (re.compile(r"^(?:Input should be )?greater than (\S+)$"), lambda m: f"大于 {m[1]} 的数"),
    (re.compile(r"^(?:Input should be )?less than (\S+)$"), lambda m: f"小于 {m[1]} 的数"),
    (re.compile(r"^String should have at most (\d+) characters?$"), lambda m: f"至多 {m[1]} 个字符的文本"),
]


def zh(expected: str) -> str:
    """Return the Chinese rendering of an English ``expected`` phrase.

    >>> zh("a whole number"), zh("greater than or equal to 0"), zh("Input should be less than or equal to 100")
    ('整数', '不小于 0 的数', '不大于 100 的数')
    >>> zh("something new")
    '（英文说明）something new'
    """
    if expected in _EXACT:
        return _EXACT[expected]
    for pattern, render in _PATTERNS:
        match = pattern.match(expected)
        if match:
            return render(match)
    return f"（英文说明）{expected}"


@dataclass(frozen=True, eq=False)
class DescribedIssue(DataIssue):
    """A problem whose value describes what was found (``(no data rows)``), with that description in Chinese.

    :attr:`~graph.errors.DataIssue.message_zh` shows a value in parentheses as it is, so without
    ``found_zh`` the Chinese line would keep the English words. It compares, hashes and renders in
    English like a :class:`~graph.errors.DataIssue`.

    Attributes
    ----------
    found_zh : str
        What was found, in Chinese, without parentheses.

    Examples
    --------
    >>> issue = DescribedIssue("t.xlsx", 0, "(file)", "(no data rows)", "at least one data row",
    ...                        expected_zh="至少一行数据", found_zh="没有数据行")
    >>> print(issue)
    t.xlsx: no data rows; expected at least one data row
    >>> print(issue.message_zh)
    t.xlsx：没有数据行；应为 至少一行数据
    """

    found_zh: str = ""

    @property
    def message_zh(self) -> str:
        if not self.found_zh:
            return super().message_zh
        described = DataIssue(
            self.file, self.row, self.field, f"({self.found_zh})", self.expected, self.sheet, self.expected_zh
        )
        return described.message_zh
