"""Read one content file (TOML) and explain its mistakes in Vietnamese: the file, the line, the field, what to do.

Every file in a district's content folder is read here first: a TOML syntax error and every schema error
(pydantic) becomes one `ContentError` that names the file and the line of the offending key or block, so
an editor can open the file at that line and fix it. Pure apart from reading the file.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from flows.errors import UserError

Loc = tuple[Union[str, int], ...]


class ContentError(UserError):
    """The content folder has a mistake an editor must fix (message in Vietnamese)."""


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- TOML syntax ---------------------------------------------------------------------------------------------

# tomllib's messages, in the words an editor needs. Matched on the start of the message.
_TOML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("Expected ']' at the end of a table declaration", "thiếu dấu ']' ở cuối tên bảng"),
    ("Expected ']]' at the end of an array declaration", "thiếu ']]' ở cuối tên khối"),
    ("Expected '=' after a key in a key/value pair", "thiếu dấu '=' sau tên khóa"),
    ("Expected newline or end of document after a statement",
     "sau một giá trị phải xuống dòng (có thể thừa chữ sau giá trị, hoặc thiếu ngoặc kép quanh chuỗi)"),
    ("Invalid initial character for a key part",
     "tên khóa có ký tự không hợp lệ (tên có dấu, dấu cách hay dấu chấm phải đặt trong ngoặc kép)"),
    ("Invalid value", "giá trị không hợp lệ (chuỗi phải đặt trong ngoặc kép; đúng/sai viết true/false)"),
    ("Invalid statement", "dòng này không phải khóa = giá trị, [bảng] hay [[khối]]"),
    ("Unclosed array", "danh sách chưa đóng bằng dấu ']' (hoặc thiếu dấu phẩy giữa các phần tử)"),
    ("Unclosed inline table", "bảng viết trên một dòng chưa đóng bằng dấu '}'"),
    ("Unterminated string", "chuỗi chưa đóng ngoặc kép"),
    ("Unescaped '\\' in a string", "dấu '\\' trong chuỗi ngoặc kép phải viết là '\\\\'"),
    ("Illegal character '\\n'", "chuỗi chưa đóng ngoặc kép trước khi hết dòng"),
    ("Illegal character", "chuỗi chứa ký tự không được phép (ký tự điều khiển)"),
    ("Invalid date or datetime", "ngày giờ không hợp lệ"),
    ("Invalid hex value", "mã ký tự \\u không hợp lệ"),
    ("Escaped character is not a Unicode scalar value", "mã ký tự \\u không hợp lệ"),
    ("Cannot overwrite a value", "khóa này đã có giá trị ở trên (khai báo trùng)"),
    ("Cannot declare", "bảng này đã khai báo ở trên (khai báo trùng)"),
    ("Cannot redefine namespace", "không thể khai báo lại bảng đã có"),
    ("Cannot mutate immutable namespace", "không thể thêm khóa vào bảng đã viết trọn trên một dòng"),
    ("Duplicate inline table key", "khóa trùng trong bảng viết trên một dòng"),
    ("Found invalid character", "ký tự không hợp lệ"),
    ("Expected", "thiếu ký tự"),
)

_TOML_AT = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _toml_syntax_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> ContentError:
    raw = str(exc)
    at = _TOML_AT.search(raw)
    english = raw[: at.start()].strip() if at else raw
    problem = next((vi for en, vi in _TOML_PROBLEMS if english.startswith(en)), None)
    if problem == "thiếu ký tự":
        problem = f"thiếu ký tự {english.removeprefix('Expected').strip()}"
    if problem is None:
        problem = f"sai cú pháp TOML ({english})"
    lines = text.splitlines()
    if at and at.group(1):
        line, column = int(at.group(1)), int(at.group(2))
    else:
        line, column = len(lines), 0
    where = f"{shown(path)}, dòng {line}" + (f", cột {column}" if column else "")
    quoted = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    message = f"tệp sai cú pháp TOML: {problem}" + (f": «{quoted}»." if quoted else ".")
    return ContentError(message, where=where,
                        hint="Sửa dòng này rồi chạy lại (chuỗi trong ngoặc kép, [bảng], [[khối]], khóa = giá trị).")


# --- Where a key is in the text ------------------------------------------------------------------------------

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER_RE = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*(\]\]|\])\s*(?:#.*)?$")
_KEY_RE = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART_RE = re.compile(_KEY_PART)


def _split_key(dotted: str) -> list[str]:
    parts = []
    for token in _PART_RE.findall(dotted):
        if token[0] == '"':
            token = tomllib.loads(f"k = {token}")["k"]
        elif token[0] == "'":
            token = token[1:-1]
        parts.append(token)
    return parts


def key_lines(text: str) -> tuple[dict[Loc, int], set[Loc]]:
    """The line of every table, array-of-tables block and key in a TOML text, by its path in the parsed data,
    and the paths of the `[[...]]` blocks.

    `[[station]]` blocks are numbered as the parsed list is (0, 1, ...), so a validation error at
    ("station", 2, "name") finds the key `name` in the third `[[station]]` block.
    """
    lines: dict[Loc, int] = {}
    blocks: set[Loc] = set()
    counts: dict[Loc, int] = {}
    table: Loc = ()
    in_multiline = ""

    def resolve(parts: Sequence[str]) -> Loc:
        path: Loc = ()
        for part in parts[:-1]:
            path += (part,)
            if path in counts:  # inside the latest block of an array of tables
                path += (counts[path],)
        return path + tuple(parts[-1:])

    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2:
                in_multiline = ""
            continue
        header = _HEADER_RE.match(line)
        if header:
            path = resolve(_split_key(header.group(2)))
            if header.group(1) == "[[":
                counts[path] = counts.get(path, -1) + 1
                path += (counts[path],)
                blocks.add(path)
            table = path
            for end in range(1, len(path) + 1):
                lines.setdefault(path[:end], number)
            continue
        key = _KEY_RE.match(line)
        if key:
            path = table + tuple(_split_key(key.group(1)))
            for end in range(len(table) + 1, len(path) + 1):
                lines.setdefault(path[:end], number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                in_multiline = quote
                break
    return lines, blocks


# --- Describing a field --------------------------------------------------------------------------------------

def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'chuỗi "{value}"'
    if isinstance(value, Mapping):
        return "một bảng"
    if isinstance(value, list):
        return "một danh sách"
    return str(value)


def field_label(data: Any, loc: Loc, blocks: set[Loc] | None = None) -> str:
    """Name a field the way it reads in the file: 'khối [[source]] thứ 2 (id = "x"), khóa trusted'.

    `blocks` holds the paths of the `[[...]]` blocks written in the file; without it every list of tables
    is named as a block.
    """
    pieces: list[str] = []
    names: list[str] = []  # the dotted table name at this point, as a header in the file would write it
    named = 0  # how many of `names` the last piece already shows
    node: Any = data
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(part, int):
            pieces.append(f"phần tử thứ {part + 1}")
            node = node[part] if isinstance(node, list) and part < len(node) else None
            i += 1
            continue
        child: Any = node.get(part) if isinstance(node, Mapping) else None
        tables = isinstance(child, list) and bool(child) and all(isinstance(c, Mapping) for c in child)
        if isinstance(nxt, int) and tables and (blocks is None or tuple(loc[: i + 2]) in blocks):
            names.append(part)
            item = child[nxt] if nxt < len(child) else {}
            ident = item.get("id") if isinstance(item.get("id"), str) else ""
            pieces.append(f"khối [[{'.'.join(names)}]] thứ {nxt + 1}" + (f' (id = "{ident}")' if ident else ""))
            named = len(names)
            node, i = item, i + 2
            continue
        if isinstance(child, Mapping):
            names.append(part)
            node, i = child, i + 1
            continue
        if len(names) > named:
            pieces.append(f"bảng [{'.'.join(names)}]")
            named = len(names)
        pieces.append(f"khóa {part}")
        node = child
        i += 1
    if len(names) > named:
        pieces.append(f"bảng [{'.'.join(names)}]")
    return ", ".join(pieces) or "tệp"


# --- Schema errors in Vietnamese -----------------------------------------------------------------------------

_TYPE_NAMES = {
    "string_type": "một chuỗi trong ngoặc kép",
    "int_type": "một số nguyên",
    "float_type": "một số",
    "list_type": 'một danh sách trong ngoặc vuông, ví dụ ["a", "b"]',
    "tuple_type": 'một danh sách trong ngoặc vuông, ví dụ ["a", "b"]',
    "dict_type": "một bảng",
    "model_type": "một bảng",
    "model_attributes_type": "một bảng",
    "int_from_float": "một số nguyên",
    "int_parsing": "một số nguyên",
    "float_parsing": "một số",
    "time_type": "giờ dạng HH:MM",
    "path_type": "một đường dẫn trong ngoặc kép",
}


def _fields_at(model: type[BaseModel] | None, loc: Loc) -> list[str]:
    """The keys a schema allows at a place in the file (for 'did you mean')."""
    annotation: Any = model
    for part in loc:
        annotation = _child(annotation, part)
    annotation = _plain(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sorted(annotation.model_fields)
    return []


def _plain(annotation: Any) -> Any:
    """X from Annotated[X, ...] and X | None."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _child(annotation: Any, part: str | int) -> Any:
    annotation = _plain(annotation)
    origin = get_origin(annotation)
    if origin in (list, tuple) and isinstance(part, int):
        return get_args(annotation)[0]
    if origin is dict and isinstance(part, str):
        return get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
        info = annotation.model_fields.get(part)
        return info.annotation if info is not None else None
    return None


def _problem(error: ErrorDetails, data: Any, model: type[BaseModel] | None) -> tuple[str, str]:
    """What is wrong with one field and what to do, in Vietnamese."""
    kind, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx") or {}
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    value = error.get("input")
    if kind == "missing":
        return f"thiếu khóa bắt buộc '{key}'.", f"Thêm dòng {key} = ... vào khối này."
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"Có phải ý là '{close[0]}'? " if close else ""
        hint += "Xóa khóa này hoặc sửa tên" + (f"; các khóa dùng được ở đây: {', '.join(allowed)}." if allowed else ".")
        return f"khóa '{key}' không có trong mẫu của tệp này.", hint
    if kind in ("bool_type", "bool_parsing"):
        return (f"phải là true hoặc false (viết không có ngoặc kép), không phải {_toml_value(value)}.",
                f"Sửa thành {key} = true hoặc {key} = false.")
    if kind in _TYPE_NAMES:
        return f"phải là {_TYPE_NAMES[kind]}, không phải {_toml_value(value)}.", "Sửa giá trị này."
    bounds = {"greater_than": "lớn hơn", "greater_than_equal": "không nhỏ hơn", "less_than": "nhỏ hơn",
              "less_than_equal": "không lớn hơn"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return f"phải {bounds[kind]} {limit}, không phải {_toml_value(value)}.", "Sửa giá trị này."
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return (f"không nhận giá trị {_toml_value(value)}; chỉ dùng được: {str(expected).replace(' or ', ', ')}.",
                "Sửa giá trị này.")
    if kind in ("too_short", "string_too_short"):
        return "không được để trống.", "Điền giá trị vào đây."
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).rstrip(".") + ".", "Sửa giá trị này."
    if kind == "bantin":  # our own validators (PydanticCustomError): the message is already Vietnamese
        message = error["msg"]
        hint = str(ctx.get("hint", "Sửa giá trị này."))
        return message, hint
    return f"giá trị {_toml_value(value)} không hợp lệ ({error['msg']}).", "Sửa giá trị này."


@dataclass
class TomlFile:
    """A content file as read: its path, its text and the parsed data, able to point at a key's line."""

    path: Path
    text: str
    data: dict[str, Any]
    _index: tuple[dict[Loc, int], set[Loc]] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """The line of the key at `loc`, or of the nearest enclosing block or table."""
        lines = self._indexed()[0]
        loc = tuple(loc)
        for end in range(len(loc), 0, -1):
            if loc[:end] in lines:
                return lines[loc[:end]]
        return None

    def _indexed(self) -> tuple[dict[Loc, int], set[Loc]]:
        if self._index is None:
            self._index = key_lines(self.text)
        return self._index

    def label(self, loc: Iterable[str | int]) -> str:
        """The field at `loc` named as it reads in the file."""
        return field_label(self.data, tuple(loc), self._indexed()[1] if self.text else None)

    def where(self, loc: Iterable[str | int] = ()) -> str:
        line = self.line_of(loc)
        return f"{shown(self.path)}, dòng {line}" if line else shown(self.path)

    def error(self, loc: Iterable[str | int], message: str, hint: str = "") -> ContentError:
        """A mistake at a field: 'content/x.toml, dòng 7: khối [[station]] thứ 2, khóa id: <message> <hint>'."""
        loc = tuple(loc)
        return ContentError(f"{self.label(loc)}: {message}", where=self.where(loc), hint=hint)

    def explain(self, exc: ValidationError, model: type[BaseModel] | None = None) -> ContentError:
        """The first mistake in the file (by line), with a count of the others."""
        errors = exc.errors()
        ordered = sorted(errors, key=lambda e: self.line_of(e["loc"]) or 0)
        first = ordered[0]
        message, hint = _problem(first, self.data, model)
        # A missing key is a mistake of its block: name the block, the message names the key.
        error = self.error(first["loc"][:-1] if first["type"] == "missing" else first["loc"], message, hint)
        if len(errors) > 1:
            error.hint += f" (Tệp còn {len(errors) - 1} lỗi khác: sửa lỗi này rồi chạy lại để xem.)"
        return error


def read_toml(path: Path, *, required: bool = True) -> TomlFile:
    """Read and parse a content file; any mistake becomes a ContentError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if not required:
            return TomlFile(path, "", {})
        raise ContentError(f"thiếu tệp {path.name}.", where=shown(path),
                           hint="Tạo tệp này (xem mẫu trong thư mục content/ của bantin) hoặc chọn đúng thư mục "
                                "bằng --content.") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ContentError("tệp không phải văn bản UTF-8.", where=f"{shown(path)}, dòng {line}",
                           hint="Mở tệp và lưu lại với bảng mã UTF-8.") from None
    except OSError as exc:
        raise ContentError(f"không đọc được tệp ({exc.strerror}).", where=shown(path),
                           hint="Kiểm tra quyền đọc tệp.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_syntax_error(path, text, exc) from None
    return TomlFile(path, text, data)


def env_error(exc: ValidationError, prefix: str, delimiter: str, model: type[BaseModel] | None,
              file: TomlFile | None) -> ContentError:
    """A settings error, named where the value came from: the environment variable that set it (which wins),
    else the file's line."""
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    keys: list[str] = []
    for part in loc:
        if not isinstance(part, str):
            break
        keys.append(part)
        variable = prefix + delimiter.join(k.upper() for k in keys)
        if variable in os.environ:
            message, hint = _problem(first, {}, model)
            return ContentError(message, where=f"biến môi trường {variable}",
                                hint=hint + f" (Biến này được dùng thay cho {file.name if file else 'tệp cấu hình'}.)")
    return (file or TomlFile(Path("bantin.toml"), "", {})).explain(exc, model)
