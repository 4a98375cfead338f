"""`python -m runri_monitor ...` is the `runri` command."""

from runri_monitor.cli import main

main()
