"""Errors of the personal-data layer. None of them ever carries a plaintext value."""

from __future__ import annotations


class PrivacyError(Exception):
    """Base class for personal-data protection failures."""


class KeyScopeError(PrivacyError):
    """A tenant's keys were asked for outside that tenant's unit of work."""


class KeyUnwrapError(PrivacyError):
    """A stored data key did not unwrap: wrong master key, or the row was altered or moved."""


class DecryptionError(PrivacyError):
    """A ciphertext did not decrypt: another tenant's or field's value, tampered, or not ours."""


class KeyVersionUnavailableError(DecryptionError):
    """The ciphertext names a key version these keys do not hold (rotated elsewhere: reload the keys)."""

    def __init__(self, version: int) -> None:
        super().__init__(f"key version {version} is not loaded")
        self.version = version


class PurposeRequiredError(PrivacyError, ValueError):
    """Revealing personal data needs a stated purpose."""
