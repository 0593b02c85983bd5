"""HTTP kernel for every Litestar app: problem+json errors, request ids, auth, health, metrics."""
