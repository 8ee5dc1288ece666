import os
from pathlib import Path
import pytest
from generator import output as output_module
from generator.output import MARKER, write_site

SITE = {f"entries/{n}.html": b"x" * n for n in range(1, 30)} | {"index.html": b"home", "static/s.css": b"c"}

class Killed(BaseException):
    pass

@pytest.mark.parametrize("after", range(1, 36))
def test_removal_cut_short(tmp_path, monkeypatch, after):
    entries = tmp_path / "entries"; entries.mkdir()
    out = tmp_path / "out"
    write_site(out, entries, SITE)
    real = os.unlink
    count = [0]
    def unlink(*a, **k):
        count[0] += 1
        if count[0] == after:
            raise Killed
        return real(*a, **k)
    monkeypatch.setattr(output_module, "_cleanup", lambda output: None)
    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(Killed):
        write_site(out, entries, {"index.html": b"new"})
    monkeypatch.setattr(os, "unlink", real)
    write_site(out, entries, {"index.html": b"newer"})
    assert (out / "index.html").read_bytes() == b"newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "out"]
