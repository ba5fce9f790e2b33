"""MyST markup rewritten as plain Markdown that JupyterLab renders without extensions.

JupyterLab shows ``{cite:p}`...```, ``:label:`` and ``:class: dropdown`` as raw text, so the
classroom kit rewrites them: citations become 作者（年份）, glossary terms their words, glued
numbers their values, exercises and admonitions bold headings or quotations, a bibliography
the list of works the page cites. Solutions are dropped for students and kept, under a
"参考解答" heading, for instructors. Anything this module does not know raises or falls back to
its plain body, so no directive fence reaches a notebook (tests check that).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pairing_assistance.data_roles import DATA_ROLES

from .bibliography import Reference, cite, reference_list

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]+)`")
TARGET = re.compile(r"^\([\w:.-]+\)=[ \t]*\n?", re.MULTILINE)
COMMENT = re.compile(r"^%.*\n?", re.MULTILINE)
BLOCK_BREAK = re.compile(r"^\+\+\+.*\n?", re.MULTILINE)
MATH_LABEL = re.compile(r"\$\$[ \t]*\([\w:.-]+\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
MD_LINK = re.compile(r"\]\((?P<path>(?![a-z]+://)[^)#\s]+)\.md(?P<anchor>#[^)\s]*)?\)")
NUMPY_SCALAR = re.compile(r"^np\.\w+\((.*)\)$")
GLUE_FORMAT = re.compile(r"^(?P<name>[^:]+)(?::(?P<spec>.*))?$")
ADMONITION_TITLES = {
    "note": "注", "tip": "提示", "hint": "提示", "important": "重要", "warning": "注意", "caution": "注意",
    "attention": "注意", "danger": "警告", "error": "错误", "seealso": "另见",
}
SOLUTION_HEADING = "参考解答"
GATED = re.compile(r"^(`{3,}|:{3,})\{solution-(?P<which>start|end)\}[^\n]*\n(?:.*?\n)?\1[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass
class Context:
    """What a conversion needs to know about the page it converts."""

    references: dict[str, Reference]
    students: bool
    glue: dict[str, str] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)
    exercises: dict[str, int] = field(default_factory=dict)
    # glued values of another page, for ``{glue:text}`../05a_growth.ipynb::key:fmt``` (path relative to the page)
    other_glue: Callable[[str], dict[str, str]] | None = None


def cited_keys(text: str) -> list[str]:
    """Citation keys in order of first appearance."""
    keys: list[str] = []
    for match in ROLE.finditer(text):
        if match.group("role").startswith("cite"):
            keys += [k.strip() for k in match.group("content").split(",") if k.strip() not in keys]
    return keys


def exercise_labels(text: str) -> list[str]:
    """Labels of the exercises on a page, in order (they are numbered 1, 2, ... as on the website)."""
    return re.findall(r"^(?:`{3,}|:{3,})\{exercise\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*?:label:[ \t]*(\S+)", text,
                      re.MULTILINE)


def split_gated(text: str) -> list[tuple[str, str]]:
    """Split a cell at ``solution-start``/``solution-end`` fences: [(kind, text)], kind in text/start/end."""
    pieces, position = [], 0
    for match in GATED.finditer(text):
        pieces.append(("text", text[position:match.start()]))
        label = re.search(r"\{solution-start\}[ \t]*(\S*)", match.group(0))
        pieces.append((match.group("which"), label.group(1) if label else ""))
        position = match.end()
    pieces.append(("text", text[position:]))
    return [(kind, body) for kind, body in pieces if kind != "text" or body.strip()]


def solution_heading(label: str, context: Context) -> str:
    number = context.exercises.get(label)
    return f"**{SOLUTION_HEADING}（练习 {number}）**" if number else f"**{SOLUTION_HEADING}**"


def _parse_body(lines: list[str]) -> tuple[dict[str, str], str]:
    options: dict[str, str] = {}
    index = 0
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        index = end + 1
    while index < len(lines) and (found := OPTION.match(lines[index].strip())):
        options[found.group("key")] = found.group("value")
        index += 1
    return options, "\n".join(lines[index:]).strip("\n")


def _quote(title: str, body: str) -> str:
    lines = [f"**{title}**", ""] + body.splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _glossary(body: str) -> str:
    entries, term, definition = [], None, []
    for line in body.splitlines() + [""]:
        if line and not line[0].isspace():
            if term:
                entries.append(f"**{term}**：{' '.join(definition)}")
            term, definition = line.strip(), []
        elif line.strip():
            definition.append(line.strip())
    if term:
        entries.append(f"**{term}**：{' '.join(definition)}")
    return "\n\n".join(entries)


def _directive(name: str, arg: str, options: dict[str, str], body: str, context: Context) -> str:
    body = convert(body, context) if name not in {"math", "code", "code-block", "glossary"} else body
    if name == "exercise":
        label = options.get("label", "")
        number = context.exercises.setdefault(label, len(context.exercises) + 1)
        title = f"练习 {number}" + (f"（{arg}）" if arg else "")
        return f"**{title}**\n\n{body}"
    if name == "solution":
        return "" if context.students else f"{solution_heading(arg, context)}\n\n{body}"
    if name == "solution-start":
        if context.students:
            raise ValueError("a solution-start reached a student notebook: remove gated solutions first")
        return solution_heading(arg, context)
    if name == "solution-end":
        return ""
    if name == "admonition":
        return _quote(convert(arg, context), body)
    if name in ADMONITION_TITLES:
        return _quote(ADMONITION_TITLES[name], (convert(arg, context) + "\n\n" + body).strip())
    if name == "bibliography":
        keys = list(context.references) if "all" in options else context.cited
        return reference_list(keys, context.references)
    if name == "glossary":
        return convert(_glossary(body), context)
    if name == "math":
        return f"$$\n{body}\n$$"
    if name in {"code", "code-block", "code-cell"}:
        return f"```{arg}\n{body}\n```"
    if name in {"figure", "image"}:
        return f"![{body or arg}]({arg})"
    if name in {"toctree", "tableofcontents", "glue:figure", "raw"}:
        return ""
    return (f"**{convert(arg, context)}**\n\n" if arg else "") + body


def _directives(text: str, context: Context) -> str:
    lines, out, index = text.splitlines(), [], 0
    while index < len(lines):
        opened = DIRECTIVE.match(lines[index])
        if not opened:
            out.append(lines[index])
            index += 1
            continue
        fence = opened.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), None)
        if end is None:
            raise ValueError(f"unclosed {{{opened.group('name')}}} directive: {lines[index]!r}")
        indent = opened.group("indent")
        options, body = _parse_body([line.removeprefix(indent) for line in lines[index + 1:end]])
        replacement = _directive(opened.group("name"), opened.group("arg").strip(), options, body, context)
        out += [indent + line if line else line for line in replacement.splitlines()]
        index = end + 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _glue(content: str, context: Context) -> str:
    content = content.strip()
    page, _, content = content.rpartition("::")
    if page and context.other_glue is None:
        raise KeyError(f"glued value {content!r} of {page} cannot be read: no page loader given")
    glue = context.other_glue(page) if page else context.glue
    found = GLUE_FORMAT.match(content)
    name, spec = found.group("name"), found.group("spec")
    if name not in glue:
        raise KeyError(f"glued value {name!r} not found in the stored outputs of {page or 'the notebook'}")
    value = NUMPY_SCALAR.sub(r"\1", glue[name].strip())  # numpy 2 reprs: np.float64(0.2) -> 0.2
    if spec:  # myst-nb's own formatter, so the kit shows exactly what the site shows
        from myst_nb.core.variables import format_plain_text

        value = format_plain_text(value, spec)
    return value.strip("'\"")


def _role(match: re.Match, context: Context) -> str:
    role, content = match.group("role"), match.group("content")
    explicit = EXPLICIT.match(content)
    text, target = (explicit.group("text"), explicit.group("target")) if explicit else (content, content)
    if role.startswith("cite"):
        return cite([k.strip() for k in content.split(",")], context.references, parenthetical=role != "cite:t")
    if role.startswith("glue"):
        return _glue(content, context)
    if role in DATA_ROLES:  # counts and values computed from data/ at conversion time, as the site does
        return DATA_ROLES[role](content.strip())
    if role == "download":
        return f"[{text}]({target})"
    if role == "math":
        return f"${content}$"
    if role == "doc":
        return f"[{text}]({target}.ipynb)" if explicit else text
    return text


def convert(text: str, context: Context) -> str:
    """A MyST Markdown text as plain (CommonMark + GFM tables + dollar maths) Markdown."""
    text = _directives(text, context)
    text = ROLE.sub(lambda m: _role(m, context), text)
    text = TARGET.sub("", COMMENT.sub("", BLOCK_BREAK.sub("", text)))
    text = MATH_LABEL.sub("$$", text)
    return MD_LINK.sub(lambda m: f"]({m.group('path')}.ipynb{m.group('anchor') or ''})", text)
