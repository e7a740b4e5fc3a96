//! The reference ids of an approved position, filled in before it is sent to SIASN. A person proposes a position
//! and its unit by name; SIASN's `/jabatan/save` takes `unorId` and, for fungsional and pelaksana positions,
//! `jabatanFungsionalId`/`jabatanFungsionalUmumId`.
//!
//! - **Unit**: the ASN's own unit when the name is theirs (`Profile::unor_id`), else a unit of the same name on
//!   one of their positions that SIASN named, else one of their agency's units that an import has seen
//!   (`siasn_reference`, kind `unor`).
//! - **Position**: its name in the reference table of its jenis jabatan (`siasn_reference`, loaded by
//!   `import-reference` and the seed from `jabatanFungsional.json` / `jabatanPelaksana.json.gz`).
//!
//! An id the record already has is kept while it still names what the record says ([`fill_position`]).
//! What is not found stays empty, and forwarding says so (`not_forwardable`: `unknown_unit`, `unknown_position`):
//! sending a guessed id would put a wrong position into the national record.

use mysapk_model::history::{HistoryData, HistoryRecord, Jabatan};
use mysapk_model::record::Profile;
use mysapk_model::siasn::reference::{name_key, ReferenceKind};
use sqlx::AnyConnection;

use crate::db::siasn_reference::{self, Named};
use crate::error::ServerError;

/// Settle the reference ids of a position; `true` when one changed. `own`: the person's other records (not the
/// one this change rewrites, which already carries the new names beside the old ids).
///
/// An id is kept while it still names what the record says: a name found in the reference gives its id; a name
/// not found keeps the record's id unless the reference knows that id under another name (the name was edited,
/// so the id is the old position's or unit's and is dropped); an id the reference does not know at all (SIASN's
/// own, newer than the tables) is kept.
pub async fn fill_position(
    conn: &mut AnyConnection,
    profile: Option<&Profile>,
    own: &[HistoryRecord],
    instansi_id: &str,
    j: &mut Jabatan,
) -> Result<bool, ServerError> {
    let before = (j.unor_id.clone(), j.jabatan_id.clone());
    let by_name = match known_unit(profile, own, &j.unor_nama) {
        Some(id) => Some(id),
        None => siasn_reference::find(conn, ReferenceKind::Unor, instansi_id, &j.unor_nama).await?,
    };
    j.unor_id = match (by_name, non_blank(&j.unor_id)) {
        (Some(id), _) => Some(id),
        (None, Some(id)) => {
            let named = match unit_name(profile, own, &id) {
                Some(n) => Some(n),
                None => siasn_reference::name_of(conn, ReferenceKind::Unor, instansi_id, &id).await?,
            };
            named.is_none().then_some(id)
        }
        (None, None) => None,
    };
    j.jabatan_id = match ReferenceKind::of_jenis_jabatan(&j.jenis_jabatan_id) {
        None => j.jabatan_id.take(),
        Some(kind) => match (siasn_reference::find(conn, kind, "", &j.jabatan_nama).await?, non_blank(&j.jabatan_id)) {
            (Some(id), _) => Some(id),
            (None, Some(id)) => siasn_reference::name_of(conn, kind, "", &id).await?.is_none().then_some(id),
            (None, None) => None,
        },
    };
    Ok((j.unor_id.clone(), j.jabatan_id.clone()) != before)
}

/// Remember the units SIASN named in a person's record, for the positions their colleagues propose.
pub async fn remember_units(
    conn: &mut AnyConnection,
    profile: &Profile,
    records: &[&HistoryData],
) -> Result<(), ServerError> {
    let positions = records.iter().filter_map(|d| match d {
        HistoryData::Jabatan(j) => Some((j.unor_id.as_deref(), j.unor_nama.as_str())),
        _ => None,
    });
    let units: Vec<Named> = std::iter::once((profile.unor_id.as_deref(), profile.unor_nama.as_str()))
        .chain(positions)
        .filter_map(|(id, nama)| {
            let id = id.filter(|id| !id.is_empty() && !nama.trim().is_empty())?;
            Some(Named { id: id.to_owned(), nama: nama.to_owned() })
        })
        .collect();
    for unit in &units {
        siasn_reference::put_unit(conn, &profile.instansi_id, unit).await?;
    }
    Ok(())
}

fn non_blank(id: &Option<String>) -> Option<String> {
    id.clone().filter(|s| !s.trim().is_empty())
}

/// The id of unit `nama` in the person's own record: their current unit, else one of their positions'.
fn known_unit(profile: Option<&Profile>, own: &[HistoryRecord], nama: &str) -> Option<String> {
    let key = name_key(nama);
    let current = profile.filter(|p| name_key(&p.unor_nama) == key).and_then(|p| p.unor_id.clone());
    current.filter(|id| !id.is_empty()).or_else(|| {
        own.iter().find_map(|r| match &r.data {
            HistoryData::Jabatan(j) if name_key(&j.unor_nama) == key => j.unor_id.clone().filter(|id| !id.is_empty()),
            _ => None,
        })
    })
}

/// The name of unit `id` in the person's own record.
fn unit_name(profile: Option<&Profile>, own: &[HistoryRecord], id: &str) -> Option<String> {
    let current = profile.filter(|p| p.unor_id.as_deref() == Some(id)).map(|p| p.unor_nama.clone());
    current.or_else(|| {
        own.iter().find_map(|r| match &r.data {
            HistoryData::Jabatan(j) if j.unor_id.as_deref() == Some(id) => Some(j.unor_nama.clone()),
            _ => None,
        })
    })
}
