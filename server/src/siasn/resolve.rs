//! The reference ids of an approved position, filled in before it is sent to SIASN. A person proposes a position
//! and its unit by name; SIASN's `/jabatan/save` takes `unorId` and, for fungsional and pelaksana positions,
//! `jabatanFungsionalId`/`jabatanFungsionalUmumId`. Ids already on the record (imported from SIASN) stay.
//!
//! - **Unit**: the ASN's own unit when the name is theirs (`Profile::unor_id`), else a unit of the same name on
//!   one of their positions that SIASN named, else one of their agency's units that an import has seen
//!   (`siasn_reference`, kind `unor`).
//! - **Position**: its name in the reference table of its jenis jabatan (`siasn_reference`, loaded by
//!   `import-reference` and the seed from `jabatanFungsional.json` / `jabatanPelaksana.json.gz`).
//!
//! What is not found stays empty, and forwarding says so (`not_forwardable`: `unknown_unit`, `unknown_position`):
//! sending a guessed id would put a wrong position into the national record.

use mysapk_model::history::{HistoryData, HistoryRecord, Jabatan};
use mysapk_model::record::Profile;
use mysapk_model::siasn::reference::{name_key, ReferenceKind};
use sqlx::AnyConnection;

use crate::db::siasn_reference::{self, Named};
use crate::error::ServerError;

/// Fill the missing reference ids of a position; `true` when one was filled.
pub async fn fill_position(
    conn: &mut AnyConnection,
    profile: Option<&Profile>,
    own: &[HistoryRecord],
    instansi_id: &str,
    j: &mut Jabatan,
) -> Result<bool, ServerError> {
    let mut filled = false;
    if is_blank(&j.unor_id) {
        if let Some(id) = known_unit(profile, own, &j.unor_nama) {
            j.unor_id = Some(id);
        } else {
            j.unor_id = siasn_reference::find(conn, ReferenceKind::Unor, instansi_id, &j.unor_nama).await?;
        }
        filled |= !is_blank(&j.unor_id);
    }
    if let Some(kind) = ReferenceKind::of_jenis_jabatan(&j.jenis_jabatan_id) {
        if is_blank(&j.jabatan_id) {
            j.jabatan_id = siasn_reference::find(conn, kind, "", &j.jabatan_nama).await?;
            filled |= !is_blank(&j.jabatan_id);
        }
    }
    Ok(filled)
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

fn is_blank(id: &Option<String>) -> bool {
    id.as_deref().is_none_or(|s| s.trim().is_empty())
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
