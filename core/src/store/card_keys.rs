//! The public keys that verify ASN card tokens offline, as the server last published them
//! (`GET /api/v1/card/keys`): a mirror, replaced whole at each fetch so a key the server dropped goes too.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CoreError;

/// Replace the cached set with `keys` (`kid`, `x`: the Ed25519 public key in base64url).
pub(crate) fn replace(conn: &Connection, keys: &[(String, String)]) -> Result<(), CoreError> {
    conn.execute("DELETE FROM card_keys", [])?;
    let mut st = conn.prepare_cached("INSERT OR REPLACE INTO card_keys (kid, x) VALUES (?1, ?2)")?;
    for (kid, x) in keys {
        st.execute(params![kid, x])?;
    }
    Ok(())
}

/// The `x` of the key named `kid`, if cached.
pub(crate) fn get(conn: &Connection, kid: &str) -> Result<Option<String>, CoreError> {
    Ok(conn.prepare_cached("SELECT x FROM card_keys WHERE kid = ?1")?.query_row([kid], |r| r.get(0)).optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrations;

    #[test]
    fn a_fetch_replaces_the_whole_set() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrations::migrate(&mut conn).expect("migrate");
        replace(&conn, &[("a".into(), "xa".into()), ("b".into(), "xb".into())]).expect("first");
        replace(&conn, &[("b".into(), "xb2".into())]).expect("second");
        assert_eq!(get(&conn, "a").expect("a"), None, "a dropped key goes");
        assert_eq!(get(&conn, "b").expect("b").as_deref(), Some("xb2"));
    }
}
