"""Reading HTML forms the way a browser submits them (for the load client)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """Collects every POST form of a page: its action and the pairs it would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.fields = []
                self.forms.append((a.get("action", ""), self.fields))
            return
        if self.fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_chosen = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if self.fields is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select_chosen if self._select_chosen is not None else self._select_first
            if chosen is not None:
                self.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.fields = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def post_forms(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every POST form of the page, in order, as (action, name/value pairs)."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def pick(
    forms: list[tuple[str, list[tuple[str, str]]]], *, action_contains: str | None = None
) -> list[tuple[str, str]]:
    """The first form whose action contains `action_contains`, or without it the first
    that posts back to its own page. Raises ValueError when there is no such form."""
    for action, fields in forms:
        if (action_contains is None and not action) or (
            action_contains is not None and action_contains in action
        ):
            return list(fields)
    raise ValueError(f"no POST form with action containing {action_contains!r}")


def form_fields(html: str, *, action_contains: str | None = None) -> list[tuple[str, str]]:
    """The name/value pairs a POST form of the page would submit unchanged (see `pick`)."""
    return pick(post_forms(html), action_contains=action_contains)
