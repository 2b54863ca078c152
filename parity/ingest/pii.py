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
_COUNTRY_CODE = re.compile(r"[0-9]{0,3}")
_KIND = re.compile(r"[a-z][a-z_]*")

log = logging.getLogger(__name__)


def country_code() -> str:
    """The calling code dropped from phones before hashing (``PARITY_PHONE_COUNTRY_CODE``,
    default 1; empty keeps every digit). Refused unless 0 to 3 digits: it is bound into the
    hashing SQL, and anything else would silently stop phones matching."""
    value = os.environ.get(COUNTRY_CODE_ENV, "1")
    if not _COUNTRY_CODE.fullmatch(value):
        raise ValueError(f"{COUNTRY_CODE_ENV} must be a country calling code of 1 to 3 digits "
                         f"(or empty), not {value!r}")
    return value


def normalize(kind: str, value: str) -> str:
    value = value.strip()
    if kind == "customer_email":
        return value.lower()
    if kind == "customer_phone":
        digits = _NON_DIGITS.sub("", value)
        code = country_code()
        if code and len(digits) > 10 and digits.startswith(code):
            digits = digits[len(code):]
        return digits
    if kind == "agent_name":
        return _SPACES.sub(" ", value).lower()
    return value


_TRIM = r"regexp_replace({v}, '^\s+|\s+$', '', 'g')"
_NORMALIZE_SQL = {
    "customer_email": "lower(" + _TRIM + ")",
    "customer_phone": ("(case when $cc <> '' and length({d}) > 10 and starts_with({d}, $cc) "
                       "then substr({d}, length($cc) + 1) else {d} end)"),
    "agent_name": "lower(regexp_replace(" + _TRIM + r", '\s+', ' ', 'g'))",
}


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
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        self._ipad = bytes(b ^ 0x36 for b in block)
        self._opad = bytes(b ^ 0x5C for b in block)
        self.development = key == DEVELOPMENT_KEY
        self.key_id = hashlib.sha256(b"parity-key-id:" + key).hexdigest()[:12]
        """Identifies which key produced a pseudonym without revealing it."""

    def sql(self, kind: str, column: str) -> str:
        """The same pseudonym as ``token``, as a DuckDB expression over a quoted ``column``.

        HMAC-SHA256 written out with the key's inner and outer pads (``$ipad``, ``$opad``,
        bound by ``sql_parameters``), so millions of values hash inside DuckDB. ``kind`` is a
        contract field name from code, never user input; it is still checked, since it is
        written into the SQL as a literal.
        """
        if not _KIND.fullmatch(kind):
            raise ValueError(f"refusing unexpected PII kind {kind!r}")
        if kind == "customer_phone":
            digits = f"regexp_replace({column}, '[^0-9]', '', 'g')"
            normalized = _NORMALIZE_SQL[kind].format(d=digits)
        else:
            normalized = _NORMALIZE_SQL.get(kind, _TRIM).format(v=column)
        message = f"encode('{kind}:' || {normalized})"
        inner = f"unhex(sha256($ipad || {message}))"
        return f"'p_' || left(sha256($opad || {inner}), 32)"

    def sql_parameters(self, kinds) -> dict:
        """Bound values for the expressions of ``kinds`` (DuckDB refuses unused ones)."""
        params = {"ipad": self._ipad, "opad": self._opad}
        if "customer_phone" in kinds:
            params["cc"] = country_code()
        return params

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
