"""Reserved example and test host names (RFC 2606, RFC 6761) and documentation addresses.

A credential in a URL to one of these hosts never reaches a real server: test
code that writes ``http://user:pass@example.com/`` to test a URL parser or a log
sanitiser holds no secret.  :func:`is_reserved_host` is the one test; callers
decide where it applies (NX402 in test code).

Reserved: ``example.com``, ``example.net``, ``example.org`` and their
subdomains; the top-level names ``.example``, ``.test``, ``.invalid`` and
``.localhost`` (and the bare names ``example``, ``test``, ``invalid``,
``localhost``); the loopback addresses (``127.0.0.0/8``, ``::1``) that
``localhost`` names; and the documentation address blocks (RFC 5737
``192.0.2.0/24``, ``198.51.100.0/24``, ``203.0.113.0/24``; RFC 3849
``2001:db8::/32``).
"""

from __future__ import annotations

import ipaddress

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
_DOC_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "::1/128", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32",
))


def is_reserved_host(host: str) -> bool:
    """Is ``host`` (a name or an address, IPv6 brackets allowed, any case, a
    trailing dot allowed) a reserved example or test host?"""
    h = host.strip().strip("[]").rstrip(".").lower()
    if not h:
        return False
    try:
        addr = ipaddress.ip_address(h.split("%", 1)[0])
    except ValueError:
        addr = None
    if addr is not None:
        return any(addr in net for net in _DOC_NETWORKS)
    labels = h.split(".")
    if labels[-1] in RESERVED_TLDS:
        return True
    return len(labels) >= 2 and ".".join(labels[-2:]) in RESERVED_DOMAINS


def url_has_reserved_host(url_text: str) -> bool:
    """Does the URL ``url_text`` point at a reserved host?"""
    from nexus_lint.values.urls import parse_url

    url = parse_url(url_text.strip())
    return url is not None and is_reserved_host(url.host)
