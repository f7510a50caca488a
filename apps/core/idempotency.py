"""Idempotency keys: a retried request carries the same key and the same payload; the same key with another payload
is a mistake to refuse, not a retry. One fingerprint of a payload for every room that keeps keys."""

import hashlib
import json
from collections.abc import Mapping


def payload_hash(body: Mapping | None = None, /, **fields) -> str:
    """SHA-256 of the payload (a mapping, keyword fields, or both) as canonical JSON: sorted keys; dates, Decimals
    and the like as their text."""
    data = {**(body or {}), **fields}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def pk_of(obj) -> int:
    """A model instance's primary key, or the id it was given as."""
    return obj.pk if hasattr(obj, "pk") else int(obj)
