"""The site's server-to-server calls to the imitation servers (token, profile,
discovery, keys) answered inside the process: a requests transport adapter
that hands the request to the sandbox's views as a WSGI request. The site
never has to reach itself over the network (which a port mapping or a test
client's "testserver" would prevent), and the calls cannot go anywhere else."""

import io
from urllib.parse import unquote, urlsplit

from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from requests import Response
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

URLCONF = "socialsite.sandbox.backchannel"


class SandboxTransport(BaseAdapter):
    def send(
        self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None
    ):
        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        environ = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(parts.path).encode().decode("iso-8859-1"),
            "QUERY_STRING": parts.query,
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": parts.scheme,
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_HOST": parts.netloc,
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
                environ[key] = value
            elif key != "HOST":
                environ["HTTP_" + key] = value
        with translation.override(None):
            status, content, headers = self.dispatch(WSGIRequest(environ))
        response = Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = content
        response.raw = io.BytesIO(content)
        response.url = request.url
        response.request = request
        response.reason = "OK" if status < 400 else "Error"
        return response

    def dispatch(self, wsgi_request):
        try:
            match = resolve(wsgi_request.path_info, urlconf=URLCONF)
            answer = match.func(wsgi_request, *match.args, **match.kwargs)
        except (Resolver404, Http404):
            return 404, b"Not Found", {"Content-Type": "text/plain"}
        return answer.status_code, answer.content, dict(answer.items())

    def close(self):
        pass
