//! `mysapk-server admin …`: agency administration on the database directly, audited with the given admin as actor.

use std::path::PathBuf;

use clap::Subcommand;
use mysapk_server::db::NoHook;
use mysapk_server::ServerError;

use crate::progress::progress_bar;

#[derive(Subcommand)]
pub enum AdminCmd {
    /// List or search the agency's accounts.
    List {
        #[arg(long)]
        q: Option<String>,
    },
    /// Create one account (no password until activated with a reset code).
    Create {
        #[arg(long)]
        nip: String,
        #[arg(long)]
        nama: String,
        /// YYYY-MM-DD
        #[arg(long)]
        tanggal_lahir: chrono::NaiveDate,
        #[arg(long)]
        tempat_lahir: String,
        #[arg(long)]
        unor: String,
        #[arg(long)]
        email: Option<String>,
        /// verifikator, approver, admin (repeatable)
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// Import accounts from a CSV file (`.json`: a JSON array).
    Import {
        file: PathBuf,
    },
    /// Grant a role (verifikator, approver, admin).
    Grant {
        nip: String,
        role: String,
    },
    /// Revoke a role.
    Revoke {
        nip: String,
        role: String,
    },
    /// Re-link the account's e-mail.
    Email {
        nip: String,
        email: String,
    },
    /// Lock an account; the reason is shown at login.
    Lock {
        nip: String,
        #[arg(long)]
        reason: String,
    },
    Unlock {
        nip: String,
    },
    /// Issue a one-time reset/activation code (24 h).
    ResetCode {
        nip: String,
    },
    /// Send an announcement to the agency (or one work unit).
    Announce {
        #[arg(long)]
        title: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        unor: Option<String>,
        /// Only ASN whose current golongan id starts with this (`3`: golongan III, `34`: III/d).
        #[arg(long)]
        golongan_prefix: Option<String>,
        /// Only ASN whose current position is of this jenis jabatan (1 struktural, 2 fungsional, 4 pelaksana).
        #[arg(long)]
        jenis_jabatan_id: Option<String>,
    },
    /// The agency's audit log, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

fn print_json(v: &impl serde::Serialize) -> Result<(), ServerError> {
    println!("{}", serde_json::to_string_pretty(v).map_err(|e| ServerError::internal(e.to_string()))?);
    Ok(())
}

fn role(name: &str) -> Result<mysapk_model::usulan::Role, ServerError> {
    mysapk_model::usulan::Role::parse(&name.trim().to_lowercase())
        .ok_or_else(|| ServerError::Config(format!("unknown role `{name}` (verifikator, approver, admin)")))
}

pub async fn run(database_url: &str, actor: &str, cmd: AdminCmd) -> Result<(), ServerError> {
    use mysapk_model::admin::{AnnouncementRequest, NewAccount, RoleChange};
    use mysapk_server::admin;
    let pool = mysapk_server::db::connect(database_url).await?;
    let result = async {
        let me = admin::actor(&pool, actor).await?;
        match cmd {
            AdminCmd::List { q } => print_json(&admin::list_accounts(&pool, &me, q.as_deref()).await?),
            AdminCmd::Create { nip, nama, tanggal_lahir, tempat_lahir, unor, email, roles } => {
                let roles = roles.iter().map(|r| role(r)).collect::<Result<Vec<_>, _>>()?;
                let a = NewAccount { nip, nama, tanggal_lahir, tempat_lahir, email, unor_nama: unor, roles };
                print_json(&admin::create_account(&pool, &NoHook, &me, &a).await?)
            }
            AdminCmd::Import { file } => {
                let text = std::fs::read_to_string(&file)?;
                let input = if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
                    admin::ImportInput::Json(
                        serde_json::from_str(&text)
                            .map_err(|e| ServerError::Config(format!("{}: {e}", file.display())))?,
                    )
                } else {
                    admin::ImportInput::Csv(text)
                };
                let (bar, progress) = progress_bar("{bar:40} {pos}/{len} rows {elapsed}");
                let report = admin::import_accounts(&pool, &NoHook, &me, input, &progress).await?;
                bar.finish_and_clear();
                for e in &report.errors {
                    eprintln!(
                        "line {}: {} {} ({}): {}",
                        e.line,
                        e.nip.as_deref().unwrap_or("-"),
                        e.code,
                        e.field.as_deref().unwrap_or("-"),
                        e.message
                    );
                }
                println!("imported {} account(s), {} row(s) refused", report.imported, report.errors.len());
                Ok(())
            }
            AdminCmd::Grant { nip, role: r } => print_json(
                &admin::change_role(&pool, &NoHook, &me, &nip, &RoleChange { role: role(&r)?, grant: true }).await?,
            ),
            AdminCmd::Revoke { nip, role: r } => print_json(
                &admin::change_role(&pool, &NoHook, &me, &nip, &RoleChange { role: role(&r)?, grant: false }).await?,
            ),
            AdminCmd::Email { nip, email } => {
                print_json(&admin::change_email(&pool, &NoHook, &me, &nip, &email).await?)
            }
            AdminCmd::Lock { nip, reason } => print_json(&admin::lock(&pool, &NoHook, &me, &nip, &reason).await?),
            AdminCmd::Unlock { nip } => print_json(&admin::unlock(&pool, &NoHook, &me, &nip).await?),
            AdminCmd::ResetCode { nip } => print_json(&admin::reset_code(&pool, &NoHook, &me, &nip).await?),
            AdminCmd::Announce { title, body, unor, golongan_prefix, jenis_jabatan_id } => {
                let req = AnnouncementRequest { title, body, unor_nama: unor, golongan_prefix, jenis_jabatan_id };
                print_json(&admin::announce(&pool, &NoHook, &me, &req).await?)
            }
            AdminCmd::Audit { limit } => print_json(&admin::agency_audit(&pool, &me, Some(limit), None).await?),
        }
    }
    .await;
    pool.close().await;
    result
}
