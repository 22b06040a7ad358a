"""Reading a page as its user reads it: with HTML entities decoded, so that a name such as
O'Brien (which the templates rightly print as ``O&#x27;Brien``) is found by a plain ``in``."""

import html


def page_text(response) -> str:
    return html.unescape(response.content.decode())
