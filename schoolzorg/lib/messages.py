"""Flash messages that a form sent twice does not repeat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest


def success_once(request: HttpRequest, text: str) -> None:
    """Add a success message unless the same text is still waiting to be shown.

    A form sent twice (a double click, the back button) is answered twice, but the browser
    follows only the last answer: the first answer's message is still queued and would be
    shown beside the second ("Het overleg is ingepland. Het overleg is ingepland.").
    """
    storage = messages.get_messages(request)
    waiting = any(str(m.message) == text for m in storage)
    if isinstance(storage, BaseStorage):
        # Looking marks the messages as shown; they are not yet, so they stay for the next page.
        storage.used = False
    if not waiting:
        messages.success(request, text)
