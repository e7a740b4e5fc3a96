//! Importing accounts from CSV or JSON, with per-row errors for the rows refused.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use mysapk_model::admin::{ImportReport, ImportRowError, NewAccount};
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use mysapk_model::Nip;
use sqlx::{AnyConnection, AnyPool};

use super::csv_text::csv_records;
use super::new_account::{insert_accounts, instansi_nama, row_error, validate_new, RowError};
use super::require_admin;
use crate::auth::AuthUser;
use crate::db::{self, placeholders, AfterCommit};
use crate::error::ServerError;

/// Rows per transaction of an import.
pub const IMPORT_CHUNK: usize = 500;

/// One row of an import before validation (strings as read).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RawAccount {
    #[serde(default)]
    pub nip: Option<String>,
    #[serde(default)]
    pub nama: Option<String>,
    #[serde(default)]
    pub tanggal_lahir: Option<String>,
    #[serde(default)]
    pub tempat_lahir: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub unor_nama: Option<String>,
    /// CSV: `;`-separated; JSON: an array of role names or one `;`-separated string.
    #[serde(default)]
    pub roles: Option<serde_json::Value>,
}

/// Parse one raw row into a new account.
fn parse_raw(raw: &RawAccount) -> Result<NewAccount, RowError> {
    let s = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_owned();
    let date_text = s(&raw.tanggal_lahir);
    let tanggal_lahir = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d").map_err(|_| {
        row_error(Code::AccountTanggalLahirFormat, "tanggal_lahir", "The birth date must be YYYY-MM-DD.")
    })?;
    let role_names: Vec<String> = match &raw.roles {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::String(t)) => t.split(';').map(str::to_owned).collect(),
        Some(serde_json::Value::Array(a)) => a.iter().map(|v| v.as_str().unwrap_or("?").to_owned()).collect(),
        Some(other) => vec![other.to_string()],
    };
    let mut roles = Vec::new();
    for name in role_names.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        let role = Role::parse(&name.to_lowercase())
            .ok_or_else(|| row_error(Code::AccountUnknownRole, "roles", format!("Unknown role `{name}`.")))?;
        roles.push(role);
    }
    let email = Some(s(&raw.email)).filter(|e| !e.is_empty());
    Ok(NewAccount {
        nip: s(&raw.nip),
        nama: s(&raw.nama),
        tanggal_lahir,
        tempat_lahir: s(&raw.tempat_lahir),
        email,
        unor_nama: s(&raw.unor_nama),
        roles,
    })
}

/// The import input: CSV text (header `nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles`) or a JSON array.
pub enum ImportInput {
    Csv(String),
    Json(Vec<serde_json::Value>),
}

/// Rows of the input as raw accounts with their line numbers; an unreadable row becomes an error.
type RawRows = Vec<(u32, Result<RawAccount, RowError>)>;

fn raw_rows(input: ImportInput) -> Result<RawRows, ServerError> {
    match input {
        ImportInput::Json(values) => Ok(values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let raw = serde_json::from_value::<RawAccount>(v).map_err(|e| RowError {
                    code: Code::ImportInvalidRow,
                    field: None,
                    message: e.to_string(),
                });
                (line, raw)
            })
            .collect()),
        ImportInput::Csv(text) => {
            let mut records = csv_records(text.trim_start_matches('\u{feff}')).into_iter();
            let Some((_, header)) = records.next() else { return Ok(Vec::new()) };
            let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
            let col = |name: &str| header.iter().position(|h| h == name);
            let Some(nip_col) = col("nip") else {
                return Err(ServerError::api(Code::ImportHeader));
            };
            let cols =
                [col("nama"), col("tanggal_lahir"), col("tempat_lahir"), col("email"), col("unor_nama"), col("roles")];
            Ok(records
                .map(|(line, fields)| {
                    let get = |c: Option<usize>| c.and_then(|i| fields.get(i)).map(|v| v.trim().to_owned());
                    let raw = RawAccount {
                        nip: get(Some(nip_col)),
                        nama: get(cols[0]),
                        tanggal_lahir: get(cols[1]),
                        tempat_lahir: get(cols[2]),
                        email: get(cols[3]),
                        unor_nama: get(cols[4]),
                        roles: get(cols[5]).map(serde_json::Value::String),
                    };
                    (line, Ok(raw))
                })
                .collect())
        }
    }
}

/// The NIPs among `nips` that already have an account.
async fn existing(conn: &mut AnyConnection, nips: &[&str]) -> Result<HashSet<String>, ServerError> {
    let mut out = HashSet::new();
    for chunk in nips.chunks(db::IN_CHUNK) {
        let sql = format!("SELECT nip FROM users WHERE nip IN ({})", placeholders(1, chunk.len()));
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for n in chunk {
            q = q.bind(*n);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// `POST accounts/import` and `admin import FILE`: valid rows are imported, bad rows skipped and reported with
/// their line. Rows go in [`IMPORT_CHUNK`]-row transactions; `progress` is told how many rows are done.
pub async fn import_accounts(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    input: ImportInput,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<ImportReport, ServerError> {
    require_admin(admin)?;
    let rows = raw_rows(input)?;
    let total = rows.len() as u64;
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut valid: Vec<(u32, Nip, NewAccount)> = Vec::new();
    for (line, raw) in rows {
        let nip_text = raw.as_ref().ok().and_then(|r| r.nip.clone()).filter(|n| !n.is_empty());
        let checked = raw.and_then(|r| parse_raw(&r)).and_then(|a| validate_new(&a));
        match checked {
            Ok((nip, a)) => {
                if let Some(first) = seen.get(nip.as_str()) {
                    errors.push(ImportRowError {
                        line,
                        nip: Some(nip.as_str().to_owned()),
                        code: Code::AccountDuplicate.as_str().to_owned(),
                        field: Some("nip".into()),
                        message: format!("The NIP appears already on line {first}."),
                    });
                    continue;
                }
                seen.insert(nip.as_str().to_owned(), line);
                valid.push((line, nip, a));
            }
            Err(e) => errors.push(ImportRowError {
                line,
                nip: nip_text,
                code: e.code.as_str().to_owned(),
                field: e.field,
                message: e.message,
            }),
        }
    }
    let mut imported: u32 = 0;
    let mut done = total - valid.len() as u64;
    progress(done, total);
    let nama = {
        let mut conn = pool.acquire().await?;
        instansi_nama(&mut conn, &admin.instansi_id).await?
    };
    for chunk in valid.chunks(IMPORT_CHUNK) {
        let mut tx = db::begin_write(pool, after).await?;
        let nips: Vec<&str> = chunk.iter().map(|(_, n, _)| n.as_str()).collect();
        let taken = existing(&mut tx, &nips).await?;
        let mut fresh = Vec::with_capacity(chunk.len());
        for (line, nip, a) in chunk {
            if taken.contains(nip.as_str()) {
                errors.push(ImportRowError {
                    line: *line,
                    nip: Some(nip.as_str().to_owned()),
                    code: Code::AccountExists.as_str().to_owned(),
                    field: Some("nip".into()),
                    message: "An account with this NIP exists already.".into(),
                });
            } else {
                fresh.push((nip.clone(), a.clone()));
            }
        }
        insert_accounts(&mut tx, admin, "account.import", &nama, &fresh).await?;
        tx.commit().await?;
        imported += u32::try_from(fresh.len()).unwrap_or(u32::MAX);
        done += chunk.len() as u64;
        progress(done, total);
    }
    errors.sort_by_key(|e| e.line);
    tracing::info!(admin = %admin.nip, imported, refused = errors.len(), "accounts imported");
    Ok(ImportReport { imported, errors })
}
