//! Sync: pull (the change feed). The device's mutations (push) are [`crate::push`]'s.

mod feed_cache;

use std::collections::HashMap;
use std::time::Instant;

use mysapk_model::sync::{Change, PullResponse};
use mysapk_model::Code;
use sqlx::{AnyConnection, AnyPool};

use crate::assessments;
use crate::auth::AuthUser;
use crate::db::{self, records, usulan as usulan_db, LogKey};
use crate::db::{
    ENTITY_ASSESSMENT, ENTITY_CATALOG, ENTITY_HISTORY, ENTITY_NOTIFICATION, ENTITY_PROFILE, ENTITY_REVIEW,
    ENTITY_USULAN,
};
use crate::error::ServerError;
use crate::review;

pub use feed_cache::{FeedCache, FEED_CACHE_TTL};

pub const DEFAULT_PULL_LIMIT: i64 = 500;
pub const MAX_PULL_LIMIT: i64 = 2000;

/// Parse an opaque cursor (empty or absent: from the beginning).
pub fn parse_cursor(cursor: Option<&str>) -> Result<i64, ServerError> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => c.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| ServerError::api(Code::SyncInvalidCursor)),
    }
}

/// The user's changes after `cursor`: the newest state of each changed entity, in version order.
///
/// One indexed range read of the change log, then one query per entity type present in the page (not one per
/// entity); a no-change pull is the range read alone.
/// A reviewer also reads their agency's review entries (a second indexed range read of the same index).
///
/// A pull the [`FeedCache`] knows to be empty (see [`FeedCache`]) answers without the database.
pub async fn pull(
    pool: &AnyPool,
    feed: &FeedCache,
    user: &AuthUser,
    cursor: i64,
    limit: i64,
) -> Result<PullResponse, ServerError> {
    let limit = limit.clamp(1, MAX_PULL_LIMIT);
    let scope = review::is_reviewer(&user.roles).then(|| db::agency_scope(&user.instansi_id));
    let keys: Vec<LogKey> = [Some(user.nip.clone()), None].into_iter().chain(scope.clone().map(Some)).collect();
    let empty = || PullResponse { cursor: cursor.to_string(), has_more: false, changes: Vec::new(), card: None };
    if cursor > 0 && feed.is_quiet(&keys, cursor) {
        return Ok(empty());
    }
    let started = Instant::now();
    let mut conn = pool.acquire().await?;
    let mut entries = db::read_changes(&mut conn, &user.nip, scope.as_deref(), cursor, limit + 1).await?;
    if entries.is_empty() {
        feed.record_quiet(&keys, cursor, started);
        return Ok(empty());
    }
    let has_more = entries.len() as i64 > limit;
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = entries.last().map_or(cursor, |e| e.version);
    let mut states = current_states(&mut conn, user, cursor == 0, &entries).await?;
    // The log is deduplicated per entity, so each state is taken at most once.
    let changes = entries
        .iter()
        .filter_map(|e| states.get_mut(e.entity.as_str()).and_then(|by_id| by_id.remove(e.entity_id.as_str())))
        .collect();
    Ok(PullResponse { cursor: next.to_string(), has_more, changes, card: None })
}

/// The current state (or tombstone) of every entity in `entries` that still belongs to `nip`, by entity type
/// and id; one query per entity type.
async fn current_states(
    conn: &mut AnyConnection,
    user: &AuthUser,
    first: bool,
    entries: &[db::LogEntry],
) -> Result<HashMap<&'static str, HashMap<String, Change>>, ServerError> {
    let nip = user.nip.as_str();
    let mut ids: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in entries {
        ids.entry(e.entity.as_str()).or_default().push(e.entity_id.as_str());
    }
    let mut out: HashMap<&'static str, HashMap<String, Change>> = HashMap::new();
    for (entity, ids) in &ids {
        let (entity, states): (&'static str, HashMap<String, Change>) = match *entity {
            ENTITY_PROFILE => (
                ENTITY_PROFILE,
                records::get_profiles(conn, ids)
                    .await?
                    .into_iter()
                    .map(|profile| (profile.nip.as_str().to_owned(), Change::Profile { profile }))
                    .collect(),
            ),
            ENTITY_HISTORY => (
                ENTITY_HISTORY,
                records::get_histories(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|h| {
                        let change = if h.deleted {
                            Change::HistoryDeleted { id: h.record.id.clone(), kind: h.kind }
                        } else {
                            Change::History { record: h.record.clone() }
                        };
                        (h.record.id, change)
                    })
                    .collect(),
            ),
            ENTITY_USULAN => (
                ENTITY_USULAN,
                usulan_db::get_many(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|usulan| (usulan.id.clone(), Change::Usulan { usulan }))
                    .collect(),
            ),
            ENTITY_NOTIFICATION => (
                ENTITY_NOTIFICATION,
                usulan_db::get_notifications(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|notification| (notification.id.clone(), Change::Notification { notification }))
                    .collect(),
            ),
            ENTITY_CATALOG => (
                ENTITY_CATALOG,
                records::get_catalogs(conn, ids)
                    .await?
                    .into_iter()
                    .map(|catalog| (catalog.name.clone(), Change::Catalog { catalog }))
                    .collect(),
            ),
            ENTITY_REVIEW => (ENTITY_REVIEW, review::feed_changes(conn, user, ids, first).await?),
            ENTITY_ASSESSMENT => (
                ENTITY_ASSESSMENT,
                assessments::get_many(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|assessment| (assessment.id.clone(), Change::Assessment { assessment }))
                    .collect(),
            ),
            other => {
                tracing::warn!(entity = other, "unknown entity in change log");
                continue;
            }
        };
        out.insert(entity, states);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors() {
        assert_eq!(parse_cursor(None).ok(), Some(0));
        assert_eq!(parse_cursor(Some("")).ok(), Some(0));
        assert_eq!(parse_cursor(Some("42")).ok(), Some(42));
        assert!(parse_cursor(Some("-1")).is_err());
        assert!(parse_cursor(Some("abc")).is_err());
    }
}
