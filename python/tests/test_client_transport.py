"""The client's HTTP rules against small local servers: the token never reaches another origin,
redirects are followed only within the origin, connection errors and 5xx are retried, and no
message shows the token or a URL's userinfo."""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, Tuple

import pytest

from gpnav_client import (NotFound, RedirectRefused, RetryPolicy, ServerUnreachable, Study, Transport,
                          Unauthorized)

TOKEN = "s3cret-token-4b1d"
FAST = RetryPolicy(attempts=4, initial_seconds=0.01, max_seconds=0.02)
STUDY = {"name": "macs-300M", "complete": 0, "running": 0}


class Recorder:
    """A loopback HTTP server that records each request (method, path, Authorization) and answers
    with `answer(handler) -> (status, headers, body)`."""

    def __init__(self, answer: Callable[["BaseHTTPRequestHandler"], Tuple[int, dict, bytes]]):
        self.requests: List[Tuple[str, str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                recorder.requests.append((self.command, self.path, self.headers.get("Authorization") or ""))
                status, headers, body = answer(self)
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _any

            def log_message(self, *arguments):  # keep pytest's output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    made: List[Recorder] = []

    def make(answer):
        made.append(Recorder(answer))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _json(status: int, body) -> Tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def test_a_redirect_to_another_origin_is_refused_and_the_token_never_arrives_there(servers):
    other = servers(lambda handler: _json(200, STUDY))
    redirector = servers(lambda handler: (307, {"Location": other.url + handler.path}, b""))

    with pytest.raises(RedirectRefused) as refused:
        Study.get(redirector.url, "macs-300M", token=TOKEN, retry=FAST)

    assert other.requests == []
    assert redirector.requests == [("GET", "/v1/studies/macs-300M", f"Bearer {TOKEN}")]
    assert "another origin" in str(refused.value) and TOKEN not in str(refused.value)


def test_the_other_origin_would_see_the_token_were_the_redirect_followed_as_urllib_does(servers):
    # The setup can see a leak: urllib's default opener (the README's old worker) sends it there.
    other = servers(lambda handler: _json(200, STUDY))
    redirector = servers(lambda handler: (307, {"Location": other.url + handler.path}, b""))
    request = urllib.request.Request(redirector.url + "/v1/studies/macs-300M",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert other.requests == [("GET", "/v1/studies/macs-300M", f"Bearer {TOKEN}")]


def test_a_redirect_to_another_port_or_scheme_of_the_same_host_is_another_origin(servers):
    for location in ("http://127.0.0.1:1/v1/studies/macs-300M", "https://127.0.0.1/v1/studies/macs-300M",
                     "http://localhost/v1/studies/macs-300M", "//evil.example/v1/studies/macs-300M"):
        redirector = servers(lambda handler, location=location: (308, {"Location": location}, b""))
        with pytest.raises(RedirectRefused, match="another origin"):
            Study.get(redirector.url, "macs-300M", token=TOKEN, retry=FAST)


def test_a_redirect_within_the_origin_is_followed_with_the_token(servers):
    def answer(handler):
        if handler.path.startswith("/old/"):
            return 307, {"Location": handler.path.replace("/old/", "/", 1)}, b""
        return _json(200, STUDY)

    server = servers(answer)
    study = Study.get(server.url + "/old", "macs-300M", token=TOKEN, retry=FAST)
    assert study.name == "macs-300M"
    assert server.requests == [("GET", "/old/v1/studies/macs-300M", f"Bearer {TOKEN}"),
                               ("GET", "/v1/studies/macs-300M", f"Bearer {TOKEN}")]


def test_a_302_within_the_origin_is_not_followed_for_a_post(servers):
    server = servers(lambda handler: (302, {"Location": "/elsewhere"}, b""))
    with pytest.raises(RedirectRefused, match="would turn POST into GET"):
        Study.create(server.url, "macs-300M", budget={"macs": 300_000_000}, trials=3, token=TOKEN, retry=FAST)
    assert [request[0] for request in server.requests] == ["POST"]


def test_a_redirect_loop_ends(servers):
    server = servers(lambda handler: (307, {"Location": handler.path}, b""))
    with pytest.raises(RedirectRefused, match="redirects in a row"):
        Study.get(server.url, "macs-300M", token=TOKEN, retry=FAST)


def test_5xx_answers_are_retried_until_the_server_answers(servers):
    answers = iter([_json(503, {"error": "database unreachable"}), (502, {}, b"bad gateway")])
    server = servers(lambda handler: next(answers, _json(200, STUDY)))
    assert Study.get(server.url, "macs-300M", token=TOKEN, retry=FAST).name == "macs-300M"
    assert len(server.requests) == 3


def test_5xx_answers_end_in_server_unreachable_after_the_last_try(servers):
    server = servers(lambda handler: _json(500, {"error": "internal error: boom"}))
    with pytest.raises(ServerUnreachable, match=r"500 internal error: boom \(gave up after 4 tries\)"):
        Study.get(server.url, "macs-300M", token=TOKEN, retry=FAST)
    assert len(server.requests) == 4


def test_4xx_answers_are_not_retried_and_raise_their_type_with_the_servers_line(servers):
    server = servers(lambda handler: _json(404, {"error": "no study 'macs-300M'"}))
    with pytest.raises(NotFound) as error:
        Study.get(server.url, "macs-300M", token=TOKEN, retry=FAST)
    assert (error.value.status, error.value.reason) == (404, "no study 'macs-300M'")
    assert len(server.requests) == 1


def test_a_closed_port_is_retried_then_named_with_the_userinfo_masked():
    with pytest.raises(ServerUnreachable) as error:
        Study.get("http://alice:hunter2@127.0.0.1:1", "macs-300M", token=TOKEN, retry=FAST)
    message = str(error.value)
    assert "http://***@127.0.0.1:1/v1/studies/macs-300M" in message and "gave up after 4 tries" in message
    assert "hunter2" not in message and "alice" not in message and TOKEN not in message


def test_userinfo_in_a_redirect_location_is_masked(servers):
    server = servers(lambda handler: (307, {"Location": "http://bob:pa55word@10.0.0.1/x"}, b""))
    with pytest.raises(RedirectRefused) as error:
        Study.get(server.url, "macs-300M", token=TOKEN, retry=FAST)
    assert "http://***@10.0.0.1/x" in str(error.value) and "pa55word" not in str(error.value)


def test_userinfo_is_never_sent(servers):
    server = servers(lambda handler: _json(401, {"error": "missing or wrong bearer token"}))
    with pytest.raises(Unauthorized):
        Study.get(server.url.replace("http://", "http://alice:hunter2@"), "macs-300M", token=None, retry=FAST)
    assert server.requests == [("GET", "/v1/studies/macs-300M", "")]


def test_the_token_comes_from_GPNAV_TOKEN_and_repr_masks_it(servers, monkeypatch):
    monkeypatch.setenv("GPNAV_TOKEN", f"  {TOKEN}\n")
    server = servers(lambda handler: _json(200, STUDY))
    study = Study.get(server.url, "macs-300M", retry=FAST)
    assert server.requests[0][2] == f"Bearer {TOKEN}"
    assert TOKEN not in repr(study) and TOKEN not in repr(study.transport)
    assert "token=***" in repr(study.transport)


def test_a_token_that_a_header_cannot_carry_is_refused_without_showing_it():
    for bad in ("abc\r\nX-Evil: 1", "tok en", "tökén"):
        with pytest.raises(ValueError) as error:
            Transport("http://127.0.0.1:8470", token=bad)
        assert bad not in str(error.value) and "not shown" in str(error.value)


def test_a_pickled_client_carries_no_token(monkeypatch):
    import pickle

    monkeypatch.delenv("GPNAV_TOKEN", raising=False)
    copy = pickle.loads(pickle.dumps(Transport("http://127.0.0.1:8470", token=TOKEN)))
    assert not copy.has_token and TOKEN.encode() not in pickle.dumps(Transport("http://127.0.0.1:8470", token=TOKEN))


@pytest.mark.parametrize("url", ["ftp://host", "http://host:99999", "http://host:0", "http://ho st", "http://host\n",
                                 "http://", "http://host/?q=1", "http://" + "h" * 3000])
def test_a_server_url_that_cannot_be_right_is_refused_at_once(url):
    with pytest.raises(ValueError, match="server URL"):
        Transport(url)


def test_an_answer_over_the_bound_is_refused(servers):
    server = servers(lambda handler: _json(200, {"name": "x" * 5000}))
    transport = Transport(server.url, token=TOKEN, retry=FAST, max_reply_bytes=1000)
    with pytest.raises(Exception, match="answer over 1000 bytes"):
        transport.call("GET", ("v1", "studies", "x"))


def test_userinfo_is_masked_whole_even_with_at_signs_and_slashes_in_the_password():
    from gpnav_client import mask_userinfo

    assert mask_userinfo("GET http://a@b:p@host:1/v1 failed") == "GET http://***@host:1/v1 failed"
    assert mask_userinfo("see http://user:pa/ss@host/x and https://h/y") == "see http://***@host/x and https://h/y"
    with pytest.raises(ValueError) as error:
        Transport("http://user:pa/ss@host:1")
    assert "pa/ss" not in str(error.value) and "user" not in str(error.value)
