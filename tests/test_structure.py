"""The house rules of issue 16, checked on the product code (pipeline/, scrapers/, nlp/, translate/, db/):
no function above cyclomatic complexity 20 (radon), no module above 400 lines, no SQL text outside db/, no
room importing another that ARCHITECTURE.md does not let it import.

Each rule is checked per room, so a failure names the room and the offenders. Rooms another branch is
still bringing into line carry ``xfail(strict=True)`` with the reason: they are run and reported (xfailed)
while that branch is unmerged; once it is merged the room passes, strict xfail turns that into a failure,
and the mark is to be deleted (`-k "not awaiting"` never hides a room: the marks are listed in AWAITING).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("pipeline", "scrapers", "scrapers/clean", "nlp", "translate", "db")
MAX_COMPLEXITY = 20
MAX_LINES = 400
# SQL as this project writes it: upper-case statements (prose in docstrings is skipped).
SQL = re.compile(r"\b(SELECT\b[\s\S]*\bFROM\b|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|"
                 r"CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER|VIEW)\b|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\s+\w)")

AWAITING: dict[tuple[str, str], str] = {}     # (rule, room) → why that room does not meet it yet


def _modules(room: str) -> list[Path]:
    """The room's own .py files (scrapers/ without its subpackage clean/, which is a room of its own)."""
    files = (ROOT / room).rglob("*.py")
    return sorted(p for p in files if room == "scrapers/clean" or (ROOT / "scrapers/clean") not in p.parents)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def too_complex(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{b.lineno} {b.fullname} {b.complexity}"
            for b in cc_visit(path.read_text(encoding="utf-8")) if b.complexity > MAX_COMPLEXITY]


def too_long(path: Path) -> list[str]:
    n = len(path.read_text(encoding="utf-8").splitlines())
    return [f"{path.relative_to(ROOT)}: {n} lines"] if n > MAX_LINES else []


def sql_text(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [f"{path.relative_to(ROOT)}:{node.lineno} {node.value[:60]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and SQL.search(node.value)]


# What each room may import of the others (ARCHITECTURE.md's table); its own modules always. pipeline: all.
MAY_IMPORT = {
    "scrapers": ("scrapers",),
    "nlp": ("nlp", "scrapers.util", "scrapers.errors"),
    "translate": ("translate", "scrapers.util", "scrapers.errors"),
    "db": ("db", "scrapers.util", "scrapers.errors", "scrapers.types", "nlp.types", "nlp.query", "translate.types"),
}
# Imports outside the table, each with its reason.
IMPORT_EXCEPTIONS = {
    ("db/schema_compact.py", "nlp.analyse"): "forms_of_packed, pure Python: only an archive from before m003 "
                                              "upgrading needs it, imported there",
}
PROJECT = ("pipeline", "scrapers", "nlp", "translate", "db")


def foreign_imports(path: Path) -> list[str]:
    """Imports of another room than ARCHITECTURE.md lets this module's room import (functions' own included)."""
    rel = path.relative_to(ROOT)
    room = rel.parts[0]
    if room not in MAY_IMPORT:
        return []
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue                          # relative imports stay in the room
        for name in names:
            if name.split(".")[0] not in PROJECT or (str(rel), name) in IMPORT_EXCEPTIONS:
                continue
            if not any(name == ok or name.startswith(ok + ".") for ok in MAY_IMPORT[room]):
                out.append(f"{rel}:{node.lineno} imports {name}")
    return out


RULES = {"complexity": too_complex, "lines": too_long, "sql": sql_text, "imports": foreign_imports}


def _cases():
    for rule in RULES:
        for room in ROOMS:
            if rule == "sql" and room == "db":
                continue                     # the one room where SQL belongs
            marks = [pytest.mark.xfail(strict=True, reason=AWAITING[rule, room])] if (rule, room) in AWAITING else []
            yield pytest.param(rule, room, marks=marks, id=f"{rule}-{room.replace('/', '.')}")


@pytest.mark.parametrize("rule,room", list(_cases()))
def test_house_rule(rule, room):
    offenders = [o for path in _modules(room) for o in RULES[rule](path)]
    assert not offenders, f"{rule} in {room}/:\n" + "\n".join(offenders)


def test_the_rules_see_what_they_forbid(tmp_path):
    """The checks themselves: a branchy function, a long module and an SQL string are caught, prose is not."""
    branchy = "def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(21)) + "    return -1\n"
    p = tmp_path / "m.py"
    p.write_text('"""SELECT words FROM a docstring are prose."""\n' + branchy +
                 'Q = "SELECT id FROM articles WHERE id = ?"\nP = "select the pages from a listing"\n'
                 + "\n" * 400, encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert too_complex(p) == ["m.py:2 f 22"]
        assert too_long(p) == ["m.py: 447 lines"]
        assert sql_text(p) == ["m.py:46 'SELECT id FROM articles WHERE id = ?'"]
        (tmp_path / "db").mkdir()
        q = tmp_path / "db" / "m.py"
        q.write_text("from nlp.types import Sentence\nfrom . import archive\nimport json\n\n\ndef f():\n"
                     "    from nlp.analyse import STOPWORDS\n    import pipeline.run\n", encoding="utf-8")
        assert foreign_imports(q) == ["db/m.py:7 imports nlp.analyse", "db/m.py:8 imports pipeline.run"]
    finally:
        ROOT = saved
