//! The beranda, built from the local database only: the official mirror with the local overlay beside it, and
//! each category's completeness.

use chrono::{NaiveDate, Utc};
use mysapk_model::auth::UserInfo;
use mysapk_model::history::{HistoryKind, HistoryRecord};
use mysapk_model::rules::completeness::{category_progress, overall, skp_years, CategoryInput, CategoryProgress};
use mysapk_model::usulan::{UsulanAction, UsulanState};
use mysapk_model::view::{Beranda, HistoryItem, HistoryList, LocalUsulan};
use rusqlite::Connection;

use crate::error::CoreError;
use crate::store::{catalogs, confirmations, notifications, records, review, usulan};

/// A proposal of this kind waits on the network or a reviewer.
fn is_pending(state: UsulanState) -> bool {
    matches!(state, UsulanState::Queued | UsulanState::Submitted | UsulanState::Verified)
}

/// Each category's progress: official records, pending and returned proposals of the kind, confirmations
/// (pulled, or made here and not yet pulled back), and the SKP years on record.
pub(crate) fn progress(
    official: &[(HistoryKind, Vec<HistoryRecord>)],
    all: &[LocalUsulan],
    confirmed: &[HistoryKind],
    today: NaiveDate,
) -> Vec<CategoryProgress> {
    let years = skp_years(
        official
            .iter()
            .filter(|(k, _)| matches!(k, HistoryKind::Skp | HistoryKind::SkpLama))
            .flat_map(|(_, records)| records.iter().map(|r| &r.data)),
    );
    official
        .iter()
        .map(|(kind, records)| {
            let of_kind = || all.iter().filter(|u| u.action.history_kind() == Some(*kind));
            let input = CategoryInput {
                kind: *kind,
                official: records.iter().map(|r| &r.data).collect(),
                pending: of_kind().filter(|u| is_pending(u.state)).count() as u32,
                returned: of_kind().filter(|u| u.state == UsulanState::Returned).count() as u32,
                confirmed: confirmed.contains(kind),
                skp_years: years.clone(),
            };
            category_progress(&input, today)
        })
        .collect()
}

/// The official records of every kind, in [`HistoryKind::ALL`] order (empty kinds too).
pub(crate) fn official(conn: &Connection) -> Result<Vec<(HistoryKind, Vec<HistoryRecord>)>, CoreError> {
    HistoryKind::ALL.into_iter().map(|kind| Ok((kind, records::history_of(conn, kind)?))).collect()
}

/// Confirmed categories: those of the pulled profile and those confirmed here since.
pub(crate) fn confirmed_kinds(conn: &Connection) -> Result<Vec<HistoryKind>, CoreError> {
    let mut kinds = records::profile(conn)?.map(|p| p.confirmed_kinds).unwrap_or_default();
    kinds.extend(confirmations::all(conn)?);
    Ok(kinds)
}

pub(crate) fn beranda(conn: &Connection, user: &UserInfo) -> Result<Beranda, CoreError> {
    let all = usulan::all(conn)?;
    let overlays: Vec<_> = all.iter().filter(|u| u.is_overlay()).map(|u| u.usulan.clone()).collect();
    let official = official(conn)?;
    let locals: Vec<LocalUsulan> = all.iter().map(|u| u.usulan.clone()).collect();
    let progress = progress(&official, &locals, &confirmed_kinds(conn)?, Utc::now().date_naive());
    let (complete_categories, total_categories) = overall(&progress);

    let mut histories = Vec::new();
    for ((kind, records), progress) in official.into_iter().zip(progress) {
        let items = records
            .into_iter()
            .map(|record| {
                let pending = overlays
                    .iter()
                    .filter(|u| match &u.action {
                        UsulanAction::ChangeHistory { record_id, .. }
                        | UsulanAction::DeleteHistory { record_id, .. } => *record_id == record.id,
                        _ => false,
                    })
                    .cloned()
                    .collect();
                HistoryItem { record, pending }
            })
            .collect();
        let pending_additions = overlays
            .iter()
            .filter(|u| matches!(&u.action, UsulanAction::AddHistory { data } if data.kind() == kind))
            .cloned()
            .collect();
        histories.push(HistoryList { kind, items, pending_additions, progress });
    }

    let pending_owner =
        overlays.iter().filter(|u| matches!(u.action, UsulanAction::ChangeOwnerFields { .. })).cloned().collect();
    let pending_verified =
        overlays.iter().filter(|u| matches!(u.action, UsulanAction::ChangeVerifiedFields { .. })).cloned().collect();

    Ok(Beranda {
        user: user.clone(),
        profile: records::profile(conn)?,
        pending_owner,
        pending_verified,
        complete_categories,
        total_categories,
        histories,
        usulan: locals,
        unread_notifications: notifications::unread_count(conn)?,
        catalogs: catalogs::all(conn)?,
        review_waiting: review::waiting_count(conn)?,
    })
}
