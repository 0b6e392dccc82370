"""Identity and data protection building blocks (pure, no Qt, no database).

``passwords`` (Argon2id hashes, policy, lockout rule), ``keys`` (the hall key outside the
database), ``crypto`` (field encryption, keyed look-up hashes, pseudonyms), ``audit_chain``
(the hash-chained audit trail), ``roles`` (roles, operations, the permission table).
Import the submodules directly; this package imports nothing so a cold command stays fast.
"""
