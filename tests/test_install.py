"""Installed as a person installs it (`pip install .` or pipx, not the developer's `-e`): every package and the
theme go in, and every command runs from the installed copy, far from this checkout."""

from __future__ import annotations

import ast
import os
import re
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["build", "share", "watch", "check", "new", "import", "init"]
LEFT_OUT = (".git", "build", "*.egg-info", "output", "share", "work", ".*_cache", ".hypothesis", "__pycache__")


def test_every_package_under_generator_is_in_the_install() -> None:
    listed = re.search(r"^packages = (\[[^\]]*\])", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert listed, "pyproject.toml lists its packages under [tool.setuptools]"
    declared = ast.literal_eval(listed.group(1))  # (tomllib is Python 3.11's; Interlude runs on 3.10 too)
    found = sorted(".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "generator").rglob("__init__.py"))
    assert sorted(p for p in declared if p != "generator.theme") == found
    assert "generator.theme" in declared  # templates/, shipped inside the package


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away virtual environment holding Interlude installed from a wheel of this checkout (its
    dependencies are this Python's own: nothing is downloaded)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy: an old build/ folder in the checkout would put its leftovers in the wheel
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    wheels = work / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        cwd=work,
    )
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The dependencies from this Python's folders, as plain paths: their .pth files (the developer's editable
    # install of Interlude among them) are not read, so nothing of this checkout can be imported.
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(own, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    wheel = next(wheels.glob("interlude-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        cwd=work,
    )
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed `interlude`, run in `cwd` with nothing of this checkout on its path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(env_dir / "bin" / "interlude"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_installed_copy_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import generator, generator.render as r; print(generator.__file__); print(r.default_theme())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert where[0].startswith(str(installed)) and where[1].startswith(str(installed)), where


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_commands_help_runs_from_the_install(installed: Path, tmp_path: Path, command: str | None) -> None:
    result = run(installed, *([command] if command else []), "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: interlude") and "Traceback" not in result.stderr


def test_an_import_and_a_build_run_from_the_install(installed: Path, tmp_path: Path) -> None:
    export = tmp_path / "journal.txt"
    export.write_text(
        "[2024-02-03 09:15] A first line from jrnl.\nThe rest of it.\n\n[2024-02-04 21:00] Another day. @sleep\n",
        encoding="utf-8",
    )
    imported = run(installed, "import", "jrnl", str(export), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert len(list((tmp_path / "entries").rglob("*.md"))) == 2
    built = run(installed, "build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    index = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert "A first line from jrnl" in index and (tmp_path / "output" / "static" / "style.css").is_file()
