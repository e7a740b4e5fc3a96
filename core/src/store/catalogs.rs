//! Synced reference catalogs (code tables).

use mysapk_model::catalog::Catalog;
use rusqlite::{params, Connection};

use crate::error::CoreError;

pub(crate) fn upsert(conn: &Connection, catalog: &Catalog) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO catalogs (name, json) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET json = excluded.json",
    )?
    .execute(params![catalog.name, serde_json::to_string(catalog)?])?;
    Ok(())
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<Catalog>, CoreError> {
    let mut st = conn.prepare_cached("SELECT json FROM catalogs ORDER BY name")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    Ok(out)
}
