//! Small key/value facts of one account's database: cursor, replica id, next sequence number, user info.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

pub(crate) const CURSOR: &str = "cursor";
pub(crate) const REPLICA_ID: &str = "replica_id";
pub(crate) const NEXT_SEQ: &str = "next_seq";
pub(crate) const USER: &str = "user";
/// The server this database syncs with: its cursor, mirror and outbox belong to that server.
pub(crate) const SERVER_URL: &str = "server_url";
pub(crate) const LAST_SYNCED_AT: &str = "last_synced_at";
/// The ASN card token (JSON of `card::StoredCard`).
pub(crate) const CARD_TOKEN: &str = "card_token";
/// When the card key set (`card_keys`) was last fetched (RFC 3339), and last tried (a failure waits too).
pub(crate) const CARD_KEYS_FETCHED_AT: &str = "card_keys_fetched_at";
pub(crate) const CARD_KEYS_TRIED_AT: &str = "card_keys_tried_at";
/// Present when a card check met a key the cache lacks: the next sync fetches the set.
pub(crate) const CARD_KEYS_WANTED: &str = "card_keys_wanted";
/// Present while the session may only enrol a second factor (`mfa`): nothing syncs until the confirm.
pub(crate) const MFA_ENROLLMENT_REQUIRED: &str = "mfa_enrollment_required";

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>, CoreError> {
    Ok(conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub(crate) fn delete(conn: &Connection, key: &str) -> Result<(), CoreError> {
    conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?.execute([key])?;
    Ok(())
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}
