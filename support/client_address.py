"""The client's address behind trusted proxies (HAProxy in the production profile).

A proxy appends the address it received a request from to ``X-Forwarded-For``.
Only hops added by proxies we trust count: walking the header from the right,
the first address that is not a trusted proxy is the client. A request that did
not come from a trusted proxy is its own client, whatever its headers say.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable, Optional, Sequence, Tuple, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


def parse_proxies(text: str) -> Tuple[Network, ...]:
    """``"10.0.0.5, 10.1.0.0/16"`` as networks.

    Raises:
        ValueError: for an entry that is no IP address or network.
    """
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def parse_address(text: str) -> Optional[Address]:
    """``text`` as an IP address (brackets allowed), or None."""
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    parsed = parse_address(address)
    return parsed is not None and any(parsed in network for network in proxies)


def client_ip(peer: str, forwarded_for: Optional[str], proxies: Sequence[Network]) -> str:
    """The client's address: ``peer``, or from ``X-Forwarded-For`` when ``peer`` is a trusted proxy."""
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops: Iterable[str] = reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()])
    for hop in hops:
        if parse_address(hop) is None:
            break  # garbage in the header: do not guess further left
        if not _trusted(hop, proxies):
            return hop
    return peer
