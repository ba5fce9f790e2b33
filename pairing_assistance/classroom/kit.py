"""Build the classroom kit: one zip with student and instructor notebooks, the package and the data.

Layout inside the archive (one top folder, so unpacking never scatters files)::

    pairing-assistance-classroom/
      教师说明.md  requirements-classroom.txt  pyproject.toml  README.md  LICENSE ...
      pairing_assistance/   the book's package (without this kit builder)
      data/                 every table and the datapackage.json
      student/              chapters as notebooks, exercise solutions removed
      instructor/           the same notebooks with the solutions
      student/kit_check.py, instructor/kit_check.py   first cell of each notebook imports it

Notebooks are generated from ``book/`` in the order of ``_toc.yml``: MyST is rewritten as plain
Markdown (``myst.convert``), outputs are cleared (students run the cells themselves; stored answers
would give solutions away), and ``.md`` chapters become Markdown-only notebooks. The archive is
deterministic: sorted entries, one fixed timestamp, fixed permissions, so an unchanged
repository gives a byte-identical file and the file is only rewritten when its bytes change.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import nbformat
from pairing_assistance.editions import glued
from pairing_assistance.toc import toc_docnames

from .bibliography import load_references
from .myst import Context, convert, cited_keys, exercise_labels, solution_heading, split_gated

KIT_NAME = "pairing-assistance-classroom"
ARCHIVE_NAME = f"{KIT_NAME}.zip"
VARIANTS = {"student": True, "instructor": False}  # folder -> solutions removed
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip needs a date; a fixed one keeps the archive reproducible
TOP_FILES = ("requirements-classroom.txt", "pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md",
             "CITATION.cff")
# pdf.py builds the book's PDF (a maintainer tool needing Chromium), not something a class runs
SKIPPED = re.compile(r"(__pycache__|\.ipynb_checkpoints|\.pyc$|\.egg-info|/classroom(/|$)|/pdf\.py$)")
CHECK_CELL = "import kit_check  # 课堂包自检：Python 版本、依赖包与 data 文件夹；并让笔记本找到 pairing_assistance"
KIT_PAGE = "book/classroom"  # the website's download page: about the kit, not part of it
STUDENT_NOTE = "> 学生版：本笔记本中的练习不附参考解答，做完后请与老师核对。"
HERE = Path(__file__).resolve().parent


def chapter_files(root: Path) -> list[Path]:
    """The book's pages in table-of-contents order (``root`` then every ``file`` entry)."""
    names = toc_docnames(root)
    pages = []
    for name in (n for n in names if n != KIT_PAGE):
        found = [root / f"{name}{suffix}" for suffix in (".ipynb", ".md") if (root / f"{name}{suffix}").exists()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but neither {name}.ipynb nor {name}.md exists")
        pages.append(found[0])
    return pages


def _markdown_notebook(text: str):
    """A ``.md`` page as a notebook: one Markdown cell per level-1 or level-2 section."""
    cells, current, in_fence = [], [], None
    for line in text.splitlines():
        fence = re.match(r"^[ \t]*(`{3,}|:{3,})", line)
        if fence and in_fence is None:
            in_fence = fence.group(1)
        elif fence and line.strip() == in_fence[0] * len(line.strip()) and len(line.strip()) >= len(in_fence):
            in_fence = None
        if in_fence is None and re.match(r"^#{1,2} ", line) and any(x.strip() for x in current):
            cells.append(nbformat.v4.new_markdown_cell("\n".join(current).strip("\n")))
            current = []
        current.append(line)
    cells.append(nbformat.v4.new_markdown_cell("\n".join(current).strip("\n")))
    return nbformat.v4.new_notebook(cells=cells)


def _variant(source, references, students: bool, page: Path | None = None):
    """One kit notebook: MyST converted, solutions kept or dropped, outputs cleared, a check cell first."""
    markdown = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    def other_glue(relative: str) -> dict[str, str]:
        return glued(nbformat.read(page.parent / relative, as_version=4))

    context = Context(references, students, glued(source), cited_keys(markdown),
                      {label: n for n, label in enumerate(exercise_labels(markdown), start=1)},
                      other_glue if page is not None else None)
    cells, in_solution = [], False
    for cell in source.cells:
        if cell.cell_type == "code":
            if not (students and in_solution):
                cells.append(nbformat.v4.new_code_cell(cell.source))
            continue
        kept = []
        for kind, body in split_gated(cell.source):
            if kind == "start":
                in_solution = True
                kept += [] if students else [solution_heading(body, context)]
            elif kind == "end":
                in_solution = False
            elif not (students and in_solution):
                kept.append(convert(body, context))
        text = "\n\n".join(part.strip("\n") for part in kept if part.strip())
        if text:
            cells.append(nbformat.v4.new_markdown_cell(text))
    if in_solution:
        raise ValueError("a solution-start has no matching solution-end")
    if students and context.exercises and cells:
        cells.insert(1, nbformat.v4.new_markdown_cell(STUDENT_NOTE))
    for cell in cells:  # the website's page about the kit is not in the kit: point to its notes instead
        cell.source = cell.source.replace(f"]({Path(KIT_PAGE).name}.ipynb)", "](../教师说明.md)")
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), None)
    if first_code is not None:
        cells.insert(first_code, nbformat.v4.new_code_cell(CHECK_CELL))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number:03d}"  # nbformat draws random ids; fixed ones keep the zip reproducible
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}}
    return notebook


def kit_files(root: Path) -> dict[str, bytes]:
    """Every file of the kit, by its path inside the archive."""
    root = Path(root)
    references = load_references(root / "book" / "references.bib")
    files: dict[str, bytes] = {"教师说明.md": (HERE / "teacher_notes.md").read_bytes()}
    for name in TOP_FILES:
        files[name] = (root / name).read_bytes()
    for folder in ("pairing_assistance", "data"):
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not SKIPPED.search(relative):
                files[relative] = path.read_bytes()
    for page in chapter_files(root):
        text = page.read_text(encoding="utf-8")
        source = nbformat.reads(text, as_version=4) if page.suffix == ".ipynb" else _markdown_notebook(text)
        inside = page.relative_to(root / "book").with_suffix(".ipynb").as_posix()
        for folder, students in VARIANTS.items():
            notebook = _variant(source, references, students, page)
            files[f"{folder}/{inside}"] = (nbformat.writes(notebook) + "\n").encode("utf-8")
    for folder in VARIANTS:
        files[f"{folder}/kit_check.py"] = (HERE / "kit_check.py").read_bytes()
    return files


def archive_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{KIT_NAME}/{name}", date_time=FIXED_TIME)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def build_kit(root: Path, target: Path) -> Path:
    """Write the kit for the repository at ``root`` to ``target`` (a .zip); untouched if unchanged."""
    data = archive_bytes(kit_files(Path(root)))
    target = Path(target)
    if not (target.exists() and target.read_bytes() == data):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target
