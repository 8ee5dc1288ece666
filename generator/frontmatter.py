"""Bytes of one file → (front matter mapping, body text, body's first line), or EntryError."""

from __future__ import annotations

import codecs
import re
from typing import Any, ClassVar

import yaml

from generator.errors import EntryError

try:  # the C loader is several times faster; the pure-Python one behaves the same
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
MAX_ALIASES = 50
MAX_DEPTH = 20  # lists in mappings in lists…: deeper than this is a mistake, and would overflow Python's stack later


class FrontMatterLoader(_BaseLoader):
    """Safe YAML without the YAML 1.1 surprises: `no` stays "no", `10:45` stays "10:45",
    and dates stay text so that Interlude can explain a bad one."""

    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}


def _resolvers_without_surprises() -> None:
    """Copy SafeLoader's implicit resolvers, keeping YAML 1.2's plain true/false and numbers."""
    drop = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in resolvers if tag not in drop]
        FrontMatterLoader.yaml_implicit_resolvers[first] = kept
    FrontMatterLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    FrontMatterLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    FrontMatterLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
        list("-+0123456789."),
    )


_resolvers_without_surprises()


def _mapping_without_duplicates(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    """Build a mapping, refusing a key given twice (YAML would silently keep the last)."""
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a key cannot be a list or mapping", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice (also on line {seen[key] + 2}); keep one", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line  # 0-based within the front matter, which starts on file line 2
    return loader.construct_mapping(node, deep=deep)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:map", _mapping_without_duplicates)


def decode(data: bytes, path: str) -> str:
    """Text of a file in UTF-8 (with or without BOM) or UTF-16 with BOM; CRLF becomes LF."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EntryError(path, "is damaged UTF-16 text; save it again as UTF-8") from exc
    else:
        if b"\x00" in data:
            raise EntryError(path, "looks like a binary file, not a text entry; move it out of the entries folder")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise EntryError(
                path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8 in your editor", line
            ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _too_many_aliases(text: str) -> bool:
    """Alias bombs expand exponentially; front matter never needs more than a handful of aliases."""
    if "*" not in text:
        return False
    try:
        aliases = sum(isinstance(t, yaml.AliasToken) for t in yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return False  # the real load below reports the syntax error with its line
    return aliases > MAX_ALIASES


def error_line(exc: yaml.MarkedYAMLError, source: str) -> int | None:
    """The 0-based line a YAML error belongs to: where it was found, or, for a mistake that YAML notices only on
    a later line (an unclosed quote or bracket, a line of words without `key:`), where the mistake is."""
    problem, context = exc.problem_mark, exc.context_mark
    at_end = problem is not None and not source[problem.index :].strip()
    unclosed = str(exc.context or "").startswith(("while scanning", "while parsing a flow"))
    mark = context if context is not None and (problem is None or at_end or unclosed) else problem or context
    return mark.line if mark is not None else None


def split(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Split text into its front-matter mapping, its body and the body's first line number."""
    opening = text.find("\n")
    if not _FENCE.match(text if opening < 0 else text[:opening]):
        return {}, text, 1
    closing = _CLOSE_LINE.search(text, opening + 1) if opening >= 0 else None
    if closing is None:
        raise EntryError(path, "front matter starts with --- but never ends; add a line with --- after it", 1)
    end = text.count("\n", 0, closing.start())  # the closing line's index (0 is the opening ---)
    source = text[opening + 1 : max(opening + 1, closing.start() - 1)]
    if _too_many_aliases(source):
        raise EntryError(path, f"front matter uses more than {MAX_ALIASES} YAML aliases (*name); write values out", 1)
    try:
        meta = yaml.load(source, Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        found = error_line(exc, source)
        line = found + 2 if found is not None else 1
        what = exc.problem or exc.context or "invalid"
        if "could not determine a constructor" in str(what):
            what = "uses a YAML tag (!!...) that journal front matter cannot have"
        raise EntryError(
            path, f"front matter is not valid YAML: {what}; check the quoting and indentation", line
        ) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise EntryError(path, "front matter is not valid YAML; check the quoting and indentation", 1) from exc
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's own constructors fail like this on a few values: `!!timestamp 2024-03-05 10:00`, a 5,000-digit number.
        raise EntryError(path, "front matter has a value YAML cannot read; put it in quotes", 1) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        kind = "a list" if isinstance(meta, list) else "a single value"
        raise EntryError(path, f"front matter is {kind}, not `key: value` lines; write e.g. `title: ...`", 2)
    for key, value in meta.items():
        if _too_deep(value):
            line = next((n for n, text in enumerate(source.split("\n"), start=2) if text.startswith(f"{key}:")), 1)
            raise EntryError(
                path,
                f"front matter nests {key} more than {MAX_DEPTH} levels deep "
                "(or an alias holds itself); write it flatter",
                line,
            )
    body = text[closing.end() + 1 :]
    return {str(k): v for k, v in meta.items()}, body, end + 2


def _too_deep(value: Any) -> bool:
    """Lists and mappings nested beyond MAX_DEPTH, or an alias inside itself (`a: &a [*a]`, endlessly deep)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest: dict[int, int] = {}  # container id → the deepest it was reached at
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)) and deepest.get(id(item), 0) < depth:  # aliases share values: walk each once
            if depth > MAX_DEPTH:
                return True
            deepest[id(item)] = depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


# Obsidian's Dataview writes fields in the text itself: `mood:: 7` on a line of its own, or `- mood:: 7`.
_FIELD = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?([^\W\d][\w \-]*?)[ \t]*::[ \t]*(.*?)[ \t]*$")
_CODE_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def inline_fields(body: str, first_line: int) -> dict[str, tuple[Any, int]]:
    """Dataview fields in the body (outside code), by key in lower case: (value read as YAML reads a plain
    value, else as written; the file line). The first of a repeated key counts."""
    if "::" not in body:
        return {}
    found: dict[str, tuple[Any, int]] = {}
    fence = ""
    for number, line in enumerate(body.split("\n"), start=first_line):
        opened = _CODE_FENCE.match(line)
        if opened:
            fence = "" if fence == opened.group(1) else fence or opened.group(1)
            continue
        if fence or "::" not in line:
            continue
        field = _FIELD.match(line)
        if field:
            key = " ".join(field.group(1).split()).lower()
            found.setdefault(key, (_plain_value(field.group(2)), number))
    return found


def _plain_value(text: str) -> Any:
    """A field's value as YAML would read it on its own (7 → 7, true → True), or the text itself."""
    if not text:
        return None
    try:
        value = yaml.load(text, Loader=FrontMatterLoader)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError, RecursionError):
        return text
    return value if isinstance(value, (str, int, float, bool)) else text
