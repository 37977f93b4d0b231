"""The import rules of docs/architecture.md, checked on the code itself.

Each top-level package may import only the packages of ours listed for it, and
only the packages that run inside Rasa's process may import Rasa: the action
server and the desk stay deployable without it.
"""
import ast
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package → the packages of ours it may import (docs/architecture.md, "Who may import whom")
ALLOWED: Dict[str, Set[str]] = {
    "support": set(),
    "contract": {"support"},
    "orders": {"support"},
    "nlu": {"support"},
    "dialogue": {"contract", "support"},
    "runtime": {"support"},
    "channels": {"contract", "support"},
    "actions": {"contract", "support", "orders"},
    "desk": {"contract", "support"},
    "scripts": {"contract", "support", "orders"},
}
OURS = set(ALLOWED)
# loaded into Rasa's own process (config.yml, endpoints.yml, credentials.yml), and the
# scripts that train and evaluate models
MAY_IMPORT_RASA = {"nlu", "dialogue", "channels", "runtime", "scripts"}


def imports_of(package: str) -> Iterator[Tuple[Path, int, str]]:
    """Every absolute import in ``package``: (file, line, top-level module)."""
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.lineno, node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_the_architecture_allows(package):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path, line, module in imports_of(package)
        if module in OURS and module != package and module not in ALLOWED[package]
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", sorted(OURS - MAY_IMPORT_RASA))
def test_only_what_runs_inside_rasa_imports_rasa(package):
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path, line, module in imports_of(package)
        if module == "rasa"
    ]
    assert not wrong, f"{package} must not import Rasa (actions use rasa_sdk): " + ", ".join(wrong)


@pytest.mark.parametrize("package", sorted(OURS - {"actions"}))
def test_only_the_action_server_imports_rasa_sdk(package):
    wrong = [f"{path.relative_to(ROOT)}:{line}" for path, line, module in imports_of(package) if module == "rasa_sdk"]
    assert not wrong, f"{package} must not import rasa_sdk: " + ", ".join(wrong)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_are_absolute_so_the_rules_see_them(package):
    relative = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.level > 0]
        relative += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__"]
    assert not relative, "relative or dynamic imports: " + ", ".join(relative)


def test_every_top_level_package_has_a_rule():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} | {"scripts"}
    assert packages - {"tests"} == OURS


def test_the_rule_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The check itself works: a support module importing the desk is reported."""
    fake_root = tmp_path
    (fake_root / "support").mkdir()
    (fake_root / "support" / "bad.py").write_text("from desk.models import Ticket\nimport os\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake_root)
    found = [(line, module) for _, line, module in imports_of("support")]
    assert found == [(1, "desk"), (2, "os")]
    with pytest.raises(AssertionError, match="support/bad.py:1 imports desk"):
        test_a_package_imports_only_what_the_architecture_allows("support")
