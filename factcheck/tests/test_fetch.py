"""The safe fetcher (factcheck/fetch.py) against loopback servers, and its refusals."""

import pytest

from factcheck import fetch as fetch_module
from factcheck.fetch import FetchError, address_refusal, fetch

from .webserver import web_server

PUBLIC_IP = "93.184.216.34"  # stands for a public web server; tests route it to a loopback one


@pytest.fixture
def loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True


@pytest.fixture
def server():
    with web_server() as server:
        yield server


@pytest.fixture
def public_server(monkeypatch, server, settings):
    """``http://news.example/…`` resolves to a public address, and the network reaches that address at our
    loopback server: a public site, as the fetcher sees it, with loopback still refused."""
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    real_resolve, real_pool = fetch_module.resolve, fetch_module.connection_pool

    def resolve(host, port):
        return [PUBLIC_IP] if host == "news.example" else real_resolve(host, port)

    def connection_pool(scheme, address, port, **kwargs):
        if address == PUBLIC_IP:
            address, port = "127.0.0.1", server.server_address[1]
        return real_pool(scheme, address, port, **kwargs)

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    monkeypatch.setattr(fetch_module, "connection_pool", connection_pool)
    return server


def test_fetches_a_page(loopback_allowed, server):
    result = fetch(server.url("/ok"))
    assert result.status == 200
    assert result.final_url == result.url == server.url("/ok")
    assert result.content_type == "text/html"
    assert b"Exports rose" in result.body
    assert len(result.sha256) == 64
    assert result.redirects == []
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.elapsed < 5


def test_sends_an_honest_user_agent_and_no_cookies(loopback_allowed, server, settings):
    settings.SITE_URL = "https://factcheck.example.org"
    fetch(server.url("/cookies"))
    fetch(server.url("/ok"))
    first, second = server.hits[0][1], server.hits[1][1]
    assert "FactCheckTracker" in first["User-Agent"] and "https://factcheck.example.org" in first["User-Agent"]
    assert "Cookie" not in second and "Authorization" not in second


def test_follows_a_chain_of_redirects(loopback_allowed, server):
    result = fetch(server.url("/chain/3"))
    assert result.status == 200
    assert result.final_url == server.url("/chain/0")
    assert result.redirects == [server.url(f"/chain/{n}") for n in (2, 1, 0)]


def test_too_many_redirects(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/chain/4"), max_redirects=3)
    assert caught.value.code == "too_many_redirects"


def test_redirect_loop(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/loop"))
    assert caught.value.code == "too_many_redirects"
    assert "loop" in str(caught.value).lower()
    assert len(server.hits) == 6  # the first request and the five redirects allowed, no more


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_statuses_are_answers(loopback_allowed, server, status):
    result = fetch(server.url(f"/{status}"))
    assert result.status == status
    assert not result.ok


def test_slow_answer_times_out(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/slow?seconds=3"), timeout=0.5)
    assert caught.value.code == "timeout"


def test_a_dripping_answer_cannot_outlast_the_deadline(loopback_allowed, server):
    import time

    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/drip"), timeout=1.5)
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 2.5


def test_huge_body_is_cut_off(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/huge"), max_bytes=1_000_000)
    assert caught.value.code == "too_large"
    assert caught.value.status == 200


def test_declared_size_past_the_cap_is_refused_before_reading(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/sized?bytes=200000"), max_bytes=100_000)
    assert caught.value.code == "too_large"


def test_compressed_body_counts_its_decompressed_size(loopback_allowed, server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/gzip-bomb"), max_bytes=1_000_000)
    assert caught.value.code == "too_large"


def test_binary_body(loopback_allowed, server):
    result = fetch(server.url("/binary"))
    assert result.content_type == "application/pdf"
    assert result.body == bytes(range(256)) * 16


@pytest.mark.parametrize("url", [
    "ftp://example.org/file", "javascript:alert(1)", "file:///etc/passwd", "http://", "not a url",
    "http://user:secret@example.org/", "http://user@example.org/", "", "http://exa mple.org:99999/",
])
def test_invalid_urls(url):
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert caught.value.code == "invalid_url"


@pytest.mark.parametrize("host", [
    "127.0.0.1", "[::1]", "10.0.0.1", "169.254.169.254", "192.168.1.1", "172.16.0.1", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]", "[fe80::1]", "[fc00::1]", "[ff02::1]", "[::]",
    "240.0.0.1", "255.255.255.255",
])
def test_refuses_non_public_addresses(settings, host):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError) as caught:
        fetch(f"http://{host}/")
    assert caught.value.code == "refused_address"


def test_refuses_loopback_without_reaching_the_server(settings, server):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/ok"))
    assert caught.value.code == "refused_address"
    assert server.hits == []


def test_refuses_ipv6_loopback_without_reaching_the_server(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    try:
        context = web_server("::1")
        server = context.__enter__()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        with pytest.raises(FetchError) as caught:
            fetch(server.url("/ok"))
        assert caught.value.code == "refused_address"
        assert server.hits == []
    finally:
        context.__exit__(None, None, None)


def test_allow_loopback_still_refuses_private_addresses(loopback_allowed):
    with pytest.raises(FetchError) as caught:
        fetch("http://10.0.0.1/")
    assert caught.value.code == "refused_address"


def test_refuses_a_name_that_resolves_to_a_private_address(monkeypatch, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: ["10.20.30.40"])
    opened = []
    monkeypatch.setattr(fetch_module, "connection_pool", lambda *a, **k: opened.append(a))
    with pytest.raises(FetchError) as caught:
        fetch("http://intranet.example.org/admin")
    assert caught.value.code == "refused_address"
    assert opened == []


def test_refuses_a_name_with_any_private_address(monkeypatch, settings):
    # A name answering with a public and a private address could be steered to the private one.
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [PUBLIC_IP, "127.0.0.1"])
    with pytest.raises(FetchError) as caught:
        fetch("http://mixed.example.org/")
    assert caught.value.code == "refused_address"


def test_connects_to_the_checked_address_with_the_name_as_host(public_server):
    result = fetch("http://news.example/headers")
    assert result.status == 200
    assert "'Host': 'news.example'" in result.body.decode()


def test_refuses_a_public_page_that_redirects_to_loopback(public_server):
    target = public_server.url("/ok")  # http://127.0.0.1:port/ok
    with pytest.raises(FetchError) as caught:
        fetch(f"http://news.example/redirect?to={target}")
    assert caught.value.code == "refused_address"
    assert [path for path, _ in public_server.hits] == [f"/redirect?to={target}"]  # /ok never reached


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/"])
def test_refuses_a_public_page_that_redirects_to_a_private_address(public_server, target):
    with pytest.raises(FetchError) as caught:
        fetch(f"http://news.example/redirect?to={target}")
    assert caught.value.code == "refused_address"


def test_address_refusal_accepts_public_addresses():
    assert address_refusal("93.184.216.34") is None
    assert address_refusal("2606:2800:220:1:248:1893:25c8:1946") is None
    assert address_refusal("127.0.0.1") == "loopback"
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert address_refusal("::ffff:169.254.169.254") == "link-local"


@pytest.fixture
def tls_server(tmp_path):
    """A loopback HTTPS server with a self-signed certificate for "news.example" (no CA vouches for it)."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.fail("openssl is needed to make the test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"],
                   check=True, capture_output=True)
    with web_server() as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        yield server


def test_tls_certificates_are_verified(monkeypatch, settings, tls_server):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    port = tls_server.server_address[1]
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [PUBLIC_IP])
    real_pool = fetch_module.connection_pool
    seen = {}

    def connection_pool(scheme, address, port_, **kwargs):
        seen.update(kwargs, scheme=scheme)
        return real_pool(scheme, "127.0.0.1", port, **kwargs)

    monkeypatch.setattr(fetch_module, "connection_pool", connection_pool)
    with pytest.raises(FetchError) as caught:
        fetch(f"https://news.example:{port}/ok")
    assert caught.value.code == "tls"  # self-signed: refused, not fetched
    assert seen["scheme"] == "https" and seen["server_name"] == "news.example"  # SNI and the name checked
