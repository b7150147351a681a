"""Tell how a CSV file is encoded and decode it: UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 with BOM.

Excel in China saves "CSV" as GBK (a subset of GB18030); "CSV UTF-8" adds a
BOM; "Unicode text" is UTF-16 with a BOM and tabs between cells. The order of
tries is: a BOM; strict UTF-8; strict GB18030, accepted only when most of
its non-ASCII characters are common Chinese (GB2312), because nearly any
byte string decodes as GB18030 and a Latin-1 or Shift-JIS file would
otherwise turn into plausible-looking nonsense.

Both readers decode with :func:`decode_csv`: the import (:mod:`loaders.inputs`)
and dataset folders (:mod:`loaders.folder`, ``chainkg load``).

Examples
--------
>>> decode_csv("id,name_zh\\r\\nwj,武进区\\r\\n".encode("gbk")).encoding
'gb18030'
>>> decode_csv("\\ufeffid,name_zh\\nwj,武进区\\n".encode("utf-8")).encoding
'utf-8-sig'
>>> decode_csv("id,name_zh\\nwj,武进区\\n".encode("utf-8")).text.splitlines()[1]
'wj,武进区'
>>> try:
...     decode_csv("Müller,Café,Ärger über Öl\\n".encode("latin-1"))
... except EncodingProblem as err:
...     print(err.expected)
text in UTF-8, UTF-8 with BOM or GB18030/GBK (save the CSV as "CSV UTF-8")
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from loaders.csv_text import BAD_BYTE, CONTROL, describe_run

COMMON_CHINESE_SHARE = 0.8
"""The least share of non-ASCII characters that must be common Chinese for a GB18030 guess."""


@dataclass(frozen=True)
class Decoded:
    """A decoded CSV: its text, the encoding found and the cell delimiter."""

    text: str
    encoding: str
    delimiter: str = ","

    @property
    def is_utf8(self) -> bool:
        """Whether the file was UTF-8 (with or without a BOM)."""
        return self.encoding in ("utf-8", "utf-8-sig")

    @property
    def label(self) -> str:
        """The encoding as a person would name it, with the program that saves it so.

        >>> decode_csv("id\\tname_zh\\nwj\\t武进区\\n".encode("utf-16")).label
        'UTF-16 (Excel "Unicode text")'
        """
        return ENCODING_LABELS[self.encoding]

    @property
    def label_zh(self) -> str:
        """:attr:`label` in Chinese."""
        return ENCODING_LABELS_ZH[self.encoding]


ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "gb18030": 'GB18030/GBK (Excel "CSV" on Chinese Windows)',
    "utf-16": 'UTF-16 (Excel "Unicode text")',
}
"""How each encoding :func:`decode_csv` finds is named to a person."""

ENCODING_LABELS_ZH = {
    "utf-8": "UTF-8",
    "utf-8-sig": "带 BOM 的 UTF-8",
    "gb18030": "GB18030/GBK（中文 Excel 的“CSV”）",
    "utf-16": "UTF-16（Excel“Unicode 文本”）",
}


class EncodingProblem(ValueError):
    """The bytes are not text in a supported encoding.

    Attributes
    ----------
    where : str
        Where decoding failed, e.g. ``byte 17``.
    expected : str
        What was expected, in English.
    expected_zh : str
        The same in Chinese.
    text : str
        The file decoded as well as it goes: bytes that did not decode as
        ``U+DC00``-``U+DCFF`` (:func:`escaped`); empty when not known. With
        :attr:`pattern`, it locates the problem on its row and column
        (:func:`loaders.csv_text.locate_chars`).
    pattern : re.Pattern
        What to look for in :attr:`text`: a byte that did not decode or a control character.
    encoding : str
        The encoding the bad bytes are not in (``UTF-8``, ``GB18030``); empty for a control character.
    """

    def __init__(
        self,
        where: str,
        expected: str,
        expected_zh: str,
        *,
        text: str = "",
        pattern: re.Pattern[str] = BAD_BYTE,
        encoding: str = "",
    ) -> None:
        super().__init__(f"{where}: expected {expected}")
        self.where = where
        self.expected = expected
        self.expected_zh = expected_zh
        self.text = text
        self.pattern = pattern
        self.encoding = encoding

    def explain(self, run: str) -> tuple[str, str]:
        """What was expected, in English and Chinese, naming the bad bytes or character ``run``.

        >>> EncodingProblem("byte 3", "UTF-8 text", "UTF-8 文本", encoding="UTF-8").explain("\\udcc7")
        ('UTF-8 text; byte 0xC7 is not UTF-8', 'UTF-8 文本；字节 0xC7 不是有效的 UTF-8')
        """
        named = describe_run(run)
        if self.encoding:
            named_zh = named.replace("bytes", "字节").replace("byte", "字节")
            verb = "are" if named.startswith("bytes") else "is"
            return (
                f"{self.expected}; {named} {verb} not {self.encoding}",
                f"{self.expected_zh}；{named_zh} 不是有效的 {self.encoding}",
            )
        named_zh = named.replace("characters", "字符").replace("character", "字符")
        what = "are control characters" if named.startswith("characters") else "is a control character"
        return f"{self.expected}; {named} {what}", f"{self.expected_zh}；{named_zh} 是控制字符"


_EXPECTED = 'text in UTF-8, UTF-8 with BOM or GB18030/GBK (save the CSV as "CSV UTF-8")'
_EXPECTED_ZH = "UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK 编码的文本（请另存为“CSV UTF-8”）"
_BINARY = "text, not a binary file"
_BINARY_ZH = "文本文件，而不是二进制文件"


def _common_chinese_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 1.0
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common / len(wide)


def _check_text(text: str) -> None:
    match = CONTROL.search(text)
    if match:
        raise EncodingProblem(
            f"character {match.start()} (U+{ord(match.group()):04X})", _BINARY, _BINARY_ZH, text=text, pattern=CONTROL
        )


def _keep_bytes(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each byte that did not decode becomes ``U+DC00`` + its value.

    Like ``surrogateescape``, but for any byte: a UTF-16 unit that is a lone
    surrogate (``0x00 0xD8``) or a four-byte GB18030 sequence cut short at the
    end of the file (``0x81 0x30 0x81``) holds bytes under ``0x80``, on which
    ``surrogateescape`` itself fails.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(0xDC00 + b) for b in error.object[error.start : error.end]), error.end


KEEP_BYTES = "chainkg-keep-bytes"
"""The name :func:`_keep_bytes` is registered under (see :func:`codecs.register_error`)."""
codecs.register_error(KEEP_BYTES, _keep_bytes)


def escaped(data: bytes, encoding: str) -> str:
    """``data`` decoded with each byte that does not decode kept as ``U+DC00``-``U+DCFF`` (see :data:`BAD_BYTE`).

    >>> escaped(b"a\\xc7b", "utf-8"), escaped("甲\\ud800乙".encode("utf-16", "surrogatepass"), "utf-16")
    ('a\\udcc7b', '甲\\udc00\\udcd8乙')
    """
    return data.decode(encoding, KEEP_BYTES)


def guess_delimiter(text: str) -> str:
    """A tab when the first line has tabs and no comma (Excel's "Unicode text"), else a comma."""
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


def _bad_bytes(
    data: bytes, encoding: str, start: int, expected: str = _EXPECTED, expected_zh: str = _EXPECTED_ZH
) -> EncodingProblem:
    """The problem of ``data``, which is not ``encoding`` from byte ``start`` on."""
    name = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}[encoding]
    return EncodingProblem(f"byte {start}", expected, expected_zh, text=escaped(data, encoding), encoding=name)


def _gbk_until(data: bytes, start: int) -> bool:
    """Whether ``data`` reads as common Chinese in GB18030 up to byte ``start`` (a GBK file with one bad byte)."""
    before = data[:start].decode("gb18030", "replace")
    return any(ord(c) > 0x7F for c in before) and _common_chinese_share(before) >= COMMON_CHINESE_SHARE


def decode_csv(data: bytes) -> Decoded:
    """Decode the bytes of a CSV file.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    Decoded
        The text (without BOM), the encoding (``utf-8``, ``utf-8-sig``,
        ``gb18030`` or ``utf-16``) and the delimiter (``,``, or a tab for
        Excel's "Unicode text").

    Raises
    ------
    EncodingProblem
        When the bytes are binary or in another encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = ""
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _bad_bytes(data, encoding, exc.start) from None
        _check_text(text)
        return Decoded(text, encoding, guess_delimiter(text))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            if _gbk_until(data, gb_error.start):
                raise _bad_bytes(data, "gb18030", gb_error.start) from None
            raise _bad_bytes(data, "utf-8", utf8_error.start) from None
        if _common_chinese_share(text) < COMMON_CHINESE_SHARE:
            raise _bad_bytes(
                data,
                "utf-8",
                utf8_error.start,
                _EXPECTED + "; these bytes are neither UTF-8 nor common Chinese in GB18030",
                _EXPECTED_ZH + "；这些字节既不是 UTF-8，也不像 GB18030 编码的常用汉字",
            ) from None
        _check_text(text)
        return Decoded(text, "gb18030", guess_delimiter(text))
    _check_text(text)
    return Decoded(text, "utf-8", guess_delimiter(text))
