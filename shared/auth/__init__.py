"""JWT verification in every service: tokens from the gateway become a Principal (tenant, roles, scope)."""

from shared.auth.principal import Principal, Role, current_principal
from shared.auth.verify import InvalidTokenError, JwksKeySource, TokenVerifier

__all__ = ["InvalidTokenError", "JwksKeySource", "Principal", "Role", "TokenVerifier", "current_principal"]
