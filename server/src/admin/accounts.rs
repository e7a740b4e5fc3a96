//! Listing and creating the agency's accounts, and changing an account's roles and e-mail.

use mysapk_model::admin::{AccountInfo, NewAccount, RoleChange};
use mysapk_model::notification::AccountEvent;
use mysapk_model::record::{OwnerFields, Profile};
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::new_account::{insert_accounts, instansi_nama, validate_new, RowError};
use super::{account_info, account_not_found, field_error, info, require_admin, target, ENTITY_ACCOUNT};
use crate::auth::{self, AuthUser};
use crate::db::ENTITY_PROFILE;
use crate::db::{self, accounts, records, AfterCommit, Audit};
use crate::error::ServerError;
use crate::review;

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

/// `POST accounts`: create one account (no password until activated with a reset code).
pub async fn create_account(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    a: &NewAccount,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let (nip, a) = validate_new(a).map_err(RowError::into_error)?;
    let mut tx = db::begin_write(pool, after).await?;
    if accounts::find_user(&mut tx, nip.as_str()).await?.is_some() {
        return Err(ServerError::api(Code::AccountExists));
    }
    let nama = instansi_nama(&mut tx, &admin.instansi_id).await?;
    insert_accounts(&mut tx, admin, "account.create", &nama, &[(nip.clone(), a)]).await?;
    let out = info(&mut tx, nip.as_str()).await?;
    tx.commit().await?;
    Ok(out)
}

/// `POST accounts/{nip}/roles`.
pub async fn change_role(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
    change: &RoleChange,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    // Separation of duties: an admin never grants themselves a reviewer role, nor drops their own admin role.
    if nip.trim() == admin.nip {
        return Err(ServerError::api(Code::RoleSelfChange));
    }
    if !matches!(change.role, Role::Verifikator | Role::Approver | Role::Admin) {
        return Err(field_error(Code::RoleNotAssignable, "role"));
    }
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, nip).await?;
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
        auth::notify_account_change(&mut tx, &user.nip, AccountEvent::RolesChanged, None).await?;
    }
    let out = info(&mut tx, &user.nip).await?;
    tx.commit().await?;
    Ok(out)
}

/// `POST accounts/{nip}/email`: re-link the account's e-mail (the profile's owner field; synced).
pub async fn change_email(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    nip: &str,
    email: &str,
) -> Result<AccountInfo, ServerError> {
    require_admin(admin)?;
    let email = email.trim();
    let check = OwnerFields { alamat: None, no_hp: None, email: Some(email.to_owned()), ..Default::default() };
    if !check.validate().is_empty() {
        return Err(field_error(Code::OwnerEmailFormat, "email"));
    }
    let mut tx = db::begin_write(pool, after).await?;
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
