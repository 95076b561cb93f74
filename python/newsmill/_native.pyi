"""Type hints of the native module (crates/python)."""

from typing import List, Optional, Tuple, TypedDict

__version__: str

class NewsmillError(Exception):
    """A run that did not happen or stopped: the message is what the ``newsmill`` command
    prints on stderr; ``exit_code`` is its exit code."""

    exit_code: int

class Summary(TypedDict):
    documents: int
    failed: int
    files: List[Tuple[str, int]]
    warnings: List[str]

def main(argv: List[str]) -> int:
    """The ``newsmill`` command with ``argv`` (the first item is the program name)."""

def run(
    inputs: List[str], output: str, config: Optional[str] = None, threads: Optional[int] = None
) -> Summary:
    """One quiet run into the folder ``output``; raises NewsmillError as the command fails."""
