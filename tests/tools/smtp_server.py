"""A real SMTP server on loopback for the digest tests, built on aiosmtpd.

Usage: python3 smtp_server.py --dir DIR --port PORT [--user U --password P] [--die-after K]
                              [--tls starttls|implicit --cert PEM --key PEM]

Stores each message exactly as the client sent it in DIR/NNN.eml, its envelope recipients in
DIR/NNN.rcpt (written first, so an .eml always has its .rcpt). With --user/--password, AUTH is
required (over plain text: loopback only) and other credentials get 535. With --die-after K the
server accepts K messages, then exits without answering when the next one's data arrives: the
client sees the connection drop mid-transaction.

With --tls starttls the server offers STARTTLS and refuses everything but EHLO, STARTTLS and QUIT
before it (AUTH is offered only after it); with --tls implicit it speaks TLS from the first byte.
--cert is the server's certificate chain, --key its private key. Each message's TLS version (or
"none") is written to DIR/NNN.tls, and every AUTH attempt is appended to DIR/auth.log as
"ok|refused TLS-VERSION", so a test sees what crossed the wire in clear text. Prints "ready" once
it listens.
"""
import argparse
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder, die_after):
        self.folder = folder
        self.die_after = die_after
        # Continue the numbering of a folder a previous server wrote to.
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        if self.die_after is not None and self.accepted >= self.die_after:
            os._exit(3)
        self.accepted += 1
        self.count += 1
        base = os.path.join(self.folder, f"{self.count:03d}")
        with open(base + ".tls", "w", encoding="utf-8") as f:
            f.write(tls_version(server) + "\n")
        with open(base + ".rcpt", "w", encoding="utf-8") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK stored"


def tls_version(server):
    """The TLS version of this connection (after STARTTLS or from the start), or "none"."""
    obj = server.transport.get_extra_info("ssl_object") if server.transport else None
    return obj.version() if obj else "none"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--die-after", type=int)
    ap.add_argument("--tls", choices=["starttls", "implicit"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == a.user.encode()
            and auth_data.password == a.password.encode()
        )
        with open(os.path.join(a.dir, "auth.log"), "a", encoding="utf-8") as f:
            f.write(f"{'ok' if ok else 'refused'} {tls_version(server)}\n")
        # handled=False: otherwise aiosmtpd sends no reply to a failed AUTH and the client hangs.
        return AuthResult(success=ok, handled=False)

    kwargs = {}
    if a.user:
        # Behind STARTTLS, AUTH is offered and accepted only once the connection is encrypted.
        # aiosmtpd does not count implicit TLS as encrypted, hence False there.
        kwargs = dict(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=a.tls == "starttls",
        )
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
        if a.tls == "starttls":
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    controller = Controller(
        Store(a.dir, a.die_after), hostname="127.0.0.1", port=a.port, **kwargs
    )
    controller.start()
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
