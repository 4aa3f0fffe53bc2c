"""The shape of the house: a functional core without Streamlit, no import cycles, small modules,
a page folder that holds pages only, and no private Streamlit API anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui.shell import PAGE_TITLES

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "loverboy_stats"
#: "~400 lines" per library module and "~120" per page script (the structure issue).
MAX_MODULE_LINES, MAX_PAGE_LINES = 400, 120


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            found.add(base)
            # "from package import submodule" imports the submodule too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def library_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in LIBRARY.rglob("*.py")}
    return {
        name: {m for m in imported_modules(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_the_library_never_imports_streamlit():
    for path in LIBRARY.rglob("*.py"):
        streamlit = {m for m in imported_modules(path) if m.split(".")[0] == "streamlit"}
        assert not streamlit, f"{path.relative_to(ROOT)} imports {streamlit}"


def test_no_import_cycle_in_the_library():
    graph = library_graph()
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target) :], target] if target in trail else [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_cycle_check_finds_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two modules importing each other inside functions."""
    package = tmp_path / "loverboy_stats"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from loverboy_stats import b\n")
    (package / "b.py").write_text("def g():\n    import loverboy_stats.a\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "LIBRARY", package)
    with pytest.raises(pytest.fail.Exception, match="import cycle"):
        test_no_import_cycle_in_the_library()


def test_modules_and_pages_stay_small():
    for path in [*LIBRARY.rglob("*.py"), *(ROOT / "ui").glob("*.py")]:
        lines = len(path.read_text("utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: {lines} lines"
    for path in (ROOT / "pages").glob("*.py"):
        lines = len(path.read_text("utf-8").splitlines())
        assert lines <= MAX_PAGE_LINES, f"{path.relative_to(ROOT)}: {lines} lines"


def test_the_page_folder_holds_pages_only():
    files = {p.name for p in (ROOT / "pages").iterdir() if p.name != "__pycache__"}
    assert files == set(PAGE_TITLES), "every file in pages/ is a page of the router, and back"
    for name in files:
        tree = ast.parse((ROOT / "pages" / name).read_text("utf-8"))
        calls = [
            n.value.func.id
            for n in tree.body
            if isinstance(n, ast.Expr)
            and isinstance(n.value, ast.Call)
            and isinstance(n.value.func, ast.Name)
        ]
        assert calls and calls[0] == "page_start", f"pages/{name} must start with page_start()"


def test_no_private_streamlit_api_anywhere():
    private = "streamlit" + ".runtime"  # written apart, so this file does not match itself
    folders = ["loverboy_stats", "ui", "pages", "tests", "bench", "scripts"]
    sources = [ROOT / "app.py", *(p for f in folders for p in (ROOT / f).rglob("*.py"))]
    users = [p.relative_to(ROOT) for p in sources if private in p.read_text("utf-8")]
    assert users == []
