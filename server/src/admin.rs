//! Agency administration (role `admin`, own agency only): accounts, imports, roles, e-mail, locks, reset codes,
//! announcements, and reading the audit log. Used by the HTTP routes under `/api/v1/admin/` and by the CLI
//! (`mysapk-server admin --as <nip> …`); every change is audited in its own transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use mysapk_model::admin::{
    AccountInfo, AnnouncementRequest, AuditEntry, ImportReport, ImportRowError, NewAccount, ResetCode, RoleChange,
};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::{OwnerFields, Profile};
use mysapk_model::usulan::Role;
use mysapk_model::Nip;
use rand::Rng;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::auth::{self, AuthUser};
use crate::db::{self, accounts, placeholders, records, usulan as usulan_db, Audit};
use crate::error::ServerError;
use crate::review;
use crate::workflow::{ENTITY_NOTIFICATION, ENTITY_PROFILE};

const ENTITY_ACCOUNT: &str = "account";
/// Rows per transaction of an import.
pub const IMPORT_CHUNK: usize = 500;
/// Lifetime of a reset code.
pub const RESET_CODE_HOURS: i64 = 24;
/// Unambiguous characters of a reset code (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 8;

/// Only an admin may administer, and only their own agency.
pub fn require_admin(user: &AuthUser) -> Result<(), ServerError> {
    if user.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(ServerError::forbidden("admin.not_admin", "Only an agency admin may do this."))
    }
}

/// The acting admin for the CLI: the account must exist and hold the admin role.
pub async fn actor(pool: &AnyPool, nip: &str) -> Result<AuthUser, ServerError> {
    let mut conn = pool.acquire().await?;
    let user = accounts::find_user(&mut conn, nip)
        .await?
        .ok_or_else(|| ServerError::not_found("account.not_found", "No such account."))?;
    let user = AuthUser { nip: user.nip, roles: user.roles, instansi_id: user.instansi_id };
    require_admin(&user)?;
    Ok(user)
}

fn account_not_found() -> ServerError {
    ServerError::not_found("account.not_found", "No such account in your agency.")
}

fn field_error(code: &'static str, field: &str, message: &str) -> ServerError {
    ServerError::Api {
        status: axum::http::StatusCode::BAD_REQUEST,
        code,
        message: message.to_owned(),
        field: Some(field.to_owned()),
    }
}

/// A target account of the admin's agency.
async fn target(conn: &mut AnyConnection, admin: &AuthUser, nip: &str) -> Result<accounts::UserRow, ServerError> {
    accounts::find_user(conn, nip.trim())
        .await?
        .filter(|u| u.instansi_id == admin.instansi_id)
        .ok_or_else(account_not_found)
}

async fn info(conn: &mut AnyConnection, nip: &str) -> Result<AccountInfo, ServerError> {
    let user = accounts::find_user(conn, nip).await?.ok_or_else(account_not_found)?;
    let locked = accounts::locked_reason(conn, nip).await?;
    let profile = records::get_profile(conn, nip).await?;
    Ok(account_info(&user, profile.as_ref(), locked))
}

fn account_info(user: &accounts::UserRow, profile: Option<&Profile>, locked_reason: Option<String>) -> AccountInfo {
    AccountInfo {
        nip: user.nip.clone(),
        nama: profile.map_or_else(|| user.nip.clone(), Profile::full_name),
        email: profile.and_then(|p| p.owner.email.clone()),
        unor_nama: profile.map(|p| p.unor_nama.clone()).unwrap_or_default(),
        roles: user.roles.clone(),
        locked_reason,
    }
}

/// `GET accounts?q=`: the agency's accounts whose NIP, name, unit or e-mail contains `q` (case-insensitive).
pub async fn list_accounts(pool: &AnyPool, admin: &AuthUser, q: Option<&str>) -> Result<Vec<AccountInfo>, ServerError> {
    require_admin(admin)?;
    let mut conn = pool.acquire().await?;
    type Row = (String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT u.nip, u.password_hash, u.roles, u.locked_reason, p.data FROM users u \
         LEFT JOIN profile p ON p.nip = u.nip WHERE u.instansi_id = $1 ORDER BY u.nip",
    )
    .bind(&admin.instansi_id)
    .fetch_all(&mut *conn)
    .await?;
    let needle = q.map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let mut out = Vec::new();
    for (nip, password_hash, roles, locked, data) in rows {
        let profile: Option<Profile> = data.as_deref().map(serde_json::from_str).transpose()?;
        let user = accounts::UserRow {
            nip,
            password_hash,
            roles: accounts::roles_from_text(&roles),
            instansi_id: admin.instansi_id.clone(),
        };
        let a = account_info(&user, profile.as_ref(), locked);
        let hit = needle.as_deref().is_none_or(|n| {
            a.nip.contains(n)
                || a.nama.to_lowercase().contains(n)
                || a.unor_nama.to_lowercase().contains(n)
                || a.email.as_deref().is_some_and(|e| e.to_lowercase().contains(n))
        });
        if hit {
            out.push(a);
            if out.len() >= 1000 {
                break;
            }
        }
    }
    Ok(out)
}

/// One invalid field of a new account.
#[derive(Debug, Clone)]
pub struct RowError {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

fn row_error(code: &str, field: &str, message: impl Into<String>) -> RowError {
    RowError { code: code.to_owned(), field: Some(field.to_owned()), message: message.into() }
}

/// Check a new account with the model's rules; the NIP and names normalised.
pub fn validate_new(a: &NewAccount) -> Result<(Nip, NewAccount), RowError> {
    let nip = Nip::parse(&a.nip).map_err(|v| row_error(&v.code, "nip", v.message_en))?;
    let nama = a.nama.trim();
    if nama.is_empty() || nama.len() > 200 {
        return Err(row_error("account.nama_required", "nama", "The name is required (at most 200 characters)."));
    }
    if nip.birth_date() != Some(a.tanggal_lahir) {
        return Err(row_error(
            "account.birth_date_mismatch",
            "tanggal_lahir",
            "The birth date does not match the birth date inside the NIP.",
        ));
    }
    let tempat = a.tempat_lahir.trim();
    if tempat.is_empty() || tempat.len() > 200 {
        return Err(row_error("account.tempat_lahir_required", "tempat_lahir", "The place of birth is required."));
    }
    let unor = a.unor_nama.trim();
    if unor.is_empty() || unor.len() > 300 {
        return Err(row_error("account.unor_required", "unor_nama", "The work unit is required."));
    }
    let email = a.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
    if let Some(e) = &email {
        let owner = OwnerFields { alamat: None, no_hp: None, email: Some(e.clone()) };
        if let Some(v) = owner.validate().into_iter().next() {
            return Err(row_error(&v.code, "email", v.message_en));
        }
    }
    let mut roles = vec![Role::Asn];
    for r in &a.roles {
        if !roles.contains(r) {
            roles.push(*r);
        }
    }
    Ok((
        nip.clone(),
        NewAccount {
            nip: nip.as_str().to_owned(),
            nama: nama.to_owned(),
            tanggal_lahir: a.tanggal_lahir,
            tempat_lahir: tempat.to_owned(),
            email,
            unor_nama: unor.to_owned(),
            roles,
        },
    ))
}

fn new_profile(nip: &Nip, a: &NewAccount, instansi_id: &str, instansi_nama: &str) -> Profile {
    Profile {
        nip: nip.clone(),
        nama: a.nama.clone(),
        gelar_depan: None,
        gelar_belakang: None,
        tempat_lahir: a.tempat_lahir.clone(),
        tanggal_lahir: a.tanggal_lahir,
        jenis_kelamin: match nip.gender() {
            mysapk_model::nip::NipGender::Male => "M".into(),
            mysapk_model::nip::NipGender::Female => "F".into(),
        },
        instansi_id: instansi_id.to_owned(),
        instansi_nama: instansi_nama.to_owned(),
        unor_nama: a.unor_nama.clone(),
        golongan_id: None,
        jabatan_nama: None,
        owner: OwnerFields { alamat: None, no_hp: None, email: a.email.clone() },
        last_usulan_id: None,
    }
}

/// Insert valid new accounts (no password: not activated) in one transaction: multi-row inserts of users,
/// profiles, change-log entries and audit entries.
async fn insert_accounts(
    conn: &mut AnyConnection,
    admin: &AuthUser,
    action: &str,
    instansi_nama: &str,
    rows: &[(Nip, NewAccount)],
) -> Result<(), ServerError> {
    let now = db::now_text();
    for chunk in rows.chunks(db::IN_CHUNK) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 5 + 1, 5))).collect();
        let sql = format!(
            "INSERT INTO users (nip, password_hash, roles, instansi_id, created_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (nip, a) in chunk {
            q = q
                .bind(nip.as_str().to_owned())
                .bind(String::new())
                .bind(accounts::roles_to_text(&a.roles))
                .bind(admin.instansi_id.clone())
                .bind(now.clone());
        }
        q.execute(&mut *conn).await?;
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 4 + 1, 4))).collect();
        let sql = format!("INSERT INTO profile (nip, instansi_id, data, updated_at) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for (nip, a) in chunk {
            let p = new_profile(nip, a, &admin.instansi_id, instansi_nama);
            q = q
                .bind(nip.as_str().to_owned())
                .bind(admin.instansi_id.clone())
                .bind(serde_json::to_string(&p)?)
                .bind(now.clone());
        }
        q.execute(&mut *conn).await?;
    }
    let log: Vec<(String, &str, String)> =
        rows.iter().map(|(nip, _)| (nip.as_str().to_owned(), ENTITY_PROFILE, nip.as_str().to_owned())).collect();
    db::log_changes(conn, &log).await?;
    let audits: Vec<Audit<'_>> = rows
        .iter()
        .map(|(nip, a)| Audit {
            actor: &admin.nip,
            action,
            entity: ENTITY_ACCOUNT,
            entity_id: nip.as_str(),
            subject: Some(nip.as_str()),
            instansi: Some(&admin.instansi_id),
            details: json!({"nama": a.nama, "unor_nama": a.unor_nama, "roles": a.roles, "email": a.email}),
            ..Audit::default()
        })
        .collect();
    db::audit_many(conn, &audits).await
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

async fn instansi_nama(conn: &mut AnyConnection, id: &str) -> Result<String, ServerError> {
    Ok(accounts::instansi_nama(conn, id).await?.unwrap_or_default())
}

/// `POST accounts`: create one account (no password until activated with a reset code).
pub async fn create_account(pool: &AnyPool, admin: &AuthUser, a: &NewAccount) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let (nip, a) = validate_new(a).map_err(|e| ServerError::Api {
        status: axum::http::StatusCode::BAD_REQUEST,
        code: leak_code(&e.code),
        message: e.message,
        field: e.field,
    })?;
    let mut tx = db::begin_write(pool).await?;
    if accounts::find_user(&mut tx, nip.as_str()).await?.is_some() {
        return Err(ServerError::conflict("account.exists", "An account with this NIP exists already."));
    }
    let nama = instansi_nama(&mut tx, &admin.instansi_id).await?;
    insert_accounts(&mut tx, admin, "account.create", &nama, &[(nip.clone(), a)]).await?;
    let out = info(&mut tx, nip.as_str()).await?;
    tx.commit().await?;
    Ok(out)
}

/// Codes are `&'static str` in [`ServerError::Api`]: keep the known ones, else a generic one.
fn leak_code(code: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "nip.length",
        "nip.digits",
        "nip.birth_date",
        "nip.tmt_cpns",
        "nip.tmt_before_adult",
        "nip.gender",
        "account.nama_required",
        "account.birth_date_mismatch",
        "account.tempat_lahir_required",
        "account.unor_required",
        "owner.email_format",
    ];
    KNOWN.iter().find(|k| **k == code).copied().unwrap_or("account.invalid")
}

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
        row_error("account.tanggal_lahir_format", "tanggal_lahir", "The birth date must be YYYY-MM-DD.")
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
            .ok_or_else(|| row_error("account.unknown_role", "roles", format!("Unknown role `{name}`.")))?;
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

/// Split CSV text into records (RFC 4180 quoting), each with its 1-based starting line.
fn csv_records(text: &str) -> Vec<(u32, Vec<String>)> {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line: u32 = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                any = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if any || fields.iter().any(|f| !f.is_empty()) {
                    out.push((start, std::mem::take(&mut fields)));
                } else {
                    fields.clear();
                }
                any = false;
                line += 1;
                start = line;
            }
            _ => {
                field.push(c);
                any = true;
            }
        }
    }
    if any || !field.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    out
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
                    code: "import.invalid_row".into(),
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
                return Err(ServerError::bad_request("import.header", "The CSV header must name the column `nip`."));
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

/// `POST accounts/import` and `admin import FILE`: valid rows are imported, bad rows skipped and reported with
/// their line. Rows go in [`IMPORT_CHUNK`]-row transactions; `progress` is told how many rows are done.
pub async fn import_accounts(
    pool: &AnyPool,
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
                        code: "account.duplicate".into(),
                        field: Some("nip".into()),
                        message: format!("The NIP appears already on line {first}."),
                    });
                    continue;
                }
                seen.insert(nip.as_str().to_owned(), line);
                valid.push((line, nip, a));
            }
            Err(e) => {
                errors.push(ImportRowError { line, nip: nip_text, code: e.code, field: e.field, message: e.message })
            }
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
        let mut tx = db::begin_write(pool).await?;
        let nips: Vec<&str> = chunk.iter().map(|(_, n, _)| n.as_str()).collect();
        let taken = existing(&mut tx, &nips).await?;
        let mut fresh = Vec::with_capacity(chunk.len());
        for (line, nip, a) in chunk {
            if taken.contains(nip.as_str()) {
                errors.push(ImportRowError {
                    line: *line,
                    nip: Some(nip.as_str().to_owned()),
                    code: "account.exists".into(),
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

/// `POST accounts/{nip}/roles`.
pub async fn change_role(
    pool: &AnyPool,
    admin: &AuthUser,
    nip: &str,
    change: &RoleChange,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    if !matches!(change.role, Role::Verifikator | Role::Approver | Role::Admin) {
        return Err(field_error("role.not_assignable", "role", "Only verifikator, approver and admin are assignable."));
    }
    let mut tx = db::begin_write(pool).await?;
    let user = target(&mut tx, admin, nip).await?;
    if user.nip == admin.nip && change.role == Role::Admin && !change.grant {
        return Err(ServerError::conflict("role.self_revoke", "An admin may not revoke their own admin role."));
    }
    let mut roles = user.roles.clone();
    let had = roles.contains(&change.role);
    if change.grant && !had {
        roles.push(change.role);
    } else if !change.grant {
        roles.retain(|r| *r != change.role);
    }
    if roles != user.roles {
        accounts::set_roles(&mut tx, &user.nip, &roles).await?;
        if matches!(change.role, Role::Verifikator | Role::Approver) {
            review::log_queue_for(&mut tx, &user.nip, &user.instansi_id).await?;
        }
        db::audit(
            &mut tx,
            Audit {
                actor: &admin.nip,
                action: if change.grant { "role.grant" } else { "role.revoke" },
                entity: ENTITY_ACCOUNT,
                entity_id: &user.nip,
                subject: Some(&user.nip),
                instansi: Some(&admin.instansi_id),
                details: json!({"role": change.role, "before": user.roles, "after": roles}),
                ..Audit::default()
            },
        )
        .await?;
    }
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    crate::cache::forget_tokens();
    Ok(out)
}

/// `POST accounts/{nip}/email`: re-link the account's e-mail (the profile's owner field; synced).
pub async fn change_email(
    pool: &AnyPool,
    admin: &AuthUser,
    nip: &str,
    email: &str,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let email = email.trim();
    let check = OwnerFields { alamat: None, no_hp: None, email: Some(email.to_owned()) };
    if let Some(v) = check.validate().into_iter().next() {
        return Err(field_error("owner.email_format", "email", &v.message_en));
    }
    let mut tx = db::begin_write(pool).await?;
    let user = target(&mut tx, admin, nip).await?;
    let mut profile = records::get_profile(&mut tx, &user.nip).await?.ok_or_else(account_not_found)?;
    let before = profile.owner.email.clone();
    profile.owner.email = Some(email.to_owned());
    records::put_profile(&mut tx, &profile).await?;
    db::log_change(&mut tx, Some(&user.nip), ENTITY_PROFILE, &user.nip).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.email",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"before": before, "after": email}),
            ..Audit::default()
        },
    )
    .await?;
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    Ok(out)
}

/// `POST accounts/{nip}/lock`: lock with a reason (shown at login) and revoke the account's tokens.
pub async fn lock(pool: &AnyPool, admin: &AuthUser, nip: &str, reason: &str) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 1000 {
        return Err(field_error(
            "account.reason_required",
            "reason",
            "A reason (at most 1000 characters) is required.",
        ));
    }
    let mut tx = db::begin_write(pool).await?;
    let user = target(&mut tx, admin, nip).await?;
    if user.nip == admin.nip {
        return Err(ServerError::conflict("account.self_lock", "An admin may not lock their own account."));
    }
    accounts::set_locked(&mut tx, &user.nip, Some(reason)).await?;
    let revoked = accounts::revoke_all_tokens(&mut tx, &user.nip).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.lock",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            reason: Some(reason),
            details: json!({"tokens_revoked": revoked}),
            ..Audit::default()
        },
    )
    .await?;
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    crate::cache::forget_tokens();
    Ok(out)
}

/// `POST accounts/{nip}/unlock`.
pub async fn unlock(pool: &AnyPool, admin: &AuthUser, nip: &str) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool).await?;
    let user = target(&mut tx, admin, nip).await?;
    let before = accounts::locked_reason(&mut tx, &user.nip).await?;
    accounts::set_locked(&mut tx, &user.nip, None).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.unlock",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"was_locked": before}),
            ..Audit::default()
        },
    )
    .await?;
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    Ok(out)
}

/// A fresh reset code.
pub fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// `POST accounts/{nip}/reset-code`: a one-time code (stored hashed, 24 h) for a reset or first activation.
pub async fn reset_code(pool: &AnyPool, admin: &AuthUser, nip: &str) -> Result<ResetCode, ServerError> {
    require_admin(admin)?;
    let mut tx = db::begin_write(pool).await?;
    let user = target(&mut tx, admin, nip).await?;
    let code = new_code();
    let expires_at = Utc::now() + chrono::Duration::hours(RESET_CODE_HOURS);
    accounts::put_reset_code(
        &mut tx,
        &user.nip,
        &auth::reset_code_hash(&user.nip, &code),
        expires_at.timestamp_millis(),
        &admin.nip,
    )
    .await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "account.reset_code",
            entity: ENTITY_ACCOUNT,
            entity_id: &user.nip,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"expires_at": expires_at, "activated": !user.password_hash.is_empty()}),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ResetCode { code, expires_at })
}

/// What an announcement reached.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AnnouncementSent {
    pub id: String,
    pub recipients: u32,
}

/// `POST announcements`: one notification per ASN of the agency (or of one work unit), synced as usual.
pub async fn announce(
    pool: &AnyPool,
    admin: &AuthUser,
    req: &AnnouncementRequest,
) -> Result<AnnouncementSent, ServerError> {
    require_admin(admin)?;
    let title = req.title.trim();
    let body = req.body.trim();
    if title.is_empty() || title.len() > 200 {
        return Err(field_error(
            "announcement.title_required",
            "title",
            "A title (at most 200 characters) is required.",
        ));
    }
    if body.is_empty() || body.len() > 10_000 {
        return Err(field_error(
            "announcement.body_required",
            "body",
            "A body (at most 10000 characters) is required.",
        ));
    }
    let unor = req.unor_nama.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let mut tx = db::begin_write(pool).await?;
    let profiles: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.nip, p.data FROM users u JOIN profile p ON p.nip = u.nip WHERE u.instansi_id = $1 ORDER BY u.nip",
    )
    .bind(&admin.instansi_id)
    .fetch_all(&mut *tx)
    .await?;
    let now = Utc::now();
    let mut notes = Vec::new();
    for (nip, data) in profiles {
        if let Some(u) = unor {
            let p: Profile = serde_json::from_str(&data)?;
            if p.unor_nama != u {
                continue;
            }
        }
        let n = Notification {
            id: uuid::Uuid::new_v4().to_string(),
            kind: NotificationKind::Announcement,
            usulan_id: None,
            state: None,
            history_kind: None,
            reason: None,
            title: Some(title.to_owned()),
            body: Some(body.to_owned()),
            created_at: now,
            read: false,
        };
        notes.push((nip, n));
    }
    usulan_db::insert_notifications(&mut tx, &notes).await?;
    let log: Vec<(String, &str, String)> =
        notes.iter().map(|(nip, n)| (nip.clone(), ENTITY_NOTIFICATION, n.id.clone())).collect();
    db::log_changes(&mut tx, &log).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let recipients = u32::try_from(notes.len()).unwrap_or(u32::MAX);
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "announcement.send",
            entity: "announcement",
            entity_id: &id,
            instansi: Some(&admin.instansi_id),
            details: json!({"title": title, "body": body, "unor_nama": unor, "recipients": recipients}),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AnnouncementSent { id, recipients })
}

/// `GET /api/v1/admin/audit`: the agency's entries, newest first.
pub async fn agency_audit(
    pool: &AnyPool,
    admin: &AuthUser,
    limit: Option<i64>,
    before: Option<&str>,
) -> Result<Vec<AuditEntry>, ServerError> {
    require_admin(admin)?;
    let mut conn = pool.acquire().await?;
    db::read_audit(&mut conn, None, Some(&admin.instansi_id), before, limit.unwrap_or(100).clamp(1, 1000)).await
}

/// `GET /api/v1/audit/me`: the entries about the caller's own record and account, newest first.
pub async fn my_audit(pool: &AnyPool, user: &AuthUser) -> Result<Vec<AuditEntry>, ServerError> {
    let mut conn = pool.acquire().await?;
    db::read_audit(&mut conn, Some(&user.nip), None, None, 1000).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_and_quotes() {
        let text = "nip,nama\n1,\"Budi, S.Kom.\"\n\n2,\"multi\nline\"\n3,x";
        let recs = csv_records(text);
        let lines: Vec<u32> = recs.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 4, 6]);
        assert_eq!(recs[1].1, ["1", "Budi, S.Kom."]);
        assert_eq!(recs[2].1, ["2", "multi\nline"]);
    }

    #[test]
    fn codes_are_unambiguous() {
        let c = new_code();
        assert_eq!(c.len(), CODE_LEN);
        assert!(c.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(new_code(), c);
    }
}
