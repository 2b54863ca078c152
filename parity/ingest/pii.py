"""Pseudonymization: PII replaced by a keyed hash (HMAC-SHA256) before the warehouse.

Values are normalized first (trimmed; emails lower-cased; phones reduced to digits without the
default country code; names case-folded with single spaces) so one person always maps to one
pseudonym however the source spelled them. The key comes from ``PARITY_PII_KEY``; without it a
public development key is used and a warning says so: its pseudonyms are not secret.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re

import polars as pl

KEY_ENV = "PARITY_PII_KEY"
COUNTRY_CODE_ENV = "PARITY_PHONE_COUNTRY_CODE"
DEVELOPMENT_KEY = b"parity-development-key-NOT-SECRET"
_NON_DIGITS = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")

log = logging.getLogger(__name__)


def normalize(kind: str, value: str) -> str:
    value = value.strip()
    if kind == "customer_email":
        return value.lower()
    if kind == "customer_phone":
        digits = _NON_DIGITS.sub("", value)
        code = os.environ.get(COUNTRY_CODE_ENV, "1")
        if code and len(digits) > 10 and digits.startswith(code):
            digits = digits[len(code):]
        return digits
    if kind == "agent_name":
        return _SPACES.sub(" ", value).casefold()
    return value


class Pseudonymizer:
    def __init__(self, key: bytes | None = None) -> None:
        if key is None:
            env = os.environ.get(KEY_ENV)
            if env:
                key = env.encode()
            else:
                log.warning("%s is not set: using the DEVELOPMENT key; pseudonyms are not "
                            "secret. Set %s in production.", KEY_ENV, KEY_ENV)
                key = DEVELOPMENT_KEY
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self.development = key == DEVELOPMENT_KEY
        self.key_id = hashlib.sha256(b"parity-key-id:" + key).hexdigest()[:12]
        """Identifies which key produced a pseudonym without revealing it."""

    def token(self, kind: str, value: str) -> str:
        normalized = normalize(kind, value)
        digest = self._mac.copy()  # the keyed state is reused, not rebuilt per value
        digest.update(f"{kind}:{normalized}".encode())
        return "p_" + digest.hexdigest()[:32]

    def column(self, kind: str, values: pl.Series) -> pl.Series:
        """Each distinct value hashed once, then replaced everywhere it occurs."""
        distinct = values.drop_nulls().unique().to_list()
        tokens = {v: self.token(kind, v) for v in distinct}
        return values.replace_strict(tokens, default=None, return_dtype=pl.String)
