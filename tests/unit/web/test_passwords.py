"""Passwords are argon2 hashes; API tokens are random and kept as SHA-256 digests."""

from __future__ import annotations

import pytest

from hub.services.passwords import WeakPassword, hash_password, new_token, token_hash, verify_password


def test_a_password_verifies_only_against_its_own_hash():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")
    assert not verify_password("not a hash", "anything")


def test_short_passwords_are_refused():
    with pytest.raises(WeakPassword):
        hash_password("short")


def test_tokens_differ_and_their_digest_is_stable():
    a, b = new_token(), new_token()
    assert a != b and a.startswith("dct_") and len(a) > 40
    assert token_hash(a) == token_hash(a) != token_hash(b)
