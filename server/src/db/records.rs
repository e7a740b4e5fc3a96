//! SQL for the official record (`profile`, `history`) and the `catalog` table.

use mysapk_model::catalog::{Catalog, CatalogEntry, Catalogs};
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::record::Profile;
use sqlx::AnyConnection;

use super::{placeholders, IN_CHUNK};
use crate::error::ServerError;

pub async fn get_profile(conn: &mut AnyConnection, nip: &str) -> Result<Option<Profile>, ServerError> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT data FROM profile WHERE nip = $1").bind(nip).fetch_optional(&mut *conn).await?;
    match json {
        Some(j) => Ok(Some(serde_json::from_str(&j)?)),
        None => Ok(None),
    }
}

/// The profiles of `nips` (those that exist), one query per [`IN_CHUNK`] ids.
pub async fn get_profiles(conn: &mut AnyConnection, nips: &[&str]) -> Result<Vec<Profile>, ServerError> {
    let mut out = Vec::with_capacity(nips.len());
    for chunk in nips.chunks(IN_CHUNK) {
        let sql = format!("SELECT data FROM profile WHERE nip IN ({})", placeholders(1, chunk.len()));
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for nip in chunk {
            q = q.bind(*nip);
        }
        for json in q.fetch_all(&mut *conn).await? {
            out.push(serde_json::from_str(&json)?);
        }
    }
    Ok(out)
}

/// The profile of agency `instansi_id` whose SIASN PNS id is `pns_id` (32 hex digits, checked by the caller, so
/// the pattern holds no wildcard); matched in the stored JSON, then confirmed on the parsed profile.
pub async fn find_profile_by_siasn_id(
    conn: &mut AnyConnection,
    instansi_id: &str,
    pns_id: &str,
) -> Result<Option<Profile>, ServerError> {
    let pattern = format!("%\"siasn_pns_id\":\"{pns_id}\"%");
    let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM profile WHERE instansi_id = $1 AND data LIKE $2")
        .bind(instansi_id)
        .bind(pattern)
        .fetch_all(&mut *conn)
        .await?;
    for json in rows {
        let profile: Profile = serde_json::from_str(&json)?;
        if profile.siasn_pns_id.as_deref() == Some(pns_id) {
            return Ok(Some(profile));
        }
    }
    Ok(None)
}

pub async fn put_profile(conn: &mut AnyConnection, profile: &Profile) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO profile (nip, instansi_id, data, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (nip) DO UPDATE SET instansi_id = excluded.instansi_id, data = excluded.data, \
         updated_at = excluded.updated_at",
    )
    .bind(profile.nip.as_str())
    .bind(&profile.instansi_id)
    .bind(serde_json::to_string(profile)?)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored history row, including soft-deleted ones (their id and kind make the tombstone).
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub nip: String,
    pub kind: HistoryKind,
    pub record: HistoryRecord,
    pub deleted: bool,
}

type RawHistory = (String, String, String, String, Option<String>, i64, Option<String>);

fn history_from_raw(
    (id, nip, kind, data, last_usulan_id, deleted, siasn_id): RawHistory,
) -> Result<HistoryRow, ServerError> {
    let data: HistoryData = serde_json::from_str(&data)?;
    let kind = HistoryKind::parse(&kind).unwrap_or(data.kind());
    Ok(HistoryRow { nip, kind, record: HistoryRecord { id, data, last_usulan_id, siasn_id }, deleted: deleted != 0 })
}

pub async fn get_history(conn: &mut AnyConnection, id: &str) -> Result<Option<HistoryRow>, ServerError> {
    let row: Option<RawHistory> =
        sqlx::query_as("SELECT id, nip, kind, data, last_usulan_id, deleted, siasn_id FROM history WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(history_from_raw).transpose()
}

/// The history rows (deleted ones included) of `nip` among `ids`, one query per [`IN_CHUNK`] ids.
pub async fn get_histories(conn: &mut AnyConnection, nip: &str, ids: &[&str]) -> Result<Vec<HistoryRow>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!(
            "SELECT id, nip, kind, data, last_usulan_id, deleted, siasn_id FROM history WHERE nip = $1 AND id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query_as::<_, RawHistory>(&sql).bind(nip);
        for id in chunk {
            q = q.bind(*id);
        }
        for raw in q.fetch_all(&mut *conn).await? {
            out.push(history_from_raw(raw)?);
        }
    }
    Ok(out)
}

/// The history rows (deleted ones included) among `ids`, whoever they belong to; one query per [`IN_CHUNK`] ids.
pub async fn get_histories_any(conn: &mut AnyConnection, ids: &[&str]) -> Result<Vec<HistoryRow>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!(
            "SELECT id, nip, kind, data, last_usulan_id, deleted, siasn_id FROM history WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, RawHistory>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for raw in q.fetch_all(&mut *conn).await? {
            out.push(history_from_raw(raw)?);
        }
    }
    Ok(out)
}

/// The live (not deleted) history records of one ASN.
pub async fn list_history(conn: &mut AnyConnection, nip: &str) -> Result<Vec<HistoryRecord>, ServerError> {
    let rows: Vec<RawHistory> = sqlx::query_as(
        "SELECT id, nip, kind, data, last_usulan_id, deleted, siasn_id FROM history WHERE nip = $1 AND deleted = 0 ORDER BY id",
    )
    .bind(nip)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| history_from_raw(r).map(|h| h.record)).collect()
}

pub async fn put_history(conn: &mut AnyConnection, nip: &str, record: &HistoryRecord) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO history (id, nip, kind, data, last_usulan_id, deleted, updated_at, siasn_id) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, kind = excluded.kind, \
         last_usulan_id = excluded.last_usulan_id, deleted = 0, updated_at = excluded.updated_at, \
         siasn_id = excluded.siasn_id",
    )
    .bind(&record.id)
    .bind(nip)
    .bind(record.data.kind().as_str())
    .bind(serde_json::to_string(&record.data)?)
    .bind(record.last_usulan_id.clone())
    .bind(super::now_text())
    .bind(record.siasn_id.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Soft-delete a record (kept as a tombstone for sync), remembering the proposal that deleted it.
pub async fn delete_history(conn: &mut AnyConnection, id: &str, usulan_id: &str) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE history SET deleted = 1, last_usulan_id = $1, updated_at = $2 WHERE id = $3 AND deleted = 0",
    )
    .bind(usulan_id)
    .bind(super::now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get_catalog(conn: &mut AnyConnection, name: &str) -> Result<Option<Catalog>, ServerError> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT entries FROM catalog WHERE name = $1").bind(name).fetch_optional(&mut *conn).await?;
    match json {
        Some(j) => {
            let entries: Vec<CatalogEntry> = serde_json::from_str(&j)?;
            Ok(Some(Catalog { name: name.to_owned(), entries }))
        }
        None => Ok(None),
    }
}

/// The catalogs named in `names` (those that exist), one query per [`IN_CHUNK`] names.
pub async fn get_catalogs(conn: &mut AnyConnection, names: &[&str]) -> Result<Vec<Catalog>, ServerError> {
    let mut out = Vec::with_capacity(names.len());
    for chunk in names.chunks(IN_CHUNK) {
        let sql = format!("SELECT name, entries FROM catalog WHERE name IN ({})", placeholders(1, chunk.len()));
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for name in chunk {
            q = q.bind(*name);
        }
        for (name, entries) in q.fetch_all(&mut *conn).await? {
            out.push(Catalog { name, entries: serde_json::from_str(&entries)? });
        }
    }
    Ok(out)
}

/// Every catalog, as a code book for server-side validation.
pub async fn load_catalogs(conn: &mut AnyConnection) -> Result<Catalogs, ServerError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT name, entries FROM catalog ORDER BY name").fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, entries) in rows {
        out.push(Catalog { name, entries: serde_json::from_str(&entries)? });
    }
    Ok(Catalogs(out))
}

pub async fn put_catalog(conn: &mut AnyConnection, catalog: &Catalog) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO catalog (name, entries, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET entries = excluded.entries, updated_at = excluded.updated_at",
    )
    .bind(&catalog.name)
    .bind(serde_json::to_string(&catalog.entries)?)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
