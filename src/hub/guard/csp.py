"""The Content-Security-Policy of every HTML document the hub publishes, written into the document.

The site shares its origin with the editing UI at /admin/, which keeps an editor's GitHub
token in the browser: a script smuggled into any page could read it. A policy tells the
browser to run only the scripts the site means to run. GitHub Pages cannot send response
headers, so each document carries its policy as `<meta http-equiv="Content-Security-Policy">`,
placed before anything the browser fetches or runs (right after `<meta charset>`, which
must stay first). One `<meta name="referrer">` goes with it.

Pages (everything MkDocs renders, 404.html included):

    default-src 'self'; script-src 'self' 'sha256-…'; style-src 'self'; img-src 'self' data:;
    connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'

  The hashes are those of the page's own inline scripts (Material's palette and
  configuration scripts, the hub's text size script), computed from the final HTML, so
  they match the bytes written whatever cached fragment made them. A script inside the
  page's content (what Markdown made of an editor's text) is never hashed: it is not the
  site's, and the browser refuses to run it. `<script type="application/json">` and
  other data blocks never run and need no hash. No page uses inline styles (Material sets
  styles through the DOM, which CSP does not govern), so `style-src 'self'`. Material's
  icons are `data:` SVGs in its stylesheet, hence `img-src data:`.

/admin/ (Sveltia CMS) has no inline script, and needs what its GitHub backend uses:

    script-src 'self'                 the bundle and the chunks it loads, copied from npm
    style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net
                                      Svelte writes component styles into <style> elements
                                      at run time; the UI's fonts and icons are stylesheets
                                      on the CDN (styles and fonts only, never scripts)
    font-src 'self' https://cdn.jsdelivr.net
    connect-src 'self' data: https://api.github.com https://www.githubstatus.com https://unpkg.com
                                      its own logo, read from a data: URL; the repository's API (REST and GraphQL); GitHub's
                                      status page, polled to explain an outage; the UI's
                                      Japanese strings, which the bundle fetches as JSON
                                      from npm's CDN (data, never run)
    img-src 'self' data: blob: https://avatars.githubusercontent.com
                                      the editor's avatar; media shown from fetched blobs

  Signing in with a token needs nothing more; an OAuth helper (`auth_url`), if the centre
  runs one, opens in a pop-up window, which no fetch directive governs. Referrers are not
  sent at all from /admin/.

The newsletter's email.html is the body of an email, yet it is also published on the
site's origin, where a browser that opens it treats it as a page. Its published copy gets
a policy that runs no script at all: `default-src 'none'`, with the email's inline styles
and its images (at the site's absolute URL) allowed. The mail as sent (digest.eml, and
`hub digest`'s files) carries none: a mail client's `'self'` is not the site.

`frame-ancestors` (who may frame a page) is ignored in a `<meta>` policy; only a response
header could set it, which GitHub Pages does not offer. A `<meta>` policy cannot report
violations either (`report-to` needs a header).

During `mkdocs serve` MkDocs adds its live-reload script, different on every request, to
each page: the preview allows inline scripts (`'unsafe-inline'`, no hashes), and keeps
every other rule, so an external image in a preview is blocked as it will be on the site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"
# Every document: what no page of the site needs, refused whatever else the policy allows.
BASE: dict[str, tuple[str, ...]] = {"object-src": (NONE,), "base-uri": (SELF,), "form-action": (SELF,)}
PAGE: dict[str, tuple[str, ...]] = {
    "default-src": (SELF,), "script-src": (SELF,), "style-src": (SELF,), "img-src": (SELF, "data:"),
    "connect-src": (SELF,), **BASE,
}
PAGE_REFERRER = "strict-origin-when-cross-origin"  # other sites see that a reader came from the hub, not from which page
ADMIN_CONNECT = ("https://api.github.com", "https://www.githubstatus.com", "https://unpkg.com")
ADMIN_FONTS = "https://cdn.jsdelivr.net"
ADMIN: dict[str, tuple[str, ...]] = {
    "default-src": (SELF,), "script-src": (SELF,), "style-src": (SELF, "'unsafe-inline'", ADMIN_FONTS),
    "font-src": (SELF, ADMIN_FONTS), "img-src": (SELF, "data:", "blob:", "https://avatars.githubusercontent.com"),
    "connect-src": (SELF, "data:", *ADMIN_CONNECT), "frame-src": ("blob:",), **BASE,
}
ADMIN_REFERRER = "no-referrer"
EMAIL: dict[str, tuple[str, ...]] = {
    "default-src": (NONE,), "style-src": ("'unsafe-inline'",), "img-src": (SELF, "https:", "data:"),
    "base-uri": (NONE,), "form-action": (NONE,),
}
EMAIL_REFERRER = "no-referrer"

_SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<text>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
# The HTML standard's JavaScript MIME types, and "module": any other type is a data block, never run.
_SCRIPT_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
    "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
    "text/x-ecmascript", "text/x-javascript",
})
_HEAD = re.compile(r"<head\b[^>]*>(?:\s*<meta\s+charset\s*=[^>]*>)?", re.IGNORECASE)


def protect_page(html: str, content: str = "", live_reload: bool = False, embeds: Iterable[str] = ()) -> str:
    """A page with its policy; `content` is the part made from editors' text, whose scripts stay unhashed.
    `embeds` are the allow-listed embed URLs (extra.hub.html.embeds): their origins may be framed."""
    frames = {"frame-src": tuple(dict.fromkeys(_origin(url) for url in embeds))} if embeds else {}
    if live_reload:
        return with_policy(html, {**PAGE, "script-src": (SELF, "'unsafe-inline'"), **frames}, PAGE_REFERRER)
    trusted = html.replace(content, "") if content else html
    return with_policy(html, {**PAGE, "script-src": (SELF, *script_hashes(trusted)), **frames}, PAGE_REFERRER)


def protect_admin(html: str) -> str:
    """/admin/ with the editing UI's policy."""
    return with_policy(html, ADMIN, ADMIN_REFERRER)


def protect_email(html: str) -> str:
    """The published copy of a newsletter's email.html: styles and images, no script."""
    return with_policy(html, EMAIL, EMAIL_REFERRER)


def with_policy(html: str, policy: Mapping[str, Iterable[str]], referrer: str) -> str:
    """`html` with the policy and referrer meta right after `<head>` and its `<meta charset>`.

    A document without a <head> is refused rather than published unprotected.
    """
    head = _HEAD.search(html)
    if head is None:
        raise ValueError("an HTML document without <head>: its Content-Security-Policy has nowhere to go")
    metas = (f'\n<meta http-equiv="Content-Security-Policy" content="{policy_text(policy)}">'
             f'\n<meta name="referrer" content="{referrer}">')
    return html[:head.end()] + metas + html[head.end():]


def policy_text(policy: Mapping[str, Iterable[str]]) -> str:
    return "; ".join(" ".join((directive, *sources)) for directive, sources in policy.items())


def script_hashes(html: str) -> list[str]:
    """`'sha256-…'` of each distinct inline script the browser would run, in order of appearance."""
    hashes = dict.fromkeys(script_hash(match["text"]) for match in _SCRIPT.finditer(html)
                           if _runs_inline(match["attributes"]))
    return list(hashes)


def script_hash(text: str) -> str:
    """Browsers hash a script's text as parsed: UTF-8, with line breaks made LF."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _runs_inline(attributes: str) -> bool:
    if _SRC.search(attributes):
        return False
    found = _TYPE.search(attributes)
    kind = next((group for group in found.groups() if group is not None), "") if found else ""
    return kind.strip().lower() in _SCRIPT_TYPES


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
