"""Records who acts in a web or API request: the user (read at the first write, so DRF's token authentication is
seen) and the client's IP address."""

from __future__ import annotations

from . import context


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with context.acting(context.RequestContext(request)):
            return self.get_response(request)
