"""A working pattern cache for the HTML parser WeasyPrint uses (tinyhtml5).

The parser's tokenizer reads runs of text with `HTMLUnicodeInputStream.chars_until`, which
keeps its compiled patterns in the module's `characters_until_regex` dict, keyed by the
characters to stop at. In tinyhtml5 2.1.0 the pattern is stored under the wrong key (the
compiled pattern itself, as the chained assignment rebinds the name first), so every call
builds the pattern's source again and looks it up in `re`'s own cache: about 2.5 ms of
parsing an OH report's HTML (5.7 ms; docs/performance.md, "PDF reports").

`install` replaces that dict with one that builds a missing pattern on first use, exactly
as the parser would, and keeps it under the key the parser looks up; the parser's own code
then always finds it. Only for the version this was written against (`TINYHTML5_VERSION`);
with any other the parser is left as it is. A test parses the reports' HTML both ways and
compares the trees.
"""

from __future__ import annotations

import re
from typing import Any

import tinyhtml5
from tinyhtml5 import inputstream

#: The tinyhtml5 release whose cache this replaces.
TINYHTML5_VERSION = "2.1.0"


class UntilPatterns(dict[tuple[Any, bool], re.Pattern[str]]):
    """`chars_until`'s patterns by (characters, opposite), built as the parser builds them."""

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        source = "".join([f"\\x{ord(character):02x}" for character in characters])
        if not opposite:
            source = f"^{source}"
        pattern = self[key] = re.compile(f"[{source}]+")
        return pattern


_original = inputstream.characters_until_regex


def install() -> bool:
    """Install the cache if tinyhtml5 is the version it was written for."""
    if getattr(tinyhtml5, "__version__", None) != TINYHTML5_VERSION:
        return False
    if not isinstance(inputstream.characters_until_regex, UntilPatterns):
        inputstream.characters_until_regex = UntilPatterns()
    return True


def uninstall() -> None:
    inputstream.characters_until_regex = _original
