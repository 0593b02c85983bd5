"""Personal data at rest: per-tenant keys, field encryption, blind indexes, masking, validation, audited reveal.

Typical use in a service (inside ``tenant_scope``)::

    keys = await data_key(session, tenant_id)
    row.phone_enc = encrypt(keys, "resident.phone", phone)
    row.phone_idx = blind_index(keys, "resident.phone", phone, normalize_phone)
    shown = mask_phone(phone)  # default display
    clear = await reveal(session, keys, "resident.phone", row.phone_enc,
                         purpose="回访核实", subject_type="resident", subject_id=row.id)
"""

from shared.privacy.cipher import blind_index, decrypt, encrypt, key_version_of
from shared.privacy.errors import (
    DecryptionError,
    KeyScopeError,
    KeyUnwrapError,
    KeyVersionUnavailableError,
    PrivacyError,
    PurposeRequiredError,
)
from shared.privacy.keys import TenantKeys, clear_key_cache, data_key, rotate_data_key
from shared.privacy.masking import mask_address, mask_id_card, mask_name, mask_phone
from shared.privacy.normalize import normalize_id_card, normalize_phone, normalize_text
from shared.privacy.reveal import REVEALED, reveal
from shared.privacy.validators import id_card_birth_date, id_card_check_digit, validate_id_card, validate_mobile

__all__ = [
    "REVEALED",
    "DecryptionError",
    "KeyScopeError",
    "KeyUnwrapError",
    "KeyVersionUnavailableError",
    "PrivacyError",
    "PurposeRequiredError",
    "TenantKeys",
    "blind_index",
    "clear_key_cache",
    "data_key",
    "decrypt",
    "encrypt",
    "id_card_birth_date",
    "id_card_check_digit",
    "key_version_of",
    "mask_address",
    "mask_id_card",
    "mask_name",
    "mask_phone",
    "normalize_id_card",
    "normalize_phone",
    "normalize_text",
    "reveal",
    "rotate_data_key",
    "validate_id_card",
    "validate_mobile",
]
