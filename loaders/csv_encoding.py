"""Tell how a CSV file is encoded and decode it: UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 with BOM.

Excel in China saves "CSV" as GBK (a subset of GB18030); "CSV UTF-8" adds a
BOM; "Unicode text" is UTF-16 with a BOM and tabs between cells. The order of
tries is: a BOM; strict UTF-8; strict GB18030, accepted only when most of
its non-ASCII characters are common Chinese (GB2312), because nearly any
byte string decodes as GB18030 and a Latin-1 or Shift-JIS file would
otherwise turn into plausible-looking nonsense.

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
from dataclasses import dataclass

COMMON_CHINESE_SHARE = 0.8
"""The least share of non-ASCII characters that must be common Chinese for a GB18030 guess."""


@dataclass(frozen=True)
class Decoded:
    """A decoded CSV: its text, the encoding found and the cell delimiter."""

    text: str
    encoding: str
    delimiter: str = ","


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
    """

    def __init__(self, where: str, expected: str, expected_zh: str) -> None:
        super().__init__(f"{where}: expected {expected}")
        self.where = where
        self.expected = expected
        self.expected_zh = expected_zh


_EXPECTED = 'text in UTF-8, UTF-8 with BOM or GB18030/GBK (save the CSV as "CSV UTF-8")'
_EXPECTED_ZH = "UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK 编码的文本（请另存为“CSV UTF-8”）"


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


def _check_text(text: str, encoding: str) -> None:
    for index, char in enumerate(text):
        if char == "\x00" or (ord(char) < 0x20 and char not in "\t\r\n"):
            raise EncodingProblem(
                f"character {index} (U+{ord(char):04X})",
                "text, not a binary file",
                "文本文件，而不是二进制文件",
            )


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


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
            raise EncodingProblem(f"byte {exc.start}", _EXPECTED, _EXPECTED_ZH) from None
        _check_text(text, encoding)
        return Decoded(text, encoding, _delimiter(text))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise EncodingProblem(f"byte {utf8_error.start}", _EXPECTED, _EXPECTED_ZH) from None
        if _common_chinese_share(text) < COMMON_CHINESE_SHARE:
            raise EncodingProblem(
                f"byte {utf8_error.start}",
                _EXPECTED + "; these bytes are neither UTF-8 nor common Chinese in GB18030",
                _EXPECTED_ZH + "；这些字节既不是 UTF-8，也不像 GB18030 编码的常用汉字",
            ) from None
        _check_text(text, "gb18030")
        return Decoded(text, "gb18030", _delimiter(text))
    _check_text(text, "utf-8")
    return Decoded(text, "utf-8", _delimiter(text))
