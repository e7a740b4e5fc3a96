//! SIASN's reference ids of units and positions, looked up by name. A proposal names a position and its unit in
//! words; SIASN's `/jabatan/save` wants their ids (`unorId`, `jabatanFungsionalId` or `jabatanFungsionalUmumId`).
//! The server keeps the position tables (`jabatanFungsional.json`, `jabatanPelaksana.json.gz`) and the units
//! SIASN's answers named, keyed by [`name_key`], and fills the ids of an approved position before it is sent.

use crate::history::HistoryData;

/// The tables a name is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    /// `jabatanFungsional.json`: positions of jenis jabatan `2` (fungsional tertentu).
    JabatanFungsional,
    /// `jabatanPelaksana.json.gz`: positions of jenis jabatan `4` (pelaksana, SIASN's "fungsional umum").
    JabatanPelaksana,
    /// The units (`unorId`, `unorNama`) of one agency, as SIASN's answers named them.
    Unor,
}

impl ReferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::JabatanFungsional => "jabatan_fungsional",
            ReferenceKind::JabatanPelaksana => "jabatan_pelaksana",
            ReferenceKind::Unor => "unor",
        }
    }

    /// The position table of a jenis jabatan; `None` for a struktural position (the unit's own).
    pub fn of_jenis_jabatan(jenis_jabatan_id: &str) -> Option<Self> {
        match jenis_jabatan_id {
            "2" => Some(ReferenceKind::JabatanFungsional),
            "4" => Some(ReferenceKind::JabatanPelaksana),
            _ => None,
        }
    }
}

/// The lookup key of a name: case and runs of white space do not matter (`jabatanPelaksana.json` writes
/// "PENGELOLA TRANTIBUM" where a person types "Pengelola Trantibum").
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

/// Keep SIASN's reference ids of an approved record the server's own: a proposal never sets them (a device could
/// send any id, and a reviewer sees only names). An addition gets none (the server finds them by name); a change
/// keeps the official record's.
pub fn keep_official_ids(proposed: &mut HistoryData, official: Option<&HistoryData>) {
    match (proposed, official) {
        (HistoryData::Jabatan(new), Some(HistoryData::Jabatan(old))) => {
            new.unor_id.clone_from(&old.unor_id);
            new.jabatan_id.clone_from(&old.jabatan_id);
        }
        (HistoryData::Jabatan(new), _) => {
            new.unor_id = None;
            new.jabatan_id = None;
        }
        (HistoryData::Pendidikan(new), Some(HistoryData::Pendidikan(old))) => {
            new.pendidikan_id.clone_from(&old.pendidikan_id);
        }
        (HistoryData::Pendidikan(new), _) => new.pendidikan_id = None,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{samples, HistoryKind};

    #[test]
    fn a_proposal_never_sets_reference_ids() {
        let born = chrono::NaiveDate::from_ymd_opt(1985, 3, 30).expect("date");
        let with_ids = |kind| {
            let mut d = samples::sample(kind, born, 1);
            match &mut d {
                HistoryData::Jabatan(j) => {
                    j.unor_id = Some("forged-unit".into());
                    j.jabatan_id = Some("forged-position".into());
                }
                HistoryData::Pendidikan(p) => p.pendidikan_id = Some("forged".into()),
                _ => {}
            }
            d
        };
        let mut added = with_ids(HistoryKind::Jabatan);
        keep_official_ids(&mut added, None);
        let HistoryData::Jabatan(j) = &added else { unreachable!("a position") };
        assert_eq!((j.unor_id.as_deref(), j.jabatan_id.as_deref()), (None, None));
        let mut official = samples::sample(HistoryKind::Jabatan, born, 2);
        if let HistoryData::Jabatan(o) = &mut official {
            o.unor_id = Some("U1".into());
        }
        let mut changed = with_ids(HistoryKind::Jabatan);
        keep_official_ids(&mut changed, Some(&official));
        let HistoryData::Jabatan(j) = &changed else { unreachable!("a position") };
        assert_eq!((j.unor_id.as_deref(), j.jabatan_id.as_deref()), (Some("U1"), None));
        let mut school = with_ids(HistoryKind::Pendidikan);
        keep_official_ids(&mut school, None);
        assert!(matches!(school, HistoryData::Pendidikan(p) if p.pendidikan_id.is_none()));
    }

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        assert_eq!(name_key("  Pranata   Komputer\tAhli Muda "), "PRANATA KOMPUTER AHLI MUDA");
        assert_eq!(name_key("PENGELOLA TRANTIBUM"), name_key("pengelola trantibum"));
        assert_eq!(ReferenceKind::of_jenis_jabatan("1"), None);
        assert_eq!(ReferenceKind::of_jenis_jabatan("4"), Some(ReferenceKind::JabatanPelaksana));
    }
}
