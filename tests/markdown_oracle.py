"""An independent reading of Markdown to hold Interlude's against: markdown-it-py (CommonMark, with GitHub's
tables and ~~strikes~~, footnotes, task lists and ==highlights==), and a normalised form of any HTML, so that
two renderings that a browser shows alike compare equal and the ones it shows differently do not.

The normalised form is text, one block element a line, indented by nesting: a failing comparison reads as a
diff of what the page shows. Every known difference in how the two renderers *write* the same thing (footnote
ids, checkbox markup, <s> for <del>…) is made one form in `_canonical`, and only there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

# ---- the oracle ---------------------------------------------------------------------------------------------


def _mark_tokenize(state: StateInline, silent: bool) -> bool:
    """`==`: each pair of equals signs a delimiter, as ~~ is for strikes (markdown-it-mark's rule)."""
    if silent or state.src[state.pos] != "=":
        return False
    scanned = state.scanDelims(state.pos, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        state.push("text", "", 0).content = "="
        length -= 1
    for _ in range(length // 2):
        state.push("text", "", 0).content = "=="
        state.delimiters.append(
            Delimiter(
                marker=ord("="),
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _mark_pairs(state: StateInline, delimiters: list[Delimiter]) -> None:
    """Turn each matched pair of `==` delimiters into <mark> and </mark>."""
    lone = []
    for start in delimiters:
        if start.marker != ord("=") or start.end == -1:
            continue
        end = delimiters[start.end]
        opening, closing = state.tokens[start.token], state.tokens[end.token]
        opening.type, opening.nesting, closing.type, closing.nesting = "mark_open", 1, "mark_close", -1
        for token in (opening, closing):
            token.tag, token.markup, token.content = "mark", "==", ""
        if state.tokens[end.token - 1].type == "text" and state.tokens[end.token - 1].content == "=":
            lone.append(end.token - 1)
    while lone:  # an odd run (`===`) leaves one = before the pairs: it goes after the closing tags
        index = lone.pop()
        after = index + 1
        while after < len(state.tokens) and state.tokens[after].type == "mark_close":
            after += 1
        after -= 1
        if index != after:
            state.tokens[index], state.tokens[after] = state.tokens[after], state.tokens[index]


def _mark_post(state: StateInline) -> None:
    """Pair the `==` delimiters of the text and of each nested piece (a link's words)."""
    _mark_pairs(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _mark_pairs(state, meta["delimiters"])


def mark_plugin(md: MarkdownIt) -> None:
    """==highlight== → <mark>. mdit-py-plugins has no such plugin; this is markdown-it-mark's rule (the same
    as markdown-it's own for ~~strikes~~, with = for ~), which Obsidian's highlight follows."""
    md.inline.ruler.before("emphasis", "mark", _mark_tokenize)
    md.inline.ruler2.before("emphasis", "mark", _mark_post)


def oracle(breaks: bool = False) -> MarkdownIt:
    """CommonMark with GitHub's tables and strikes, footnotes, task lists and highlights; `breaks`: each new
    line in a paragraph a line break (Interlude's `line_breaks: true`)."""
    md = MarkdownIt("commonmark", {"breaks": breaks}).enable("table").enable("strikethrough")
    return md.use(footnote_plugin).use(tasklists_plugin).use(mark_plugin)


# ---- a normalised tree --------------------------------------------------------------------------------------

VOID = {"br", "hr", "img", "input", "source", "wbr", "meta", "link", "col", "area", "embed", "track"}
BLOCK = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "div",
    "details",
    "summary",
    "section",
    "footnotes",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
}
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: a no-break space is not, and stays


@dataclass
class Node:
    """An element: its tag, attributes and children (elements, and text as strings)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _Builder(HTMLParser):
    """HTML → a Node tree, forgiving as a browser is about end tags it never opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if any(node.tag == tag for node in self.open[1:]):
            while self.open.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        children = self.open[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    # Comments are dropped (handle_comment does nothing): neither a browser nor Obsidian shows them.


def parse(html: str) -> Node:
    """The HTML as a tree, with the two renderers' ways of writing the same thing made one (`_canonical`)."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return _canonical(builder.root)


def _classes(node: Node) -> set[str]:
    return set(node.attrs.get("class", "").split())


def _canonical(node: Node) -> Node:
    """The known representation differences, each written one way. Nothing here may change what a page shows;
    everything that does (a list's looseness, a paragraph's end, a <br>) is left for the comparison."""
    children: list[Node | str] = []
    for child in node.children:
        if isinstance(child, str):
            children.append(child)
            continue
        child = _canonical(child)
        # Strikes: markdown-it writes <s>, PyMdown Extensions <del>; a browser draws both as a line through.
        if child.tag in ("s", "strike"):
            child.tag = "del"
        # A footnote's mark: Python-Markdown <sup id="fnref:x"><a class="footnote-ref" href="#fn:x">1</a>,
        # markdown-it <sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a> ([1:1] when used again):
        # the ids differ by design, and only the number shown counts.
        if child.tag == "sup" and _footnote_ref(child):
            child = Node("footnote-ref", {}, [_text(child).strip("[]").split(":")[0]])
        # The notes themselves: Python-Markdown <div class="footnote"><hr><ol><li id="fn:x">…<a
        # class="footnote-backref" title="Jump back…">↩</a>, markdown-it <hr class="footnotes-sep"><section
        # class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item">… <a
        # class="footnote-backref">↩︎</a>: written as <footnotes> holding each note's blocks, without ids or
        # the way back (whose sign differs).
        if child.tag == "hr" and "footnotes-sep" in _classes(child):
            continue
        if (child.tag == "div" and "footnote" in _classes(child)) or (
            child.tag == "section" and "footnotes" in _classes(child)
        ):
            child = _footnotes(child)
        # Task lists: markdown-it <li class="task-list-item"><input class="task-list-item-checkbox" checked…>
        # in a <ul class="contains-task-list">; Interlude (tasks.task_boxes) <li class="task is-done"><input
        # type="checkbox" checked aria-label="done"><span class="task-mark"></span>. Both: <li task="done">.
        if child.tag == "li" and ({"task-list-item", "task"} & _classes(child)):
            child = _task(child)
        if child.tag in ("ul", "ol") and "contains-task-list" in _classes(child):
            del child.attrs["class"]
        # ***both***: Python-Markdown <strong><em>…</em></strong>, markdown-it <em><strong>…</strong></em>.
        if child.tag == "strong" and len(child.children) == 1 and getattr(child.children[0], "tag", "") == "em":
            inner = child.children[0]
            assert isinstance(inner, Node)
            child = Node("em", inner.attrs, [Node("strong", child.attrs, inner.children)])
        # Table alignment: Python-Markdown style="text-align: left;", markdown-it style="text-align:left".
        if "style" in child.attrs:
            child.attrs["style"] = child.attrs["style"].replace(" ", "").rstrip(";")
        # Addresses: markdown-it percent-encodes what it may (a space, ä), Python-Markdown keeps them as
        # written; a browser goes to the same place for both.
        for name in ("href", "src"):
            if name in child.attrs:
                child.attrs[name] = unquote(child.attrs[name])
        children.append(child)
    node.children = children
    return node


def _footnote_ref(sup: Node) -> bool:
    """Whether this <sup> is a footnote's mark in the text (either renderer's)."""
    inner = [child for child in sup.children if isinstance(child, Node)]
    return (
        len(inner) == 1
        and inner[0].tag == "a"
        and inner[0].attrs.get("href", "").startswith("#fn")
        and ("footnote-ref" in _classes(sup) or "footnote-ref" in _classes(inner[0]))
    )


def _footnotes(box: Node) -> Node:
    """A footnotes section as <footnotes><li>…</li></footnotes>, without ids, rules or back links."""
    items: list[Node | str] = []
    for part in box.children:
        if isinstance(part, Node) and part.tag == "ol":
            for item in part.children:
                if isinstance(item, Node) and item.tag == "li":
                    items.append(Node("li", {}, _without_backrefs(item.children)))
    return Node("footnotes", {}, items)


def _without_backrefs(children: list[Node | str]) -> list[Node | str]:
    """The note's content without its link back to the text, and the (no-break) space before it."""
    kept: list[Node | str] = []
    for child in children:
        if isinstance(child, Node) and child.tag == "a" and "footnote-backref" in _classes(child):
            if kept and isinstance(kept[-1], str):
                kept[-1] = kept[-1].rstrip(" \xa0\n")
            continue
        if isinstance(child, Node):
            child.children = _without_backrefs(child.children)
            if child.tag == "p" and not child.children:
                continue  # Python-Markdown's paragraph made only to hold the back link
        kept.append(child)
    return kept


def _task(item: Node) -> Node:
    """A task list item as <li task="done"> or <li task="open">, its checkbox and drawn mark removed."""
    done = False

    def strip(node: Node) -> None:
        nonlocal done
        kept: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and child.tag == "input":
                done = "checked" in child.attrs
                continue
            if isinstance(child, Node) and "task-mark" in _classes(child):
                continue
            kept.append(child)
        node.children = kept
        first = next((child for child in kept if isinstance(child, Node) or child.strip()), None)
        if isinstance(first, Node) and first.tag == "p":  # a loose list's item: the box is in its paragraph
            strip(first)

    strip(item)
    attrs = {name: value for name, value in item.attrs.items() if name != "class"}
    attrs["task"] = "done" if done else "open"
    return Node("li", attrs, item.children)


def _text(node: Node) -> str:
    return "".join(child if isinstance(child, str) else _text(child) for child in node.children)


# ---- written out --------------------------------------------------------------------------------------------


def normalised(html: str) -> str:
    """The HTML as the lines of its normalised tree."""
    return "\n".join(_lines(parse(html).children, 0))


def _lines(children: list[Node | str], depth: int) -> list[str]:
    """Block elements one a line, indented by depth; each run of text and inline elements on one line."""
    lines: list[str] = []
    run: list[Node | str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(_inline(part) for part in run)).strip()
        if text:
            lines.append("  " * depth + text)
        run.clear()

    for child in children:
        if isinstance(child, Node) and child.tag in BLOCK:
            flush()
            lines.extend(_block(child, depth))
        else:
            run.append(child)
    flush()
    return lines


def _block(node: Node, depth: int) -> list[str]:
    """A block element: on one line when it holds no blocks, else its opening line and its children below."""
    head = "  " * depth + _open(node)
    if node.tag == "pre":  # its white space is what it shows
        return [head + "".join(_inline(child, raw=True) for child in node.children).replace("\n", "\\n")]
    if not any(isinstance(child, Node) and child.tag in BLOCK for child in node.children):
        text = _SPACE.sub(" ", "".join(_inline(child) for child in node.children)).strip()
        return [head + text]
    return [head, *_lines(node.children, depth + 1)]


def _open(node: Node) -> str:
    attrs = "".join(f' {name}="{value}"' for name, value in sorted(node.attrs.items()))
    return f"<{node.tag}{attrs}>"


def _inline(part: Node | str, raw: bool = False) -> str:
    """Text (escaped, so a written <em> differs from an element) or an inline element, as one string."""
    if isinstance(part, str):
        text = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")
        return text if raw else _SPACE.sub(" ", text)
    if part.tag in VOID:
        return _open(part)
    inner = "".join(_inline(child, raw) for child in part.children)
    return f"{_open(part)}{inner}</{part.tag}>"
