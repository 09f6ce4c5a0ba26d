"""Text the database can store.

PostgreSQL refuses the NUL character in text and JSON, and no database driver can encode
a lone UTF-16 surrogate (U+D800 to U+DFFF) as UTF-8. Typed text cannot contain them (form
posts are decoded as UTF-8, and Django's text fields refuse NUL), but a JSON file can
spell them out as escapes (`"\\u0000"`, `"\\ud800"`). Whatever reads such a file checks
every string with `unstorable`, so the problem is reported at its place in the file
instead of failing in the database driver.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

UNSTORABLE_MESSAGE = _("This text contains a character that cannot be stored ({character}).")


def unstorable(text: str) -> str | None:
    """The first character of `text` that cannot be stored, as its code point (U+D800 for
    a lone surrogate), or None."""
    found = _UNSTORABLE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def printable(text: str) -> str:
    """`text` with each character that cannot be stored written as an escape (`\\ud800`),
    so it can be shown on a page."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
