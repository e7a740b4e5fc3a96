//! The beranda, built from the local database only: the official mirror with the local overlay beside it.

use mysapk_model::auth::UserInfo;
use mysapk_model::record::HistoryKind;
use mysapk_model::usulan::UsulanAction;
use mysapk_model::view::{Beranda, HistoryItem, HistoryList};
use rusqlite::Connection;

use crate::error::CoreError;
use crate::store::{catalogs, notifications, records, review, usulan};

pub(crate) fn beranda(conn: &Connection, user: &UserInfo) -> Result<Beranda, CoreError> {
    let all = usulan::all(conn)?;
    let overlays: Vec<_> = all.iter().filter(|u| u.is_overlay()).map(|u| u.usulan.clone()).collect();

    let mut histories = Vec::new();
    for kind in HistoryKind::ALL {
        let items = records::history_of(conn, kind)?
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
        histories.push(HistoryList { kind, items, pending_additions });
    }

    let pending_owner =
        overlays.iter().filter(|u| matches!(u.action, UsulanAction::ChangeOwnerFields { .. })).cloned().collect();

    Ok(Beranda {
        user: user.clone(),
        profile: records::profile(conn)?,
        pending_owner,
        histories,
        usulan: all.into_iter().map(|u| u.usulan).collect(),
        unread_notifications: notifications::unread_count(conn)?,
        catalogs: catalogs::all(conn)?,
        review_waiting: review::waiting_count(conn)?,
    })
}
