//! Reference catalogs (code tables) synced from the server to devices.

use serde::{Deserialize, Serialize};

use crate::record::CodeBook;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogEntry {
    pub id: String,
    pub nama: String,
}

/// One code table, e.g. `golongan`, `jenis_jabatan`, `eselon`, `tingkat_pendidikan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub name: String,
    pub entries: Vec<CatalogEntry>,
}

/// The catalogs synced to devices, with the reference file each is imported from (`reference/*.json[.gz]`).
/// Forms offer them as searchable choices ([`crate::forms`]); validators check codes against them.
pub const CATALOG_SOURCES: [(&str, &str); 15] = [
    ("golongan", "golonganPns"),
    ("jenis_jabatan", "jenisJabatan"),
    ("eselon", "eselon"),
    ("tingkat_pendidikan", "pendidikan"),
    ("jenis_kp", "kenaikanPangkat"),
    ("latihan_struktural", "latihanStruktural"),
    ("jenis_diklat", "jenisDiklat"),
    ("kawin", "kawin"),
    ("agama", "agama"),
    ("penghargaan", "penghargaan"),
    ("jenis_hukuman", "jenisHukuman"),
    ("alasan_hukdis", "alasanHukumanDisiplin"),
    ("cltn", "cltn"),
    ("instansi", "instansi"),
    ("dokumen", "dokumen"),
];

/// The names of the synced catalogs.
pub const CATALOG_NAMES: [&str; 15] = {
    let mut names = [""; 15];
    let mut i = 0;
    while i < CATALOG_SOURCES.len() {
        names[i] = CATALOG_SOURCES[i].0;
        i += 1;
    }
    names
};

/// A set of catalogs usable as a [`CodeBook`].
#[derive(Debug, Clone, Default)]
pub struct Catalogs(pub Vec<Catalog>);

impl CodeBook for Catalogs {
    fn knows(&self, catalog: &str, id: &str) -> bool {
        match self.0.iter().find(|c| c.name == catalog) {
            Some(c) => c.entries.iter().any(|e| e.id == id),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_catalog_accepts_known_catalog_checks() {
        let c = Catalogs(vec![Catalog {
            name: "golongan".into(),
            entries: vec![CatalogEntry { id: "31".into(), nama: "III/a".into() }],
        }]);
        assert!(c.knows("golongan", "31"));
        assert!(!c.knows("golongan", "32"));
        assert!(c.knows("eselon", "anything"));
    }
}
