"""Command line: score one assessment document and print the results as JSON.

    python -m assessments.scoring FILE.json     (or "-" to read standard input)

Prints the complete results (every method result, the strain score with its components, the
referrals and the ranked recommendations) as JSON, indented by 2, and exits 0.

Exit status 2, with messages on standard error:

* invalid input: one line per error, "path: message" (e.g.
  "lifting_tasks[0].h_origin: -5 cm is negative; ...");
* a file that cannot be read, text that is not UTF-8, or text that is not valid JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Final

from assessments.scoring.assessment import assess
from assessments.scoring.interchange import InputErrors, dump_result, parse_input

__all__ = ["EXIT_INVALID", "EXIT_OK", "main"]

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f'duplicate key "{key}" in a JSON object')
        result[key] = value
    return result


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(source, "rb") as handle:
        return handle.read().decode("utf-8")


def _write(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m assessments.scoring",
        description="Score one assessment document (docs/interchange.md) and print the "
        "results as JSON.",
    )
    parser.add_argument("file", help='the input document (JSON), or "-" for standard input')
    args = parser.parse_args(argv)
    name = "standard input" if args.file == "-" else args.file

    try:
        text = _read(args.file)
    except OSError as error:
        print(f"{name}: cannot read the file: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID
    except UnicodeDecodeError as error:
        print(f"{name}: not UTF-8 text (byte {error.start})", file=sys.stderr)
        return EXIT_INVALID
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        print(
            f"{name}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except _DuplicateKeyError as error:
        print(f"{name}: not valid input: {error}", file=sys.stderr)
        return EXIT_INVALID
    except RecursionError:
        print(f"{name}: not valid input: JSON nested too deeply", file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:  # e.g. a number with more digits than Python will convert
        print(f"{name}: not valid JSON: {error}", file=sys.stderr)
        return EXIT_INVALID

    try:
        parsed = parse_input(data)
    except InputErrors as invalid:
        for problem in invalid.errors:
            print(str(problem), file=sys.stderr)
        return EXIT_INVALID

    results = dump_result(assess(parsed))
    _write(json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
