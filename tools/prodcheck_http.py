"""HTTP for tools/prodcheck.py with the standard library alone: a client that
behaves like a browser behind nginx (keeps the Secure cookies over the plain
loopback connection, sends X-Forwarded-Proto, Origin and the CSRF token,
follows no redirect by itself), a form parser that submits what a browser
would, multipart bodies, cookie flags and TOTP codes.
Tested in sifa/common/tests/test_prodcheck.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie


class CheckFailed(Exception):
    """A check of the journey did not hold; the message says which, in Chinese and English."""


def totp(secret_b32: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows (RFC 6238, HMAC-SHA1, as django-otp's TOTPDevice)."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: list[tuple[str, str]] = []  # what a browser submits by default, in order
        self.names: set[str] = set()  # every named control, submitted or not
        self.options: dict[str, list[str]] = {}  # a select's option values

    def values(self, **over: str) -> list[tuple[str, str]]:
        """The default submission with ``over`` replacing (or adding) fields by name."""
        out = [(k, v) for k, v in self.fields if k not in over]
        return out + list(over.items())


class FormParser(HTMLParser):
    """The forms of a page and what each submits unchanged, as a browser would:
    text and hidden inputs, checked boxes, a select's selected (else first)
    option, textareas; never the submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, selected
        self._option: tuple[str, bool, list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None:
            return
        if tag == "input" and name:
            form.names.add(name)
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            form.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            form.names.add(name)
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a, [])
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            value = "".join(text).strip() if value is None else value
            self._select[1].append(value)
            if selected:
                self._select[2].append(value)
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if self._option is not None:  # an <option> left open before </select>
                self.handle_endtag("option")
            name, values, selected = self._select
            self._form.options[name] = values
            chosen = selected[:1] or values[:1]
            self._form.fields += [(name, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


LOGOUT = "/accounts/logout/"


def find_form(html: str, field: str, action: str | None = None) -> Form:
    """The POST form of ``html`` that has a control named ``field`` (and posts to
    ``action`` if given). The top bar's sign-out form is skipped unless asked for:
    it comes first on every page and has the CSRF field too."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form.method != "post" or field not in form.names:
            continue
        if (form.action == action) if action is not None else (form.action != LOGOUT):
            return form
    raise CheckFailed(f"页面上没有含“{field}”的表单 / no form with a field {field!r} on the page")


def encode_multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = "----sifa-prodcheck-" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, (filename, data, ctype) in files.items():
        # As browsers send it: the name in UTF-8, double quotes escaped.
        quoted = filename.replace('"', "%22")
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quoted}"\r\nContent-Type: {ctype}\r\n\r\n'.encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def cookie_flags(set_cookie: str) -> tuple[str, set[str]]:
    """(name, lower-case attribute names) of one Set-Cookie header."""
    parts = [p.strip() for p in set_cookie.split(";")]
    name = parts[0].split("=", 1)[0]
    return name, {p.split("=", 1)[0].lower() for p in parts[1:] if p}


# --- the HTTP client: a browser behind nginx -------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        """The redirect's path and query (the app answers absolute https:// URLs behind the proxy)."""
        parts = urllib.parse.urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Client:
    """Keeps cookies itself: the app's cookies are Secure, and the standard cookie
    jar would not send them over the plain loopback connection that nginx uses."""

    def __init__(self, base: str, host: str):
        self.base, self.host = base, host
        self.cookies: dict[str, str] = {}
        self.flags: dict[str, set[str]] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, method: str, path: str, body: bytes | None = None, ctype: str = "", *, https: bool = True, extra: dict | None = None) -> Response:
        headers = {"Host": self.host, "User-Agent": "sifa-prodcheck"} | (extra or {})
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            # Django checks the origin of every HTTPS POST (CSRF), as a browser sends it.
            headers |= {"Origin": f"https://{self.host}", "Referer": f"https://{self.host}{path}"}
            if ctype:
                headers["Content-Type"] = ctype
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        req = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)  # noqa: S310 - http://127.0.0.1 only
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, hdrs, data = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as exc:
            status, hdrs, data = exc.code, exc.headers, exc.read()
        for raw in hdrs.get_all("Set-Cookie") or []:
            name, flags = cookie_flags(raw)
            self.flags[name] = flags
            morsel = SimpleCookie(raw).get(name)
            if morsel is None or morsel.value == "" or "max-age=0" in raw.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
        return Response(status, hdrs, data, path)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Response:
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def submit(self, page: Response, field: str, action: str | None = None, **over: str) -> Response:
        """Submit the form of ``page`` that has ``field``, with ``over`` filled in."""
        form = find_form(page.text, field, action)
        return self.post(form.action or page.url, form.values(**over))


def expect(cond: bool, zh: str, en: str, resp: Response | None = None) -> None:
    if not cond:
        extra = f" [HTTP {resp.status} {resp.url} → {resp.headers.get('Location', '')}]" if resp is not None else ""
        raise CheckFailed(f"{zh} / {en}{extra}")
