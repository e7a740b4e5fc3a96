//! SIASN's reference ids of units and positions, looked up by name. A proposal names a position and its unit in
//! words; SIASN's `/jabatan/save` wants their ids (`unorId`, `jabatanFungsionalId` or `jabatanFungsionalUmumId`).
//! The server keeps the position tables (`jabatanFungsional.json`, `jabatanPelaksana.json.gz`) and the units
//! SIASN's answers named, keyed by [`name_key`], and fills the ids of an approved position before it is sent.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        assert_eq!(name_key("  Pranata   Komputer\tAhli Muda "), "PRANATA KOMPUTER AHLI MUDA");
        assert_eq!(name_key("PENGELOLA TRANTIBUM"), name_key("pengelola trantibum"));
        assert_eq!(ReferenceKind::of_jenis_jabatan("1"), None);
        assert_eq!(ReferenceKind::of_jenis_jabatan("4"), Some(ReferenceKind::JabatanPelaksana));
    }
}
