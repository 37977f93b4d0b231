"""Keys for one purpose each, derived from a secret the processes already share."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Mapping, Optional


def derived_key(variable: str, purpose: bytes, env: Optional[Mapping[str, str]] = None) -> Optional[bytes]:
    """HMAC-SHA256 of ``purpose`` keyed with the secret in ``variable``; None when that is not set.

    One secret can then serve several purposes (a customer token's signature, a
    channel's signed identity) without one ever verifying what another signed.
    """
    env = os.environ if env is None else env
    secret = (env.get(variable) or "").strip()
    if not secret:
        return None
    return hmac.new(secret.encode("utf-8"), purpose, hashlib.sha256).digest()
