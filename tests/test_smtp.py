"""SMTP delivery against aiosmtpd on loopback: retries, a drop after DATA, permanent refusals."""

import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from jobland_pipeline.delivery import DigestItem, build_digest
from jobland_pipeline.delivery.smtp import (
    PermanentDeliveryError,
    SmtpConfig,
    TransientDeliveryError,
    send_with_retries,
)


class Recorder:
    """An SMTP handler that records messages and can misbehave on purpose."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.drop_after_data = 0  # drop the connection after DATA this many times (after storing it)
        self.busy = 0  # answer 451 this many times
        self.refuse_rcpt = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 try again later"
        self.messages.append(envelope.content)
        if self.drop_after_data:
            self.drop_after_data -= 1
            server.transport.close()  # the message arrived, the client never hears "250"
            return "250 OK"
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, SmtpConfig]]:
    handler = Recorder()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, SmtpConfig("127.0.0.1", port, security="none", timeout=5, max_retries=2, backoff_base=0.01)
    controller.stop()


def _digest(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "acme--icu-nurse"
    folder.mkdir(parents=True)
    (folder / "tailored_cv.md").write_text("# Maria Santos\n", encoding="utf-8")
    item = DigestItem(
        "p1",
        "ICU Nurse <b>now</b>",
        "Acme",
        "Chicago, IL",
        88,
        "High",
        ["Strong fit"],
        "https://jobs.example/1",
        folder,
    )
    return build_digest(
        user_id="maria",
        name="Maria Santos",
        recipient="maria@example.com",
        sender="jobland@example.org",
        day=date(2026, 11, 27),
        items=[item],
    )


def test_delivered_intact(smtp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler, config = smtp
    message = _digest(tmp_path)
    assert send_with_retries(config, message) == 1
    [raw] = handler.messages
    got = message_from_bytes(raw, policy=policy.default)
    assert got["Message-ID"] == message["Message-ID"]
    assert got["List-Unsubscribe"].startswith("<mailto:jobland@example.org")
    assert [p.get_filename() for p in got.iter_attachments()] == ["Acme--ICU Nurse now.zip"]
    assert "ICU Nurse &lt;b&gt;now&lt;/b&gt;" in got.get_body(preferencelist=("html",)).get_content()


def test_a_drop_after_data_is_retried_with_the_same_message_id(smtp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler, config = smtp
    handler.drop_after_data = 1
    message = _digest(tmp_path)
    assert send_with_retries(config, message, sleep=lambda _: None) == 2
    ids = {message_from_bytes(m, policy=policy.default)["Message-ID"] for m in handler.messages}
    assert len(handler.messages) == 2 and ids == {message["Message-ID"]}  # one message, recognisably


def test_busy_server_is_retried(smtp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler, config = smtp
    handler.busy = 1
    assert send_with_retries(config, _digest(tmp_path), sleep=lambda _: None) == 2
    assert len(handler.messages) == 1


def test_refused_recipient_is_permanent(smtp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler, config = smtp
    handler.refuse_rcpt = True
    with pytest.raises(PermanentDeliveryError, match="550"):
        send_with_retries(config, _digest(tmp_path), sleep=lambda _: None)
    assert handler.messages == []


def test_unreachable_server_is_transient(tmp_path: Path) -> None:
    config = SmtpConfig(
        "127.0.0.1", _free_port(), security="none", timeout=1, max_retries=1, backoff_base=0.01
    )
    with pytest.raises(TransientDeliveryError, match="after 2 attempts"):
        send_with_retries(config, _digest(tmp_path), sleep=lambda _: None)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_auth(certificate, security: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = certificate
    monkeypatch.setenv(
        "SSL_CERT_FILE", str(cert)
    )  # the client trusts our test certificate, nothing else changes
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    seen: list[str] = []

    def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        password = (
            auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
        )
        ok = isinstance(auth_data, LoginPassword) and password == "s3cret"
        login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
        seen.append(login if ok else "refused")
        return AuthResult(success=ok)

    handler = Recorder()
    port = _free_port()
    # With implicit TLS aiosmtpd does not mark the session as TLS, so it must not also require it for AUTH.
    tls = (
        {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        if security == "starttls"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticate, **tls)
    controller.start()
    try:
        config = SmtpConfig(
            "127.0.0.1",
            port,
            security=security,
            username="jobland",
            password="s3cret",
            timeout=5,
            max_retries=0,
        )
        assert send_with_retries(config, _digest(tmp_path)) == 1
        assert len(handler.messages) == 1 and seen == ["jobland"]
    finally:
        controller.stop()
