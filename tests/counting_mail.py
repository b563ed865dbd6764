"""An email backend for tests that counts the connections opened (not a test module).

It behaves like the SMTP backend: `send_messages` opens a connection unless one is open, sends
every message over it, and closes what it opened. Messages land in `mail.outbox` as with
locmem. Use it with the `counted_connections` fixture in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend

OPENED: list[int] = []  # one entry per connection opened, holding the messages sent over it


class CountingEmailBackend(MemoryBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self) -> bool:
        if self.is_open:
            return False
        self.is_open = True
        OPENED.append(0)
        return True

    def close(self) -> None:
        self.is_open = False

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        opened_here = self.open()
        try:
            sent = super().send_messages(messages)
            OPENED[-1] += sent
            return sent
        finally:
            if opened_here:
                self.close()
