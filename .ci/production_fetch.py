"""Fetch a running production server the way visitors and a TLS proxy would:
the sitemap, every page in it, and every file those pages reference. Called by
.ci/production; standard library only (it runs in the production virtualenv).

    python .ci/production_fetch.py --site http://127.0.0.1:8201 \
        --media http://127.0.0.1:8202

Requests go to --site with `X-Forwarded-Proto: https` and `X-Forwarded-For`,
as the proxy in front of gunicorn sends them (README, "Production"). Files
under /static/ come from gunicorn (whitenoise); files under /media/ from
--media, the stand-in for the web server that serves MEDIA_ROOT in production.
Prints one line per failure and a summary; exits 1 on any failure.
"""

import argparse
import http.client
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
LANGUAGES = ("/en/", "/zh-hans/")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
UA = "Mozilla/5.0 (X11; Linux x86_64) socialsite-ci-production"
ONE_YEAR = 365 * 24 * 3600


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Assets(HTMLParser):
    """The URLs of the files a page makes the browser load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "apple-touch-icon", "preload", "manifest"} & set(
                rel
            ):
                self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag in {"img", "source", "video", "audio", "input"}:
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            for candidate in (attrs.get("srcset") or "").split(","):
                if candidate.strip():
                    self.urls.append(candidate.split()[0])
            if tag == "video" and attrs.get("poster"):
                self.urls.append(attrs["poster"])
        elif tag == "meta" and attrs.get("content"):
            prop = attrs.get("property") or attrs.get("name") or ""
            if prop in {"og:image", "twitter:image"}:
                self.urls.append(attrs["content"])


class Checker:
    def __init__(self, site, media):
        self.site = urlsplit(site)
        self.media = urlsplit(media)
        self.failures = []
        self.counts = {"pages": 0, "static": 0, "media": 0, "checks": 0}
        self.seen = set()

    def fail(self, message):
        self.failures.append(message)
        say(f"FAIL {message}")

    def request(self, target, path, headers=None):
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        try:
            conn.request(
                "GET",
                path,
                headers={
                    "Host": self.site.netloc,
                    "User-Agent": UA,
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-For": "127.0.0.1",
                    **(headers or {}),
                },
            )
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        except (OSError, http.client.HTTPException) as error:
            # No answer at all (a crashed or hung server): status 0.
            say(f"     {target.netloc}{path}: {error!r}")
            return 0, http.client.HTTPMessage(), b""
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request(self.site, path, headers)

    def local_path(self, url, base):
        """The path of `url` if the site serves it, else None."""
        absolute = urlsplit(urljoin(base, url))
        if absolute.scheme in {"data", "blob"}:
            return None
        if absolute.netloc and absolute.netloc != self.site.netloc:
            return None
        return absolute.path + (f"?{absolute.query}" if absolute.query else "")

    def check_asset(self, url, referrer):
        if url.startswith(("data:", "blob:")):
            return
        path = self.local_path(url, f"https://{self.site.netloc}{referrer}")
        if path is None:
            self.fail(f"{referrer}: a file from another site: {url}")
            return
        if path in self.seen:
            return
        self.seen.add(path)
        if path.startswith(STATIC_URL):
            self.check_static(path, referrer)
        elif path.startswith(MEDIA_URL):
            self.check_media(path, referrer)
        else:
            status, _, _ = self.get(path)
            self.counts["checks"] += 1
            if status != 200:
                self.fail(f"{referrer}: {path} answered {status}")

    def check_static(self, path, referrer):
        self.counts["static"] += 1
        status, headers, body = self.get(path)
        if status != 200 or not body:
            self.fail(f"{referrer}: {path} answered {status} ({len(body)} bytes)")
            return
        name = urlsplit(path).path
        if not HASHED.search(name):
            self.fail(
                f"{referrer}: {path} is not a hashed name: the template bypasses "
                "the manifest storage ({% static %})"
            )
        else:
            cache = headers.get("Cache-Control", "")
            age = re.search(r"max-age=(\d+)", cache)
            if not age or int(age.group(1)) < ONE_YEAR:
                self.fail(f"{path}: Cache-Control {cache!r}, expected a year or more")
        if name.endswith(".css"):
            for match in CSS_URL.finditer(body.decode("utf-8", "replace")):
                self.check_asset(match.group(1) or match.group(2), path)

    def check_media(self, path, referrer):
        self.counts["media"] += 1
        served = unquote(urlsplit(path).path)[len(MEDIA_URL) :]
        status, _, body = self.request(self.media, "/" + served)
        if status != 200 or not body:
            self.fail(f"{referrer}: {path} answered {status} from the media server")

    def check_page(self, url):
        path = self.local_path(url, f"https://{self.site.netloc}/")
        if path is None:
            self.fail(f"sitemap: {url} is not on this site")
            return
        self.counts["pages"] += 1
        status, headers, body = self.get(path)
        if status != 200:
            self.fail(f"{path} answered {status}")
            return
        if not headers.get("Content-Type", "").startswith("text/html"):
            self.fail(f"{path}: Content-Type {headers.get('Content-Type')!r}")
            return
        for header in ("Strict-Transport-Security", "Content-Security-Policy"):
            if not headers.get(header):
                self.fail(f"{path}: no {header} header")
        parser = Assets()
        parser.feed(body.decode("utf-8", "replace"))
        for asset in parser.urls:
            self.check_asset(asset, path)

    def sitemap(self):
        status, _, body = self.get("/sitemap.xml")
        if status != 200:
            self.fail(f"/sitemap.xml answered {status}")
            return []
        root = ET.fromstring(body)  # noqa: S314 (our own server's answer)
        return [loc.text.strip() for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]

    def expect(self, path, status, headers=None, location=None, proxy=True):
        """One request that must answer `status` (and redirect to `location`)."""
        self.counts["checks"] += 1
        sent = dict(headers or {})
        if not proxy:
            sent["X-Forwarded-Proto"] = "http"
        got, answer, _ = self.get(path, sent)
        if got != status:
            self.fail(f"{path}: answered {got}, expected {status}")
        elif location and not (answer.get("Location") or "").startswith(location):
            self.fail(
                f"{path}: redirects to {answer.get('Location')!r}, not {location}"
            )

    def run(self):
        urls = self.sitemap()
        paths = [urlsplit(url).path for url in urls]
        for prefix in LANGUAGES:
            if not any(path.startswith(prefix) for path in paths):
                self.fail(f"sitemap: no page under {prefix}")
        for url in urls:
            self.check_page(url)
        https = f"https://{self.site.netloc}/"
        # Plain HTTP is redirected to HTTPS (SECURE_SSL_REDIRECT).
        self.expect("/en/", 301, location=https, proxy=False)
        # "/" sends visitors to their browser's language.
        self.expect("/", 302, {"Accept-Language": "zh-CN,zh;q=0.9"}, "/zh-hans/")
        self.expect("/", 302, {"Accept-Language": "en-GB,en;q=0.9"}, "/en/")
        # Unknown pages and files are 404s rendered by the site, not 500s.
        self.expect("/en/no-such-page-ci/", 404)
        self.expect("/zh-hans/no-such-page-ci/", 404)
        self.expect("/static/no-such-file.css", 404)
        # Django never serves media in production (SERVE_MEDIA is off): not a 500.
        status, _, _ = self.get(MEDIA_URL + "no-such-file.jpg")
        self.counts["checks"] += 1
        if status >= 500:
            self.fail(f"{MEDIA_URL}no-such-file.jpg answered {status}")
        return urls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="gunicorn's address")
    parser.add_argument("--media", required=True, help="the media server's address")
    args = parser.parse_args()
    checker = Checker(args.site, args.media)
    urls = checker.run()
    counts = checker.counts
    say(
        f"fetched: sitemap ({len(urls)} pages, "
        f"{sum('/zh-hans/' in url for url in urls)} of them Chinese), "
        f"{counts['pages']} pages, {counts['static']} static files, "
        f"{counts['media']} media files, {counts['checks']} other URLs "
        "(generated pictures, redirects, 404s); "
        f"{len(checker.failures)} failures"
    )
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
