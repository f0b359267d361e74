"""Talking to the cluster from outside: HTTP through Varnish or HAProxy
(requests, forms read from the pages), the cluster's own Django (a
`manage.py shell` in its environment) and its control script."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster.sh"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


class Cluster:
    def __init__(self, state, port):
        self.state = Path(state)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"  # Varnish
        self.lb_url = f"http://127.0.0.1:{port + 1}"  # HAProxy
        self.app_urls = [f"http://127.0.0.1:{port + 2}", f"http://127.0.0.1:{port + 3}"]
        self.s3_url = f"http://127.0.0.1:{port + 4}"

    @property
    def env(self):
        """The app servers' environment."""
        env = dict(os.environ)
        for line in (self.state / "env").read_text().splitlines():
            if line.startswith("export "):
                name, _, value = line[len("export ") :].partition("=")
                env[name] = value
        return env

    def control(self, *args):
        subprocess.run(
            [str(SCRIPT), *args],
            check=True,
            env={
                **os.environ,
                "CLUSTER_STATE": str(self.state),
                "CLUSTER_PORT": str(self.port),
            },
            cwd=ROOT,
        )

    def shell(self, code, **params):
        """Run `code` in the cluster's Django (production settings, its
        databases): `params` come in as PARAMS, what it assigns to RESULT
        comes back (JSON)."""
        program = (
            "import json, sys\n"
            f"PARAMS = json.loads({json.dumps(json.dumps(params))})\n"
            "RESULT = None\n"
            f"{code}\n"
            "sys.stdout.write('\\n@@RESULT@@' + json.dumps(RESULT, default=str))\n"
        )
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", program],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode or "@@RESULT@@" not in done.stdout:
            raise AssertionError(f"cluster shell failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.rsplit("@@RESULT@@", 1)[1])

    def varnish_counter(self, name):
        out = subprocess.run(  # noqa: S603
            [  # noqa: S607 (Debian's varnishstat, on the PATH)
                "varnishstat",
                "-n",
                str(self.state / "varnish" / "work"),
                "-1",
                "-j",
                "-f",
                name,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        data = json.loads(out)
        counters = data.get("counters", data)
        return int(counters[name]["value"])

    def psql(self, sql, replica=False):
        url = self.env["REPLICA_DATABASE_URL" if replica else "DATABASE_URL"]
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        return subprocess.run(  # noqa: S603
            [  # noqa: S607 (PostgreSQL's psql, on the PATH)
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-d",
                "socialsite",
                "-tAc",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def mail_link(self, email, pattern):
        for path in sorted(
            (self.state / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime
        ):
            text = path.read_text(errors="replace")
            if email in text:
                found = re.findall(pattern, text)
                if found:
                    return found[-1]
        raise AssertionError(f"No e-mail to {email} with {pattern}")


class Form:
    def __init__(self, attrs):
        self.attrs = attrs
        self.fields = []  # (name, value, type)

    @property
    def action(self):
        return self.attrs.get("action") or ""

    def data(self, **overrides):
        data = {}
        for name, value, kind in self.fields:
            if kind in ("file", "submit", "button", "image"):
                continue
            if kind in ("checkbox", "radio") and value is None:
                continue
            data.setdefault(name, value or "")
        data.update(overrides)
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form(attrs)
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            value = attrs.get("value", "")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                value = None
            self.current.fields.append((attrs["name"], value, kind))
        elif tag == "select" and attrs.get("name"):
            self.select = [attrs["name"], None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = attrs.get("value", "")
            if "selected" in attrs:
                self.select[1] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None and self.current is not None:
            name, selected, first = self.select
            self.current.fields.append(
                (name, selected if selected is not None else first or "", "select")
            )
            self.select = None
        elif (
            tag == "textarea" and self.textarea is not None and self.current is not None
        ):
            self.current.fields.append((self.textarea[0], self.textarea[1], "textarea"))
            self.textarea = None


def forms(html):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Visitor:
    """A browser without JavaScript: a session of cookies, forms read from
    the pages it gets."""

    def __init__(self, base, source_ip=None):
        self.base = base
        self.http = requests.Session()
        self.http.headers["User-Agent"] = BROWSER
        if source_ip:
            adapter = SourceAddressAdapter(source_ip)
            self.http.mount("http://", adapter)

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", 60)
        return self.http.get(urljoin(self.base, path), **kwargs)

    def form(self, path, match):
        """The page at `path` and its first POST form whose action or class
        contains `match`."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        for form in forms(page.text):
            if form.attrs.get("method", "get").lower() != "post":
                continue
            if match in form.action or match in (form.attrs.get("class") or ""):
                return page, form
        raise AssertionError(f"no form with {match!r} at {path}")

    def submit(self, page, form, files=None, **overrides):
        url = urljoin(page.url, form.action or page.url)
        return self.http.post(
            url,
            data=form.data(**overrides),
            files=files,
            headers={"Referer": page.url},
            timeout=60,
        )

    def post(self, path, data=None, **kwargs):
        token = self.http.cookies.get("csrftoken")
        headers = {"X-CSRFToken": token or "", "Referer": urljoin(self.base, path)}
        headers.update(kwargs.pop("headers", {}))
        return self.http.post(
            urljoin(self.base, path),
            data=data or {},
            headers=headers,
            timeout=60,
            **kwargs,
        )


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Requests from another loopback address (127.0.1.N): each writer is a
    visitor of its own to the site's per-IP limits."""

    def __init__(self, address, **kwargs):
        self.source_address = (address, 0)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = self.source_address
        super().init_poolmanager(*args, **kwargs)
