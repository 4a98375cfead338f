"""The `runri` command: one entry point, one module per command group.

Commands are registered by name -> "module:attribute" and imported only when used, so that
`runri --help` and quick commands do not pay for spaCy or Scrapy imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from runri_monitor import __version__

# name -> "module:attribute". Add one line per command; keep alphabetical.
COMMANDS: dict[str, str] = {
    "analyze": "runri_monitor.cli.nlp_commands:analyze",
    "backup": "runri_monitor.cli.maintenance:backup",
    "browse": "runri_monitor.cli.analysis:browse",
    "check": "runri_monitor.cli.maintenance:check",
    "clusters": "runri_monitor.cli.analysis:clusters",
    "crawl": "runri_monitor.cli.crawl:crawl",
    "daily": "runri_monitor.cli.daily:daily",
    "eval": "runri_monitor.cli.evaluate:eval_group",
    "export": "runri_monitor.cli.analysis:export",
    "import": "runri_monitor.cli.store_commands:import_",
    "init": "runri_monitor.cli.store_commands:init",
    "process": "runri_monitor.cli.nlp_commands:process",
    "report": "runri_monitor.cli.analysis:report",
    "search": "runri_monitor.cli.analysis:search",
    "sources": "runri_monitor.cli.crawl:sources",
    "stats": "runri_monitor.cli.store_commands:stats",
    "train": "runri_monitor.cli.nlp_commands:train",
    "trends": "runri_monitor.cli.analysis:trends",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # that command group is not built yet
                return None
            raise
        return getattr(module, attr, None)

    @staticmethod
    def _available(name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="runri")
def cli() -> None:
    """runri-monitor: crawl, analyse and query Japanese and Chinese coverage of 潤日 / 润日.

    \b
    Example:
        runri init && runri import docs.jsonl && runri stats
    """


def main() -> None:
    """Console-script entry point: turn expected errors into one line and a non-zero exit."""
    from runri_monitor.errors import RunriError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RunriError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
