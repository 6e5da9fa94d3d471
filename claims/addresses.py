"""The client's address, decided in one place for every use that counts by address: the API throttles, the
reader-tip allowance, log-in throttling and lockout (django-axes), and the logs.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as far as the proxies
the deployment says it has (``TRUSTED_PROXY_COUNT``, 0 by default). With N trusted proxies in front of the
app, each appends the address it received the request from, so the client is the N-th address from the
right; anything further left was written by the client and is ignored. With 0, the header is ignored
entirely and the client is the connection's peer (``REMOTE_ADDR``).
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return peer
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that wrote garbage, or a port: fall back to what the connection says
        return peer
