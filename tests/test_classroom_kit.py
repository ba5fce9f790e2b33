"""The classroom kit: built from the repository, unpacked, run from inside with nothing installed.

The kit is built in a temporary folder with the current environment (nothing new is installed).
Student notebooks must run with the kit's own package and data and hold no solution; instructor
notebooks must hold every solution of the sources; no MyST markup may reach JupyterLab; a kit
without its data folder must say so in one line.
"""

from __future__ import annotations

import ast
import os
import re
import runpy
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbclient
import nbformat
import pytest

from pairing_assistance import data
from pairing_assistance.classroom import ARCHIVE_NAME, KIT_NAME, build_kit
from pairing_assistance.classroom.kit import chapter_files

ROOT = Path(__file__).resolve().parent.parent
GATED_SOLUTION = re.compile(r"\{solution-start\}(.*?)\{solution-end\}", re.DOTALL)
MYST_LEFTOVERS = re.compile(r"\{[\w:-]+\}`|^\s*:[\w-]+:|^\s*(?:`{3,}|:{3,})\{|^\([\w:.-]+\)=", re.MULTILINE)
EXECUTED = "02_theory.ipynb"  # the chapter with solution code cells (gated solutions) to remove


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    archive = build_kit(ROOT, tmp_path_factory.mktemp("site") / ARCHIVE_NAME)
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
    return target / KIT_NAME


def _source_solution_code(name: str) -> list[str]:
    """Code cells that sit between solution-start and solution-end in the book's source notebook."""
    cells, inside = [], False
    for cell in nbformat.read(ROOT / "book" / name, as_version=4).cells:
        if cell.cell_type == "markdown":
            inside = ("{solution-start}" in cell.source or inside) and "{solution-end}" not in cell.source
        elif inside:
            cells.append(cell.source)
    return cells


def _run(notebook, folder: Path, monkeypatch) -> None:
    for variable in ("PYTHONPATH", "PAIRING_DATA_DIR"):
        monkeypatch.delenv(variable, raising=False)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute()


def test_student_notebook_runs_from_inside_the_kit_with_the_kits_package_and_data(kit, monkeypatch):
    notebook = nbformat.read(kit / "student" / EXECUTED, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import sys, pairing_assistance\nfrom pairing_assistance import data\n"
        "print(pairing_assistance.__file__); print(data.data_dir()); print(sys.path)"))
    _run(notebook, kit / "student", monkeypatch)
    package_file, data_folder, path = notebook.cells[-1].outputs[0]["text"].splitlines()
    assert Path(package_file).is_relative_to(kit)
    assert Path(data_folder) == kit / "data"
    repository = [p for p in ast.literal_eval(path) if p and Path(p).resolve().is_relative_to(ROOT)
                  and not Path(p).resolve().is_relative_to(Path(sys.prefix).resolve())]
    assert repository == []  # only the environment's own packages, nothing from the repository
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def test_student_notebooks_have_no_solutions(kit):
    for page in chapter_files(ROOT):
        source = page.read_text(encoding="utf-8")
        student = nbformat.read(kit / "student" / page.relative_to(ROOT / "book").with_suffix(".ipynb"), 4)
        text = "\n".join(c.source for c in student.cells)
        assert "**参考解答" not in text and "{solution" not in text, page.name
        assert text.count("**练习 ") == source.count("{exercise}"), page.name
    solution_code = _source_solution_code(EXECUTED)
    assert solution_code, "the executed chapter should have solution code cells to remove"
    student_code = [c.source for c in nbformat.read(kit / "student" / EXECUTED, 4).cells if c.cell_type == "code"]
    assert not set(solution_code) & set(student_code)


def test_instructor_notebooks_keep_every_solution(kit):
    for page in chapter_files(ROOT):
        source = page.read_text(encoding="utf-8")
        instructor = nbformat.read(kit / "instructor" / page.relative_to(ROOT / "book").with_suffix(".ipynb"), 4)
        text = "\n".join(c.source for c in instructor.cells)
        expected = source.count("{solution}") + source.count("{solution-start}")
        assert text.count("**参考解答") == expected, page.name
    code = [c.source for c in nbformat.read(kit / "instructor" / EXECUTED, 4).cells if c.cell_type == "code"]
    assert all(cell in code for cell in _source_solution_code(EXECUTED))


def test_kit_notebooks_hold_plain_markdown_and_no_outputs(kit):
    notebooks = sorted(kit.glob("*/**/*.ipynb"))
    assert len(notebooks) == 2 * len(chapter_files(ROOT))
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert not MYST_LEFTOVERS.search(cell.source), (path.name, MYST_LEFTOVERS.search(cell.source))
            else:
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_kit_holds_package_data_and_instructions(kit):
    for name in ("教师说明.md", "requirements-classroom.txt", "pyproject.toml", "data/datapackage.json",
                 "pairing_assistance/data.py", "student/kit_check.py", "instructor/kit_check.py"):
        assert (kit / name).is_file(), name
    shipped = {p.relative_to(kit / "data") for p in (kit / "data").rglob("*") if p.is_file()}
    assert shipped == {p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert not (kit / "pairing_assistance" / "classroom").exists()  # the builder stays out of the kit
    notes = (kit / "教师说明.md").read_text(encoding="utf-8")
    assert "pip install -r requirements-classroom.txt" in notes and "jupyter lab" in notes


def test_classroom_requirements_pin_the_same_versions_as_requirements_txt():
    def pins(name):
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        return dict(line.split("==") for line in lines if "==" in line and not line.startswith("#"))

    classroom, book = pins("requirements-classroom.txt"), pins("requirements.txt")
    assert all(classroom[name] == book[name] for name in classroom if name in book)
    assert "jupyterlab" in classroom


def test_archive_is_reproducible(tmp_path):
    first = build_kit(ROOT, tmp_path / "a" / ARCHIVE_NAME).read_bytes()
    second = build_kit(ROOT, tmp_path / "b" / ARCHIVE_NAME).read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / ARCHIVE_NAME) as opened:
        names = opened.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in opened.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_sphinx_extension_puts_the_kit_into_the_site(tmp_path):
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        extension = __import__("classroom_kit")
    finally:
        sys.path.remove(str(ROOT / "book" / "_ext"))
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), srcdir=str(ROOT), outdir=str(tmp_path))
    extension._build_finished(app, None)
    assert zipfile.is_zipfile(tmp_path / "classroom" / ARCHIVE_NAME)
    page = (ROOT / "book" / "classroom.md").read_text(encoding="utf-8")
    assert f'href="../classroom/{ARCHIVE_NAME}"' in page


def test_kit_without_data_says_so_in_one_line(kit, tmp_path, monkeypatch):
    broken = tmp_path / KIT_NAME
    for path in kit.rglob("*"):
        relative = path.relative_to(kit)
        if path.is_file() and relative.parts[0] != "data" and "__pycache__" not in relative.parts:
            (broken / relative).parent.mkdir(parents=True, exist_ok=True)
            (broken / relative).write_bytes(path.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PAIRING_DATA_DIR")}
    result = subprocess.run([sys.executable, "student/kit_check.py"], cwd=broken, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.count("\n") == 1 and "找不到数据文件夹" in result.stdout and "unzip" in result.stdout

    notebook = nbformat.read(broken / "student" / "03_evolution.ipynb", as_version=4)
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        _run(notebook, broken / "student", monkeypatch)
    error = next(o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error")
    assert len(error["traceback"]) == 1 and "找不到数据文件夹" in error["traceback"][0]


def test_too_old_python_gets_one_line_with_the_fix(kit, monkeypatch, capsys):
    monkeypatch.setattr(sys, "version_info", (3, 9, 18, "final", 0))
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(kit / "student" / "kit_check.py"), run_name="__main__")
    assert stopped.value.code == 1
    line = capsys.readouterr().out
    assert line.count("\n") == 1 and "Python 3.11" in line and "3.9" in line
    assert "pip install -r requirements-classroom.txt" in line


def test_package_reports_a_missing_data_folder_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRING_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataFolderMissing) as raised:
        data.data_dir()
    rendered = raised.value._render_traceback_()
    assert len(rendered) == 1 and str(tmp_path / "nowhere") in rendered[0] and "unzip" in rendered[0]


def _installed_closure(names: set[str]) -> set[str]:
    """The given distributions and everything they require, as installed in this environment."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # listed but not in this environment (jupyterlab)
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_classroom_requirements_cover_every_import_of_the_kit(kit):
    from importlib import metadata

    from packaging.utils import canonicalize_name

    sources = [p.read_text(encoding="utf-8") for p in (kit / "pairing_assistance").rglob("*.py")]
    sources += [c.source for p in (kit / "instructor").rglob("*.ipynb")
                for c in nbformat.read(p, 4).cells if c.cell_type == "code"]
    modules = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"pairing_assistance", "kit_check", "__future__"}
    lines = (ROOT / "requirements-classroom.txt").read_text(encoding="utf-8").splitlines()
    available = _installed_closure({line.split("==")[0] for line in lines if "==" in line})
    providers = metadata.packages_distributions()
    uncovered = {m for m in third_party if not {canonicalize_name(d) for d in providers.get(m, [])} & available}
    assert third_party and not uncovered

