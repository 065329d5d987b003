"""Parses received messages with Python's e-mail parser (policy.default) and prints what the
Rust tests check, as JSON: one object per file.

Usage: python3 check_mail.py FILE.eml...
"""
import email
import email.policy
import json
import sys


def describe(path):
    raw = open(path, "rb").read()
    head = raw.split(b"\r\n\r\n", 1)[0]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for p in msg.iter_parts() if msg.is_multipart() else [msg]:
        parts.append(
            {
                "type": p.get_content_type(),
                "charset": p.get_content_charset(),
                "content": p.get_content(),
            }
        )
    return {
        "file": path,
        # Python accepts raw UTF-8 headers, so 7-bit cleanliness is checked on the bytes.
        "header_ascii": all(b < 128 for b in head),
        "header_lines_max": max(len(l) for l in head.split(b"\r\n")),
        "crlf": b"\n" not in raw.replace(b"\r\n", b""),
        "subject": str(msg["subject"]),
        "from": str(msg["from"]),
        "to": str(msg["to"]),
        "date": str(msg["date"]) if msg["date"] else None,
        "message_id": str(msg["message-id"]),
        "list_unsubscribe": str(msg["list-unsubscribe"]) if msg["list-unsubscribe"] else None,
        "list_unsubscribe_post": str(msg["list-unsubscribe-post"]) if msg["list-unsubscribe-post"] else None,
        "mime_version": str(msg["mime-version"]),
        "content_type": msg.get_content_type(),
        "defects": [str(d) for d in msg.defects],
        "parts": parts,
    }


print(json.dumps([describe(p) for p in sys.argv[1:]], ensure_ascii=False))
