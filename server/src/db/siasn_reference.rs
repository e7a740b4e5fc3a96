//! SQL for `siasn_reference` (migration 0017): SIASN's ids of positions and units, looked up by name.

use mysapk_model::siasn::reference::{name_key, ReferenceKind};
use sqlx::AnyConnection;

use super::placeholders;
use crate::error::ServerError;

/// Rows per `INSERT` (4 binds each: far below either database's limit).
const CHUNK: usize = 500;

/// One named id of a reference table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub nama: String,
}

/// How many entries of `kind` (scope `''`) are stored.
pub async fn count(conn: &mut AnyConnection, kind: ReferenceKind) -> Result<i64, ServerError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM siasn_reference WHERE kind = $1 AND scope = ''")
        .bind(kind.as_str())
        .fetch_one(&mut *conn)
        .await?)
}

/// Replace every entry of table `kind` (scope `''`) by `entries`, whose name keys must be distinct.
pub async fn replace(conn: &mut AnyConnection, kind: ReferenceKind, entries: &[Named]) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM siasn_reference WHERE kind = $1 AND scope = ''")
        .bind(kind.as_str())
        .execute(&mut *conn)
        .await?;
    for chunk in entries.chunks(CHUNK) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("($1, '', {})", placeholders(2 + i * 3, 3))).collect();
        let sql = format!("INSERT INTO siasn_reference (kind, scope, nama_key, id, nama) VALUES {}", rows.join(", "));
        let mut q = sqlx::query(&sql).bind(kind.as_str());
        for e in chunk {
            q = q.bind(name_key(&e.nama)).bind(&e.id).bind(&e.nama);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Note that unit `id` of agency `instansi_id` is called `nama` (the latest answer wins).
pub async fn put_unit(conn: &mut AnyConnection, instansi_id: &str, unit: &Named) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO siasn_reference (kind, scope, nama_key, id, nama) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (kind, scope, nama_key) DO UPDATE SET id = excluded.id, nama = excluded.nama",
    )
    .bind(ReferenceKind::Unor.as_str())
    .bind(instansi_id)
    .bind(name_key(&unit.nama))
    .bind(&unit.id)
    .bind(&unit.nama)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The id of `nama` in table `kind`: scope `''` for the position tables, the agency's id for units.
pub async fn find(
    conn: &mut AnyConnection,
    kind: ReferenceKind,
    scope: &str,
    nama: &str,
) -> Result<Option<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT id FROM siasn_reference WHERE kind = $1 AND scope = $2 AND nama_key = $3")
        .bind(kind.as_str())
        .bind(scope)
        .bind(name_key(nama))
        .fetch_optional(&mut *conn)
        .await?)
}

/// The name of `id` in table `kind` (scope as in [`find`]), when the table holds it.
pub async fn name_of(
    conn: &mut AnyConnection,
    kind: ReferenceKind,
    scope: &str,
    id: &str,
) -> Result<Option<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT nama FROM siasn_reference WHERE kind = $1 AND scope = $2 AND id = $3 LIMIT 1")
        .bind(kind.as_str())
        .bind(scope)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}
