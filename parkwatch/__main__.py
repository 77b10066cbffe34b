"""`python -m parkwatch` is the `parkwatch` command."""

from parkwatch.cli import main

main()
