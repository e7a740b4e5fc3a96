//! Storage: one implementation on sqlx's `Any` driver, with SQL that runs on SQLite and PostgreSQL alike.
//!
//! Every write transaction starts with [`begin_write`], which touches the change-log counter row first: on
//! PostgreSQL that row lock orders commits, on SQLite it takes the write lock up front (so the busy timeout
//! applies instead of a late lock-upgrade failure).

pub mod accounts;
pub mod devices;
pub mod documents;
pub mod failover;
pub mod mfa;
pub mod records;
pub mod sessions;
pub mod siasn_import;
pub mod siasn_outbox;
pub mod siasn_reference;
pub mod throttle;
pub mod usulan;
mod write;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions};

use crate::error::ServerError;

pub use write::{begin_write, AfterCommit, Committed, LogKey, NoHook, WriteTx};

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// How long a request waits for a pooled connection before it is answered 503 `server.busy` (well inside the
/// client's 30 s timeout; see [`crate::admission`]).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connect to `database_url` (creating a SQLite file and its directory if missing) and run the migrations.
pub async fn connect(database_url: &str) -> Result<AnyPool, ServerError> {
    sqlx::any::install_default_drivers();
    let url = prepare_url(database_url)?;
    let sqlite = url.starts_with("sqlite:");
    // An in-memory SQLite database lives in one connection: keep exactly that one forever.
    let memory = sqlite && url.contains(":memory:");
    let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
    let pool = AnyPoolOptions::new()
        .max_connections(if memory {
            1
        } else if sqlite {
            4
        } else {
            16
        })
        .min_connections(u32::from(memory))
        .idle_timeout(if memory { None } else { Some(Duration::from_secs(600)) })
        .max_lifetime(if memory { None } else { Some(Duration::from_secs(1800)) })
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // After a failover (PostgreSQL only) a connection opened before it is closed, not handed out.
        .before_acquire(move |_conn, meta| Box::pin(async move { Ok(sqlite || failover::fresh(meta.age)) }))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if sqlite {
                    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                } else {
                    // Every query here is a short indexed read or write. On a large database the planner's cost
                    // estimates pass `jit_above_cost` and PostgreSQL spends ~60 ms compiling a 2 ms query
                    // (measured by P8 on 1,000,000 ASN), so no JIT.
                    sqlx::query("SET jit = off").execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Run the pending migrations (the only migration runner).
pub async fn migrate(pool: &AnyPool) -> Result<(), ServerError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// Whether the database answers a trivial query (the readiness check).
pub async fn ping(pool: &AnyPool) -> Result<(), ServerError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

/// Whether the applied migrations are exactly the embedded ones, none half-applied (the readiness check): a
/// database one migration behind this binary, or one migrated by a newer binary, is not this node's to serve.
pub async fn migrations_current(pool: &AnyPool) -> Result<bool, ServerError> {
    use sqlx::migrate::Migrate;
    let mut conn = pool.acquire().await?;
    if conn.dirty_version().await?.is_some() {
        return Ok(false);
    }
    let applied: Vec<i64> = conn.list_applied_migrations().await?.into_iter().map(|m| m.version).collect();
    let embedded: Vec<i64> =
        MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).map(|m| m.version).collect();
    Ok(applied == embedded)
}

/// For SQLite: create the parent directory and ask the driver to create the file (`mode=rwc`).
fn prepare_url(database_url: &str) -> Result<String, ServerError> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            return Ok(database_url.to_owned());
        }
        return Err(ServerError::Config("DATABASE_URL must start with sqlite:// or postgres://".into()));
    };
    let path_part = rest.trim_start_matches("//");
    let (path, query) = match path_part.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_part, None),
    };
    if path == ":memory:" {
        return Ok("sqlite::memory:".to_owned());
    }
    if !path.is_empty() {
        if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    Ok(match query {
        Some(q) if q.contains("mode=") => database_url.to_owned(),
        Some(q) => format!("sqlite://{path}?{q}&mode=rwc"),
        None => format!("sqlite://{path}?mode=rwc"),
    })
}

/// Change-log entity names (`change_log.entity`).
pub const ENTITY_PROFILE: &str = "profile";
pub const ENTITY_HISTORY: &str = "history";
pub const ENTITY_USULAN: &str = "usulan";
pub const ENTITY_NOTIFICATION: &str = "notification";
pub const ENTITY_CATALOG: &str = "catalog";
pub const ENTITY_REVIEW: &str = "review";
pub const ENTITY_ASSESSMENT: &str = "assessment";

/// Append one entry to the change log in `tx`; `nip` `None` means everyone (catalogs).
pub async fn log_change(
    tx: &mut WriteTx<'_>,
    nip: Option<&str>,
    entity: &str,
    entity_id: &str,
) -> Result<i64, ServerError> {
    let version = append_change(tx, nip, entity, entity_id).await?;
    tx.logged(nip, version);
    Ok(version)
}

/// Append many entries `(nip, entity, entity_id)` to the change log in `tx` (see [`append_changes`]).
pub async fn log_changes(tx: &mut WriteTx<'_>, entries: &[(String, &str, String)]) -> Result<(), ServerError> {
    for (key, version) in append_changes(tx, entries).await? {
        tx.logged(key.as_deref(), version);
    }
    Ok(())
}

/// Append one entry to the change log on any connection (a savepoint's, a bulk seed's); returns its version.
/// The caller tells [`WriteTx::note_logged`] about it, or nobody needs to know.
pub async fn append_change(
    conn: &mut AnyConnection,
    nip: Option<&str>,
    entity: &str,
    entity_id: &str,
) -> Result<i64, ServerError> {
    let version: i64 =
        sqlx::query_scalar("UPDATE counter SET value = value + 1 WHERE name = 'change_log' RETURNING value")
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("INSERT INTO change_log (version, nip, entity, entity_id) VALUES ($1, $2, $3, $4)")
        .bind(version)
        .bind(nip.map(str::to_owned))
        .bind(entity)
        .bind(entity_id)
        .execute(&mut *conn)
        .await?;
    Ok(version)
}

/// One change-log entry after deduplication: the newest version of an entity.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub version: i64,
    pub entity: String,
    pub entity_id: String,
}

/// The change-log `nip` under which agency-scoped entries are written (read by the agency's reviewers).
pub fn agency_scope(instansi_id: &str) -> String {
    format!("@instansi:{instansi_id}")
}

/// The newest entry per entity after `cursor` for `nip` (and everyone, and the agency scope `scope` when given),
/// in version order; at most `limit`. Each disjunct is an indexed range read of `(nip, version)`.
pub async fn read_changes(
    conn: &mut AnyConnection,
    nip: &str,
    scope: Option<&str>,
    cursor: i64,
    limit: i64,
) -> Result<Vec<LogEntry>, ServerError> {
    let sql = if scope.is_some() {
        "SELECT MAX(version) AS v, entity, entity_id FROM change_log \
         WHERE (nip = $1 OR nip IS NULL OR nip = $4) AND version > $2 \
         GROUP BY entity, entity_id ORDER BY v LIMIT $3"
    } else {
        "SELECT MAX(version) AS v, entity, entity_id FROM change_log \
         WHERE (nip = $1 OR nip IS NULL) AND version > $2 \
         GROUP BY entity, entity_id ORDER BY v LIMIT $3"
    };
    let mut q = sqlx::query_as::<_, (i64, String, String)>(sql).bind(nip).bind(cursor).bind(limit);
    if let Some(scope) = scope {
        q = q.bind(scope.to_owned());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(version, entity, entity_id)| LogEntry { version, entity, entity_id }).collect())
}

/// Append many entries `(nip, entity, entity_id)` at once (one counter update and multi-row inserts) on any
/// connection; returns each entry's key and version.
pub async fn append_changes(
    conn: &mut AnyConnection,
    entries: &[(String, &str, String)],
) -> Result<Vec<(LogKey, i64)>, ServerError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let n = i64::try_from(entries.len()).map_err(|_| ServerError::internal("too many log entries"))?;
    let last: i64 =
        sqlx::query_scalar("UPDATE counter SET value = value + $1 WHERE name = 'change_log' RETURNING value")
            .bind(n)
            .fetch_one(&mut *conn)
            .await?;
    let mut version = last - n;
    let logged = entries.iter().zip(version + 1..).map(|((nip, _, _), v)| (Some(nip.clone()), v)).collect();
    for chunk in entries.chunks(IN_CHUNK) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 4 + 1, 4))).collect();
        let sql = format!("INSERT INTO change_log (version, nip, entity, entity_id) VALUES {}", rows.join(", "));
        let mut q = sqlx::query(&sql);
        for (nip, entity, id) in chunk {
            version += 1;
            q = q.bind(version).bind(nip.clone()).bind(*entity).bind(id.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(logged)
}

/// At most this many ids go into one `IN (…)` list (SQLite's default limit on bound values is 32766).
pub const IN_CHUNK: usize = 500;

/// `$from, $from+1, …` for `n` bound values. sqlx's `QueryBuilder` cannot be used here: for the `Any` driver it
/// writes `?` placeholders, which PostgreSQL rejects; `$N` works on both backends.
pub fn placeholders(from: usize, n: usize) -> String {
    let mut s = String::with_capacity(n * 5);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('$');
        s.push_str(&(from + i).to_string());
    }
    s
}

/// One audit entry to append.
#[derive(Debug, Clone, Default)]
pub struct Audit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// The NIP whose record or account the entry concerns.
    pub subject: Option<&'a str>,
    /// The agency the entry belongs to; `None`: the subject's agency.
    pub instansi: Option<&'a str>,
    pub device: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub details: serde_json::Value,
}

const AUDIT_COLUMNS: &str =
    "id, at, actor_nip, action, entity, entity_id, details, device_id, subject_nip, instansi_id, reason";

/// Append one row to the audit log (append-only; nothing updates or deletes it), in the caller's transaction.
pub async fn audit(conn: &mut AnyConnection, a: Audit<'_>) -> Result<(), ServerError> {
    let instansi: Option<String> = match (a.instansi, a.subject) {
        (Some(i), _) => Some(i.to_owned()),
        (None, Some(s)) => {
            sqlx::query_scalar("SELECT instansi_id FROM users WHERE nip = $1")
                .bind(s)
                .fetch_optional(&mut *conn)
                .await?
        }
        (None, None) => None,
    };
    sqlx::query(&format!("INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ({})", placeholders(1, 11)))
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(now_text())
        .bind(a.actor)
        .bind(a.action)
        .bind(a.entity)
        .bind(a.entity_id)
        .bind(a.details.to_string())
        .bind(a.device.map(str::to_owned))
        .bind(a.subject.map(str::to_owned))
        .bind(instansi)
        .bind(a.reason.map(str::to_owned))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Append many audit rows at once (multi-row inserts); each must name its agency.
pub async fn audit_many(conn: &mut AnyConnection, rows: &[Audit<'_>]) -> Result<(), ServerError> {
    let at = now_text();
    for chunk in rows.chunks(IN_CHUNK) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 11 + 1, 11))).collect();
        let sql = format!("INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(at.clone())
                .bind(a.actor.to_owned())
                .bind(a.action.to_owned())
                .bind(a.entity.to_owned())
                .bind(a.entity_id.to_owned())
                .bind(a.details.to_string())
                .bind(a.device.map(str::to_owned))
                .bind(a.subject.map(str::to_owned))
                .bind(a.instansi.map(str::to_owned))
                .bind(a.reason.map(str::to_owned));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Read audit entries, newest first: those whose subject is `subject`, or those of agency `instansi`;
/// `before` (an entry's `at`) pages backwards.
pub async fn read_audit(
    conn: &mut AnyConnection,
    subject: Option<&str>,
    instansi: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<mysapk_model::admin::AuditEntry>, ServerError> {
    let (column, value) = match (subject, instansi) {
        (Some(s), _) => ("subject_nip", s),
        (None, Some(i)) => ("instansi_id", i),
        (None, None) => return Ok(Vec::new()),
    };
    let before = before.map(str::to_owned).unwrap_or_else(|| "9999".to_owned());
    let sql = format!(
        "SELECT id, at, actor_nip, device_id, action, entity, entity_id, subject_nip, details, reason \
         FROM audit_log WHERE {column} = $1 AND at < $2 ORDER BY at DESC, id DESC LIMIT $3"
    );
    type Raw = (String, String, String, Option<String>, String, String, String, Option<String>, String, Option<String>);
    let rows: Vec<Raw> = sqlx::query_as(&sql).bind(value).bind(before).bind(limit).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(id, at, actor_nip, device_id, action, entity, entity_id, subject_nip, details, reason)| {
            let at = chrono::DateTime::parse_from_rfc3339(&at)
                .map_err(|e| ServerError::internal(format!("stored audit time: {e}")))?
                .with_timezone(&chrono::Utc);
            Ok(mysapk_model::admin::AuditEntry {
                id,
                at,
                actor_nip,
                device_id,
                action,
                entity,
                entity_id,
                subject_nip,
                details: serde_json::from_str(&details)?,
                reason,
            })
        })
        .collect()
}

/// The current time as RFC 3339 text (the storage form of timestamps).
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_memory_sqlite_keeps_one_database() {
        let pool = connect("sqlite::memory:").await.expect("connect");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM counter").fetch_one(&pool).await.expect("migrated");
        assert_eq!(n, 1);
        pool.close().await;
    }

    #[test]
    fn placeholder_lists() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 1), "$1");
        assert_eq!(placeholders(1, 0), "");
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(prepare_url("sqlite://:memory:").ok().as_deref(), Some("sqlite::memory:"));
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/sub/x.sqlite", dir.path().display());
        let got = prepare_url(&url).expect("prepared");
        assert!(got.ends_with("/sub/x.sqlite?mode=rwc"));
        assert!(dir.path().join("sub").is_dir());
        assert!(prepare_url("mysql://x").is_err());
        assert!(prepare_url("sqlite::memory:").is_ok());
        assert_eq!(prepare_url("postgres://a@b/c").ok().as_deref(), Some("postgres://a@b/c"));
    }
}
