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

/// The catalogs this foundation syncs.
pub const CATALOG_NAMES: [&str; 4] = ["golongan", "jenis_jabatan", "eselon", "tingkat_pendidikan"];

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
