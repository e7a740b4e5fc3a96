//! Validating new accounts and inserting them (shared by single creation and import).

use mysapk_model::admin::NewAccount;
use mysapk_model::record::{OwnerFields, Profile};
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use mysapk_model::Nip;
use serde_json::json;
use sqlx::AnyConnection;

use super::ENTITY_ACCOUNT;
use crate::auth::AuthUser;
use crate::db::ENTITY_PROFILE;
use crate::db::{self, accounts, placeholders, Audit, WriteTx};
use crate::error::ServerError;

/// One invalid field of a new account.
#[derive(Debug, Clone)]
pub struct RowError {
    pub code: Code,
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    /// The error answered for this row when it is the only one (creating one account).
    pub fn into_error(self) -> ServerError {
        let error = ServerError::api_detail(self.code, self.message);
        match self.field {
            Some(field) => error.on_field(field),
            None => error,
        }
    }
}

pub(super) fn row_error(code: Code, field: &str, message: impl Into<String>) -> RowError {
    RowError { code, field: Some(field.to_owned()), message: message.into() }
}

/// The registered code of a model violation (every rule's code is registered; `account.invalid` otherwise).
fn code_of(v: &mysapk_model::Violation) -> Code {
    Code::parse(&v.code).unwrap_or(Code::AccountInvalid)
}

/// Check a new account with the model's rules; the NIP and names normalised.
pub fn validate_new(a: &NewAccount) -> Result<(Nip, NewAccount), RowError> {
    let nip = Nip::parse(&a.nip).map_err(|v| row_error(code_of(&v), "nip", v.message_en))?;
    // A CSV or JSON import row is no `ApiJson` body: its texts are checked here (a NUL fails PostgreSQL).
    let texts = [("nama", a.nama.as_str()), ("tempat_lahir", &a.tempat_lahir), ("unor_nama", &a.unor_nama)];
    let email = [("email", a.email.as_deref().unwrap_or(""))];
    if let Some((field, _)) = texts.iter().chain(&email).find(|(_, v)| mysapk_model::rules::has_control_chars(v, false))
    {
        return Err(row_error(Code::FieldControlChars, field, Code::FieldControlChars.message_en()));
    }
    let nama = a.nama.trim();
    if nama.is_empty() || nama.len() > 200 {
        return Err(row_error(Code::AccountNamaRequired, "nama", "The name is required (at most 200 characters)."));
    }
    if nip.birth_date() != Some(a.tanggal_lahir) {
        return Err(row_error(
            Code::AccountBirthDateMismatch,
            "tanggal_lahir",
            "The birth date does not match the birth date inside the NIP.",
        ));
    }
    let tempat = a.tempat_lahir.trim();
    if tempat.is_empty() || tempat.len() > 200 {
        return Err(row_error(Code::AccountTempatLahirRequired, "tempat_lahir", "The place of birth is required."));
    }
    let unor = a.unor_nama.trim();
    if unor.is_empty() || unor.len() > 300 {
        return Err(row_error(Code::AccountUnorRequired, "unor_nama", "The work unit is required."));
    }
    let email = a.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
    if let Some(e) = &email {
        let owner = OwnerFields { alamat: None, no_hp: None, email: Some(e.clone()), ..Default::default() };
        if let Some(v) = owner.validate().into_iter().next() {
            return Err(row_error(code_of(&v), "email", v.message_en));
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
        owner: OwnerFields { alamat: None, no_hp: None, email: a.email.clone(), ..Default::default() },
        verified: Default::default(),
        confirmed_kinds: Vec::new(),
        last_usulan_id: None,
        siasn_pns_id: None,
        unor_id: None,
    }
}

/// Insert valid new accounts (no password: not activated) in one transaction: multi-row inserts of users,
/// profiles, change-log entries and audit entries.
pub(super) async fn insert_accounts(
    conn: &mut WriteTx<'_>,
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
        q.execute(&mut **conn).await?;
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
        q.execute(&mut **conn).await?;
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

pub(super) async fn instansi_nama(conn: &mut AnyConnection, id: &str) -> Result<String, ServerError> {
    Ok(accounts::instansi_nama(conn, id).await?.unwrap_or_default())
}
