"""Reading a page as its user reads it: with HTML entities decoded, so that a name such as
O'Brien (which the templates rightly print as ``O&#x27;Brien``) is found by a plain ``in``."""

import html
from html.parser import HTMLParser


def page_text(response) -> str:
    return html.unescape(response.content.decode())


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "head"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    """Only the words on the page, without tags or attributes: for asserting that a short
    word is absent (a random token in an attribute, such as the CSRF token, can hold any
    two letters)."""
    parser = _Words()
    parser.feed(response.content.decode())
    parser.close()
    return " ".join(" ".join(parser.parts).split())
