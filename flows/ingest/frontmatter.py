"""The front matter of an inbox file, read through a declared schema.

A Markdown or text file may start with `key: value` lines between two `---` lines. Every key is declared here:
an unknown key, a value of the wrong kind, a commune that does not exist, a priority that is not one of the three
levels is refused with the file, the key and an explanation in Vietnamese. A typo must never make a story
district-wide or urgent by guess: the file is set aside and an editor fixes it.

Editors may write keys and values in Vietnamese (`nơi nhận: Thần Sa`, `mức ưu tiên: khẩn`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from flows.models import DISTRICT, Commune, Movement, Priority

# Keys as editors write them -> the schema's field.
KEY_ALIASES = {
    "title": "title", "tiêu đề": "title", "tieu de": "title", "tựa đề": "title",
    "author": "author", "tác giả": "author", "tac gia": "author", "người viết": "author",
    "date": "date", "ngày": "date", "ngay": "date",
    "audience": "audience", "nơi nhận": "audience", "noi nhan": "audience", "gửi tới": "audience",
    "movement": "movements", "movements": "movements", "phong trào": "movements", "phong trao": "movements",
    "priority": "priority", "mức ưu tiên": "priority", "muc uu tien": "priority", "ưu tiên": "priority",
    "unit": "unit", "đơn vị": "unit", "don vi": "unit",
    "kind": "kind", "loại bài": "kind", "loai bai": "kind",
}
FIELD_LABELS = {"title": "tiêu đề (title)", "author": "tác giả (author)", "date": "ngày (date)",
                "audience": "nơi nhận (audience)", "movements": "phong trào (movement)",
                "priority": "mức ưu tiên (priority)", "unit": "đơn vị (unit)", "kind": "loại bài (kind)"}
PRIORITY_WORDS = {
    "normal": Priority.NORMAL, "thường": Priority.NORMAL, "bình thường": Priority.NORMAL,
    "thông thường": Priority.NORMAL,
    "priority": Priority.PRIORITY, "ưu tiên": Priority.PRIORITY,
    "emergency": Priority.EMERGENCY, "khẩn": Priority.EMERGENCY, "khẩn cấp": Priority.EMERGENCY,
}
DISTRICT_WORDS = {"district", "toàn huyện", "huyện", "toan huyen", "huyen", "cả huyện"}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_VI_DATE = re.compile(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$", re.I)


class FrontMatterError(ValueError):
    """One or more keys are wrong; `problems` are (key, Vietnamese explanation)."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{key}: {why}" if key else why for key, why in self.problems))


@dataclass(frozen=True)
class Known:
    """What front matter values may name. None: not checked (a caller without the newsroom's lists, such as a
    unit test of the format); the gathering step always passes the newsroom's communes and movements."""

    communes: Sequence[Commune] | None = None
    movements: Sequence[Movement] | None = None


def fold(text: str) -> str:
    """Case- and spacing-insensitive form used to match names; diacritics are kept (Thần Sa is not Thân Sa)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class FrontMatter(BaseModel):
    """The declared keys of an inbox file's front matter."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = ""
    author: str = ""
    date: datetime | None = None
    audience: tuple[str, ...] = ()
    movements: tuple[str, ...] = ()
    priority: Priority = Priority.NORMAL
    unit: str = ""
    kind: str = ""  # news, model, practice, example or their Vietnamese names (read at normalise)

    @field_validator("title", "author", "unit", "kind", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, list):
            raise ValueError("phải là một dòng chữ, không phải danh sách")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        m = _VI_DATE.match(text)
        if m:
            try:
                return datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
        raise ValueError(f"ngày '{text}' không đúng dạng (ví dụ 2023-06-08, 08/06/2023 hoặc "
                         "ngày 8 tháng 6 năm 2023)")

    @field_validator("priority", mode="before")
    @classmethod
    def _priority(cls, value: Any) -> Any:
        if isinstance(value, Priority):
            return value
        word = fold(str(value))
        if word not in PRIORITY_WORDS:
            raise ValueError(f"mức ưu tiên '{value}' không hợp lệ; hãy ghi một trong: thường, ưu tiên, khẩn "
                             "(hoặc normal, priority, emergency)")
        return PRIORITY_WORDS[word]

    @field_validator("audience", "movements", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in value.strip().strip("[]").split(",")]
        return tuple(dict.fromkeys(str(v).strip().strip("'\"") for v in value if str(v).strip()))


def split_front_matter(text: str) -> tuple[list[tuple[int, str, str | list[str]]], str, bool]:
    """(lines as (line number, key, value), rest of the text, whether there was front matter). `- item` lines
    under a key make its value a list."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return [], text, False
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in {"---", "..."}), None)
    if end is None:
        raise FrontMatterError([("", "phần thông tin đầu tệp (giữa hai dòng ---) không được đóng bằng dòng ---")])
    entries: list[tuple[int, str, str | list[str]]] = []
    for i, line in enumerate(lines[1:end], start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("- ") and entries:
            n, key, value = entries[-1]
            item = line.strip()[2:].strip()
            if isinstance(value, list):
                value.append(item)
            else:
                entries[-1] = (n, key, [*([value] if value else []), item])
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise FrontMatterError([("", f"dòng {i + 1} của phần thông tin đầu tệp không có dạng 'khóa: giá trị' "
                                         f"(“{line.strip()[:60]}”)")])
        entries.append((i + 1, key.strip(), value.strip()))
    return entries, "\n".join(lines[end + 1:]), True


def read_front_matter(entries: Sequence[tuple[int, str, str | list[str]]], known: Known) -> FrontMatter:
    """Validate the front matter; raise FrontMatterError listing every problem."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    for line, key, value in entries:
        field = KEY_ALIASES.get(fold(key))
        label = f"“{key}” (dòng {line})"
        if field is None:
            problems.append((label, "khóa này không có trong mẫu; các khóa dùng được: "
                                    "title, author, date, audience, movement, priority, unit, kind "
                                    "(hoặc tiêu đề, tác giả, ngày, nơi nhận, phong trào, mức ưu tiên, đơn vị, "
                                    "loại bài)"))
            continue
        if field in values:
            problems.append((label, f"khóa {FIELD_LABELS[field]} được ghi hai lần"))
            continue
        values[field] = value
        where[field] = label
    try:
        meta = FrontMatter.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            problems.append((where.get(field, field), _explain(err)))
        raise FrontMatterError(problems) from None
    if problems:
        raise FrontMatterError(problems)
    audience, bad = resolve_audience(meta.audience, known.communes)
    if bad and known.communes is not None:
        names = ", ".join(f"{c.kind} {c.name} ({c.id})" for c in known.communes or ())
        problems.append((where.get("audience", "audience"),
                         f"không có xã, thị trấn: {', '.join(bad)}. Hãy ghi “toàn huyện” hoặc mã/tên xã đúng: {names}"))
    movements, unknown = resolve_movements(meta.movements, known.movements)
    if unknown:
        ids = ", ".join(m.id for m in known.movements or ())
        problems.append((where.get("movements", "movement"),
                         f"không có phong trào: {', '.join(unknown)}. Các mã phong trào: {ids}"))
    if problems:
        raise FrontMatterError(problems)
    return meta.model_copy(update={"audience": audience, "movements": movements})


def resolve_audience(values: Sequence[str], communes: Sequence[Commune] | None) -> tuple[tuple[str, ...], list[str]]:
    """Commune ids from ids or names as an editor writes them ("than-sa", "Thần Sa", "xã Thần Sa"); the district
    from its words. Never a near match: an unknown name is returned as bad."""
    by_key: dict[str, str] = {}
    if communes is None:  # unchecked: ids pass as written, the district words still mean the district
        return tuple(dict.fromkeys(DISTRICT if fold(v) in DISTRICT_WORDS else v for v in values)), []
    for c in communes:
        for key in (c.id, c.name, f"{c.kind} {c.name}", f"xã {c.name}", f"thị trấn {c.name}"):
            by_key[fold(key)] = c.id
    out, bad = [], []
    for value in values:
        key = fold(value)
        if key in DISTRICT_WORDS:
            out.append(DISTRICT)
        elif key in by_key:
            out.append(by_key[key])
        else:
            bad.append(value)
    return tuple(dict.fromkeys(out)), bad


def resolve_movements(values: Sequence[str], movements: Sequence[Movement] | None) -> tuple[tuple[str, ...], list[str]]:
    if movements is None:  # unchecked
        return tuple(values), []
    by_key = {fold(m.id): m.id for m in movements} | {fold(m.name): m.id for m in movements}
    out: list[str] = []
    bad: list[str] = []
    for value in values:
        found = by_key.get(fold(value))
        (out if found else bad).append(found or value)
    return tuple(dict.fromkeys(out)), bad


def _explain(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err.get("msg", "")))
    if kind in {"string_type", "str_type"}:
        return "phải là chữ"
    if kind in {"tuple_type", "list_type"}:
        return "phải là danh sách, cách nhau bằng dấu phẩy"
    if kind.startswith("datetime"):
        return "ngày không đúng dạng (ví dụ 2023-06-08 hoặc 08/06/2023)"
    return f"giá trị không hợp lệ ({err.get('msg', kind)})"
