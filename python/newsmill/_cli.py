"""The ``newsmill`` command installed with the package: the binary's command, run in-process."""

import signal
import sys

from . import _native


def main() -> None:
    # Ctrl-C stops the command at once, as it stops the binary: Python's handler would wait
    # for the native run to return before raising KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(_native.main(["newsmill", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
