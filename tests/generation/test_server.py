"""OpenAIServerGenerator against a real local HTTP server (http.server in a thread on 127.0.0.1).

The server speaks /v1/chat/completions and /v1/completions; its behaviour (delays, failures,
wrong answers) is set per test, and it records every request and the peak concurrency.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from seedkit.generation import GenerationError, OpenAIServerGenerator, make_generator


class FakeServer:
    def __init__(self) -> None:
        self.fail_first = 0  # answer 503 to the first N requests
        self.fail_status = 503
        self.always_status: int | None = None  # answer every request with this status
        self.delay_s = 0.0
        self.delay_by_prompt: dict[str, float] = {}
        self.choices_override: int | None = None
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with server.lock:
                    server.requests.append({"path": self.path, **body})
                    server.headers.append(dict(self.headers))
                    n_seen = len(server.requests)
                    server.in_flight += 1
                    server.peak = max(server.peak, server.in_flight)
                try:
                    key = body["messages"][-1]["content"] if "messages" in body else body.get("prompt", "")
                    time.sleep(server.delay_by_prompt.get(key, server.delay_s))
                    if server.always_status is not None:
                        return self._send(server.always_status, {"error": {"message": "bad request: no such model"}})
                    if n_seen <= server.fail_first:
                        return self._send(server.fail_status, {"error": {"message": "overloaded"}})
                    n = server.choices_override or body.get("n", 1)
                    if self.path == "/v1/chat/completions":
                        choices = [{"index": i, "message": {"role": "assistant", "content": f"echo[{i}]: {key}"}}
                                   for i in range(n)]
                    elif self.path == "/v1/completions":
                        choices = [{"index": i, "text": f" completion[{i}] of {key} STOP tail"} for i in range(n)]
                    else:
                        return self._send(404, {"error": "no route"})
                    # answer choices in reverse index order: the client must sort them
                    return self._send(200, {"choices": choices[::-1]})
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def _send(self, status: int, obj: dict) -> None:
                data = json.dumps(obj).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def gen(server: FakeServer, **kw) -> OpenAIServerGenerator:
    kw.setdefault("retry_backoff_s", 0.01)
    return OpenAIServerGenerator(base_url=server.url, model="fake-model", **kw)


def test_chat_answers_in_input_order_and_sends_the_openai_payload(server):
    # later prompts finish first: results must still come back in input order
    prompts = [f"p{i}" for i in range(6)]
    server.delay_by_prompt = {p: 0.05 * (6 - i) for i, p in enumerate(prompts)}
    out = gen(server, concurrency=6).chat([[{"role": "user", "content": p}] for p in prompts],
                                          max_new_tokens=7, progress=False)
    assert out == [[f"echo[0]: {p}"] for p in prompts]
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["model"] == "fake-model" and req["max_tokens"] == 7 and req["temperature"] == 0.0 and req["n"] == 1


def test_completions_with_n_and_stop_strings(server):
    out = gen(server).complete(["a", "b"], n=2, temperature=0.7, stop=["STOP"], progress=False)
    assert out == [[" completion[0] of a ", " completion[1] of a "], [" completion[0] of b ", " completion[1] of b "]]
    assert server.requests[0]["path"] == "/v1/completions" and server.requests[0]["stop"] == ["STOP"]


def test_base_url_gets_v1_once(server):
    assert gen(server).base_url == server.url + "/v1"
    assert OpenAIServerGenerator(base_url=server.url + "/v1/", model="m").base_url == server.url + "/v1"


def test_concurrency_is_bounded_by_the_setting(server):
    server.delay_s = 0.15
    gen(server, concurrency=3).complete([str(i) for i in range(9)], progress=False)
    assert server.peak == 3
    server.peak = 0
    gen(server, concurrency=1).complete(["x", "y", "z"], progress=False)
    assert server.peak == 1


def test_retries_after_server_errors(server):
    server.fail_first = 2
    out = gen(server, max_retries=3).complete(["hello"], progress=False)
    assert out == [[" completion[0] of hello STOP tail"]]
    assert len(server.requests) == 3  # two 503s, then success


def test_retries_on_429(server):
    server.fail_first, server.fail_status = 1, 429
    assert gen(server, max_retries=1).chat([[{"role": "user", "content": "x"}]], progress=False) == [["echo[0]: x"]]
    assert len(server.requests) == 2


def test_gives_up_after_max_retries_with_a_clear_message(server):
    server.fail_first = 10
    with pytest.raises(GenerationError, match=r"failed after 3 tries: .*503"):
        gen(server, max_retries=2).complete(["hello"], progress=False)
    assert len(server.requests) == 3


def test_client_errors_are_not_retried(server):
    server.always_status = 400
    with pytest.raises(GenerationError, match=r"/v1/completions answered 400: .*no such model"):
        gen(server, max_retries=3).complete(["hello"], progress=False)
    assert len(server.requests) == 1


def test_timeout_is_retried_then_reported(server):
    server.delay_s = 1.0
    t0 = time.time()
    with pytest.raises(GenerationError, match=r"failed after 2 tries: .*[Tt]imed? ?out"):
        gen(server, timeout_s=0.2, max_retries=1).complete(["slow"], progress=False)
    assert time.time() - t0 < 1.5
    assert len(server.requests) == 2


def test_wrong_number_of_choices_is_an_error(server):
    server.choices_override = 1
    with pytest.raises(GenerationError, match="returned 1 choices, expected 2"):
        gen(server).complete(["a"], n=2, temperature=1.0, progress=False)


def test_api_key_goes_in_the_authorization_header(server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    gen(server).complete(["a"], progress=False)
    gen(server, api_key="sk-test").complete(["b"], progress=False)
    assert "Authorization" not in server.headers[0]
    assert server.headers[1]["Authorization"] == "Bearer sk-test"


def test_unreachable_server_reports_the_url():
    g = OpenAIServerGenerator(base_url="http://127.0.0.1:9", model="m", max_retries=0, timeout_s=1.0)
    with pytest.raises(GenerationError, match=r"127\.0\.0\.1:9/v1/completions: failed after 1 tries"):
        g.complete(["a"], progress=False)


def test_make_generator_needs_the_served_model_name(server):
    with pytest.raises(GenerationError, match="server_model"):
        make_generator(server.url)
    g = make_generator(server.url, server_model="fake-model")
    assert isinstance(g, OpenAIServerGenerator)
    assert g.complete(["q"], progress=False) == [[" completion[0] of q STOP tail"]]
