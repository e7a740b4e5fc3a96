//! The reference data the seed draws from, on top of the server's loader ([`mysapk_server::reference`]): the synced
//! catalogs, the agencies in file order, the education programmes and the functional positions that have the
//! Ahli Pertama, Muda and Madya levels.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use mysapk_model::catalog::Catalog;
use mysapk_model::siasn::reference::ReferenceKind;
use mysapk_server::db::siasn_reference::Named;

use mysapk_server::error::ServerError;

/// The SIASN reference tables the seed uses.
pub(crate) struct Reference {
    pub catalogs: Vec<Catalog>,
    /// Every agency `(id, nama)`, in the file's order.
    pub instansi: Vec<(String, String)>,
    /// pendidikan id → (tingkat id, nama)
    pub pendidikan: HashMap<String, (String, String)>,
    /// Names of the functional positions.
    pub fungsional: BTreeSet<String>,
    /// Functional positions that exist at the Ahli Pertama, Muda and Madya levels (the name without the level).
    pub fungsional_ahli: Vec<String>,
    /// The position tables by name (`siasn_reference`).
    pub positions: Vec<(ReferenceKind, Vec<Named>)>,
}

impl Reference {
    pub(crate) fn load(dir: &Path) -> Result<Self, ServerError> {
        let base = mysapk_server::reference::Reference::load(dir)?;
        let instansi = base
            .catalogs
            .iter()
            .find(|c| c.name == "instansi")
            .map(|c| c.entries.iter().map(|e| (e.id.clone(), e.nama.clone())).collect())
            .unwrap_or_default();
        let fungsional_ahli = base
            .fungsional
            .iter()
            .filter_map(|n| n.strip_suffix(" Ahli Pertama"))
            .filter(|b| {
                base.fungsional.contains(&format!("{b} Ahli Muda"))
                    && base.fungsional.contains(&format!("{b} Ahli Madya"))
            })
            .map(str::to_owned)
            .collect();
        Ok(Self {
            catalogs: base.catalogs,
            instansi,
            pendidikan: base.pendidikan,
            fungsional: base.fungsional,
            fungsional_ahli,
            positions: base.positions,
        })
    }

    /// The name of agency `id` (the id itself when unknown).
    pub(crate) fn instansi_nama(&self, id: &str) -> String {
        self.instansi.iter().find(|(i, _)| i == id).map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_and_positions_load() {
        let r = Reference::load(&super::super::tests::reference_dir()).expect("reference tables load");
        assert!(r.fungsional.contains("Pranata Komputer Ahli Pertama"));
        assert!(r.fungsional_ahli.len() > 100);
        assert!(r.instansi.len() > 100);
        assert_eq!(r.instansi[0].0, "A5EB03E23BE8F6A0E040640A040252AD");
    }
}
