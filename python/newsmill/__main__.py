"""``python -m newsmill``: the ``newsmill`` command (for Spark executors and venvs without the
script on PATH)."""

from ._cli import main

main()
