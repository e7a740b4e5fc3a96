-- The ASN card's Ed25519 signing keys (see server/src/card.rs); replaces the HMAC key in server_secret.
-- Portable DDL (SQLite and PostgreSQL).
--
-- kid: the first 16 characters of the key's RFC 7638 thumbprint; public_key: the 32 bytes in base64url.
-- private_key: PKCS#8 PEM of a key generated into the database, NULL for a key read from MYSAPK_CARD_KEY_FILE
-- (only its public half is kept, for the key set) and for a retired key (it signs nothing any more).
-- The current key is the newest with retired_at NULL; a retired key verifies until retired_at + the card TTL,
-- then it is deleted at the next rotation. Times are RFC 3339 text.
CREATE TABLE card_key (
    kid TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    private_key TEXT,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

-- The HMAC key is not used any more: its tokens no longer verify, and devices fetch a new one at their next sync.
DELETE FROM server_secret WHERE name = 'card_hmac';
