"""Who may call Redcell: users, passwords, lockout, one-time codes, tokens and signing keys.

Login must see a user's memberships in every district, so identity flows run on the gateway's
system database role (explicit cross-tenant scope); per-district administration uses the app role.
"""
