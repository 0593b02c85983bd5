"""The tenant (district) registry, provisioning, and each district's user administration."""
