"""The README must stay true: every `runri` command is documented, and both set-up commands are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from runri_monitor.cli import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_readme(command):
    assert f"runri {command}" in README


def test_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README
