#!/usr/bin/env bash
# Re-create static/vendor/{govuk-frontend,moj-frontend,htmx} from pinned npm tarballs.
#
# A dev-time step only: the app serves the committed files and never needs Node.
# Running it again with the same pins must leave `git status` clean.
#
# Needs: npm (only for `npm pack`), tar, openssl, python3.
set -euo pipefail

GOVUK_VERSION="5.14.0"
GOVUK_INTEGRITY="sha512-MgfaXswIM6KpXS2T5gltEnzgVLgfM3UoE9+rYkhBiR0suaJ8Let31VZXQZqz9QhiPDbv28fW1nRjIyLujfZIBA=="
# MOJ Frontend 9.x and later need govuk-frontend 6, which crispy-forms-gds does not support.
MOJ_VERSION="8.0.1"
MOJ_INTEGRITY="sha512-IPgCcNe+XKV55I4J/SIoYAkfYp7mmUKjO1igXhzOtcF05+stWPbJuL9QzKORlRUxkwZtQ1jmiY7PZxMQzOXniw=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {
    # fetch <npm spec> <expected integrity> <folder name under $WORK>
    local spec="$1" integrity="$2" name="$3" tarball actual
    tarball="$(cd "$WORK" && npm pack --silent "$spec" | tail -n 1)"
    actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$tarball" | base64 -w0)"
    if [[ "$actual" != "$integrity" ]]; then
        echo "Integrity mismatch for $spec: got $actual" >&2
        exit 1
    fi
    mkdir -p "$WORK/$name"
    tar -xzf "$WORK/$tarball" -C "$WORK/$name"
}

mit_licence() {
    # mit_licence <copyright holder>
    cat <<EOF
The MIT License (MIT)

Copyright (c) $1

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF
}

fetch "govuk-frontend@$GOVUK_VERSION" "$GOVUK_INTEGRITY" govuk
fetch "@ministryofjustice/frontend@$MOJ_VERSION" "$MOJ_INTEGRITY" moj
fetch "htmx.org@$HTMX_VERSION" "$HTMX_INTEGRITY" htmx

rm -rf "$VENDOR/govuk-frontend" "$VENDOR/moj-frontend" "$VENDOR/htmx"

# GOV.UK Frontend: built CSS and JS, images and the web app manifest. Not assets/fonts:
# the GDS Transport typeface is licensed for GOV.UK services only.
src="$WORK/govuk/package/dist/govuk"
dst="$VENDOR/govuk-frontend"
mkdir -p "$dst/assets/images"
cp "$src/govuk-frontend.min.css" "$src/govuk-frontend.min.js" "$dst/"
cp "$src"/assets/images/* "$dst/assets/images/"
if [[ -f "$src/assets/manifest.json" ]]; then
    cp "$src/assets/manifest.json" "$dst/assets/"
fi
echo "$GOVUK_VERSION" > "$dst/VERSION"
mit_licence "Crown Copyright (Government Digital Service)" > "$dst/LICENCE"

# MOJ Frontend.
src="$WORK/moj/package/moj"
dst="$VENDOR/moj-frontend"
mkdir -p "$dst/assets/images"
cp "$src/moj-frontend.min.css" "$src/moj-frontend.min.js" "$dst/"
cp "$src"/assets/images/* "$dst/assets/images/"
echo "$MOJ_VERSION" > "$dst/VERSION"
mit_licence "Crown Copyright (Ministry of Justice)" > "$dst/LICENCE"

# htmx: its package.json says 0BSD and the tarball carries the licence text.
src="$WORK/htmx/package"
dst="$VENDOR/htmx"
mkdir -p "$dst"
cp "$src/dist/htmx.min.js" "$dst/"
cp "$src/LICENSE" "$dst/LICENCE"
echo "$HTMX_VERSION" > "$dst/VERSION"

# Post-process the built files:
# - drop the "GDS Transport" @font-face rules so browsers do not ask for missing fonts
#   (the font stacks fall back to Arial);
# - make /assets/images/... urls relative, so they resolve next to each CSS file;
# - drop sourceMappingURL comments: the .map files are not vendored, and Django's
#   ManifestStaticFilesStorage fails on references to missing files;
# - then check every url(...) left in the CSS points at a vendored file.
python3 - "$VENDOR" <<'PY'
import re
import sys
from pathlib import Path

vendor = Path(sys.argv[1])
css_files = [
    vendor / "govuk-frontend" / "govuk-frontend.min.css",
    vendor / "moj-frontend" / "moj-frontend.min.css",
]
js_files = [
    vendor / "govuk-frontend" / "govuk-frontend.min.js",
    vendor / "moj-frontend" / "moj-frontend.min.js",
    vendor / "htmx" / "htmx.min.js",
]

font_face = re.compile(r"@font-face\{[^{}]*\}")
css_map = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/\s*")
js_map = re.compile(r"//# sourceMappingURL=\S*\s*$")
url = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")

problems = []
for path in css_files:
    text = path.read_text(encoding="utf-8")
    text = font_face.sub(
        lambda m: "" if "GDS Transport" in m.group(0) else m.group(0), text
    )
    text = text.replace("url(/assets/images/", "url(assets/images/")
    text = css_map.sub("", text).rstrip() + "\n"
    path.write_text(text, encoding="utf-8")
    if re.search(r"@font-face\{[^{}]*GDS Transport", text) or "/assets/fonts/" in text:
        problems.append(f"{path.name}: a GDS Transport @font-face rule is left")
    for ref in url.findall(text):
        if ref.startswith("data:") or ref.startswith("#"):
            continue
        if ref.startswith("/") or "://" in ref or not (path.parent / ref).is_file():
            problems.append(f"{path.name}: url({ref}) does not resolve")

for path in js_files:
    text = path.read_text(encoding="utf-8")
    text = js_map.sub("", text).rstrip() + "\n"
    path.write_text(text, encoding="utf-8")

if problems:
    sys.exit("\n".join(problems))
PY

find "$VENDOR/govuk-frontend" "$VENDOR/moj-frontend" "$VENDOR/htmx" -type d -exec chmod 755 {} +
find "$VENDOR/govuk-frontend" "$VENDOR/moj-frontend" "$VENDOR/htmx" -type f -exec chmod 644 {} +
echo "Vendored govuk-frontend $GOVUK_VERSION, MOJ Frontend $MOJ_VERSION, htmx $HTMX_VERSION into $VENDOR"
