"""A token issuer for testing one service on its own, signing exactly like the gateway (Ed25519, kid).

End-to-end tests use the real gateway instead.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth.verify import JwksKeySource, TokenVerifier
from shared.settings import JwtSettings


class TestIssuer:
    __test__ = False  # not a pytest class

    def __init__(self, settings: JwtSettings, kid: str = "test-key-1") -> None:
        self.settings = settings
        self.kid = kid
        self.private_key = Ed25519PrivateKey.generate()

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}]}

    def verifier(self) -> TokenVerifier:
        async def fetch() -> dict[str, Any]:
            return self.jwks()

        return TokenVerifier(JwksKeySource(fetch), self.settings)

    def token(
        self,
        *,
        tenant: uuid.UUID | None,
        roles: list[str],
        scope: str | None = None,
        user_id: uuid.UUID | None = None,
        ttl_s: int = 300,
        **overrides: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": self.settings.audience,
            "sub": str(user_id or uuid.uuid4()),
            "tenant": str(tenant) if tenant else None,
            "roles": roles,
            "scope": scope,
            "typ": "access",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + ttl_s,
        }
        claims.update(overrides)
        return jwt.encode(claims, self.private_key, algorithm="EdDSA", headers={"kid": self.kid})
