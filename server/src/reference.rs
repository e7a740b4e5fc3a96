//! The SIASN reference tables (`reference/*.json[.gz]`) as catalogs: every catalog of [`CATALOG_SOURCES`],
//! and the lookups demo data needs. `mysapk-server import-reference DIR` writes the catalogs that changed.
//!
//! Each table is a JSON array of objects with an `id`; the entry's name is `nama`, or for tables without it
//! the table's own name column (`jenis` in `jenisDiklat`, `Dokumen Evaluasi Kinerja` in `dokumen`). Special
//! cases: `golongan` is named "III/a (Penata Muda)", `eselon` "II.a (JPT PRATAMA)" without the empty `00` row,
//! and `tingkat_pendidikan` holds the distinct levels of `pendidikan.json.gz` named by [`TINGKAT_NAMES`].

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use mysapk_model::catalog::{Catalog, CatalogEntry, CATALOG_SOURCES};
use mysapk_model::siasn::reference::{name_key, ReferenceKind};
use serde_json::{json, Map, Value};

use crate::db::siasn_reference::{self, Named};
use crate::db::ENTITY_CATALOG;
use crate::db::{self, records};
use crate::error::ServerError;

/// SIASN names of the education levels (`tkPendidikanId`).
pub const TINGKAT_NAMES: &[(&str, &str)] = &[
    ("05", "Sekolah Dasar"),
    ("10", "SLTP"),
    ("12", "SLTP Kejuruan"),
    ("15", "SLTA"),
    ("17", "SLTA Kejuruan"),
    ("18", "SLTA Keguruan"),
    ("20", "Diploma I"),
    ("25", "Diploma II"),
    ("30", "Diploma III/Sarjana Muda"),
    ("35", "Diploma IV"),
    ("40", "S-1/Sarjana"),
    ("42", "Profesi"),
    ("45", "S-2"),
    ("47", "Spesialis"),
    ("49", "Subspesialis"),
    ("50", "S-3/Doktor"),
];

/// Name columns tried, in order, for tables without `nama`.
const NAME_COLUMNS: &[&str] = &["nama", "jenis", "Dokumen Evaluasi Kinerja"];

/// Everything the server takes from the reference directory.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Every catalog of [`CATALOG_SOURCES`], in that order.
    pub catalogs: Vec<Catalog>,
    /// pendidikan id → (tingkat id, nama)
    pub pendidikan: HashMap<String, (String, String)>,
    /// Names of `jabatanFungsional.json`.
    pub fungsional: BTreeSet<String>,
    /// `jabatanFungsional.json` by name, for the ids of an approved position ([`position_table`]). The far
    /// larger pelaksana table is read only by [`import_reference`] ([`pelaksana`]).
    pub positions: Vec<(ReferenceKind, Vec<Named>)>,
}

impl Reference {
    /// Load every catalog and lookup from `dir`.
    pub fn load(dir: &Path) -> Result<Self, ServerError> {
        let pendidikan_rows = read_table(dir, "pendidikan")?;
        let mut pendidikan = HashMap::new();
        for row in &pendidikan_rows {
            if let (Some(id), Some(tingkat), Some(nama)) =
                (text(row, "id"), text(row, "tingkatPendidikanId"), text(row, "nama"))
            {
                pendidikan.insert(id, (tingkat, nama));
            }
        }
        let fungsional_rows = read_table(dir, "jabatanFungsional")?;
        let fungsional = fungsional_rows.iter().filter_map(|r| text(r, "nama")).collect();
        let positions = vec![(ReferenceKind::JabatanFungsional, position_table(&fungsional_rows))];
        let catalogs = CATALOG_SOURCES
            .iter()
            .map(|(name, stem)| {
                let rows = if *stem == "pendidikan" { pendidikan_rows.clone() } else { read_table(dir, stem)? };
                Ok(Catalog { name: (*name).to_owned(), entries: entries(name, &rows) })
            })
            .collect::<Result<Vec<_>, ServerError>>()?;
        Ok(Self { catalogs, pendidikan, fungsional, positions })
    }

    /// The name of agency `id` in the `instansi` catalog.
    pub fn instansi_nama(&self, id: &str) -> Option<&str> {
        self.catalogs
            .iter()
            .find(|c| c.name == "instansi")
            .and_then(|c| c.entries.iter().find(|e| e.id == id))
            .map(|e| e.nama.as_str())
    }
}

/// A field as text (strings as they are, numbers printed); `None` when absent, null or blank.
fn text(row: &Map<String, Value>, key: &str) -> Option<String> {
    match row.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Write the position tables (server-side only: devices never need 70,000 positions).
pub async fn put_positions(
    conn: &mut sqlx::AnyConnection,
    positions: &[(ReferenceKind, Vec<Named>)],
) -> Result<(), ServerError> {
    for (kind, entries) in positions {
        siasn_reference::replace(conn, *kind, entries).await?;
    }
    Ok(())
}

/// `jabatanPelaksana.json.gz` by name: 70,000 positions, 5 MB of JSON.
pub fn pelaksana(dir: &Path) -> Result<(ReferenceKind, Vec<Named>), ServerError> {
    Ok((ReferenceKind::JabatanPelaksana, position_table(&read_table(dir, "jabatanPelaksana")?)))
}

/// A position table by name. A name listed twice names no position unless exactly one of them is current
/// (`status` `N` in `jabatanFungsional.json`, where `O` is an old one): a guess would send SIASN a wrong id.
fn position_table(rows: &[Map<String, Value>]) -> Vec<Named> {
    let mut by_key: HashMap<String, Vec<(Named, bool)>> = HashMap::new();
    for row in rows {
        if let (Some(id), Some(nama)) = (text(row, "id"), text(row, "nama")) {
            let current = text(row, "status").as_deref() != Some("O");
            by_key.entry(name_key(&nama)).or_default().push((Named { id, nama }, current));
        }
    }
    let mut out: Vec<Named> = by_key
        .into_values()
        .filter_map(|mut same| {
            if same.len() > 1 {
                same.retain(|(_, current)| *current);
            }
            (same.len() == 1).then(|| same.remove(0).0)
        })
        .collect();
    out.sort_by(|a, b| a.nama.cmp(&b.nama));
    out
}

/// The catalog entries of one table.
fn entries(catalog: &str, rows: &[Map<String, Value>]) -> Vec<CatalogEntry> {
    let entry = |id: String, nama: String| CatalogEntry { id, nama };
    match catalog {
        "tingkat_pendidikan" => {
            let levels: BTreeSet<String> = rows.iter().filter_map(|r| text(r, "tingkatPendidikanId")).collect();
            levels
                .into_iter()
                .map(|id| {
                    let nama = TINGKAT_NAMES
                        .iter()
                        .find(|(k, _)| *k == id)
                        .map_or_else(|| format!("Tingkat {id}"), |(_, n)| (*n).to_owned());
                    entry(id, nama)
                })
                .collect()
        }
        _ => rows
            .iter()
            .filter_map(|r| {
                let id = text(r, "id")?;
                let nama = NAME_COLUMNS.iter().find_map(|c| text(r, c))?;
                let qualifier = match catalog {
                    "golongan" => text(r, "namaPangkat"),
                    "eselon" => text(r, "jabatanAsn"),
                    _ => None,
                };
                Some(match qualifier {
                    Some(q) => entry(id, format!("{nama} ({q})")),
                    None => entry(id, nama),
                })
            })
            .collect(),
    }
}

/// The file of table `stem`: `<stem>.json`, else `<stem>.json.gz`.
fn table_path(dir: &Path, stem: &str) -> Result<PathBuf, ServerError> {
    [format!("{stem}.json"), format!("{stem}.json.gz")]
        .into_iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| ServerError::Config(format!("{}: no {stem}.json or {stem}.json.gz", dir.display())))
}

/// Read a JSON (optionally gzipped) file.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ServerError> {
    let err = |e: &dyn std::fmt::Display| ServerError::Config(format!("{}: {e}", path.display()));
    let bytes = std::fs::read(path).map_err(|e| err(&e))?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut out).map_err(|e| err(&e))?;
        out
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).map_err(|e| err(&e))
}

/// Table `stem` of `dir` as JSON objects.
pub fn read_table(dir: &Path, stem: &str) -> Result<Vec<Map<String, Value>>, ServerError> {
    read_json(&table_path(dir, stem)?)
}

/// Import every catalog of [`CATALOG_SOURCES`] from `dir`: only catalogs whose entries changed are written,
/// logged (devices pull them) and audited. The position tables (server-side only) are replaced. Returns how many
/// catalogs changed.
pub async fn import_reference(database_url: &str, dir: &Path) -> Result<usize, ServerError> {
    let mut reference = Reference::load(dir)?;
    reference.positions.push(pelaksana(dir)?);
    let pool = db::connect(database_url).await?;
    let result = async {
        let mut tx = db::begin_write(&pool, &db::NoHook).await?;
        let mut changed = 0;
        for c in &reference.catalogs {
            if records::get_catalog(&mut tx, &c.name).await?.as_ref() != Some(c) {
                records::put_catalog(&mut tx, c).await?;
                db::log_change(&mut tx, None, ENTITY_CATALOG, &c.name).await?;
                db::audit(
                    &mut tx,
                    db::Audit {
                        actor: "admin",
                        action: "catalog.import",
                        entity: ENTITY_CATALOG,
                        entity_id: &c.name,
                        details: json!({"entries": c.entries.len()}),
                        ..db::Audit::default()
                    },
                )
                .await?;
                changed += 1;
            }
        }
        put_positions(&mut tx, &reference.positions).await?;
        tx.commit().await?;
        Ok(changed)
    }
    .await;
    pool.close().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
    }

    #[test]
    fn every_catalog_loads_with_entries() {
        let r = Reference::load(&dir()).expect("reference loads");
        assert_eq!(r.catalogs.len(), CATALOG_SOURCES.len());
        for c in &r.catalogs {
            assert!(!c.entries.is_empty(), "{} is empty", c.name);
        }
        let named = |cat: &str, id: &str| {
            r.catalogs
                .iter()
                .find(|c| c.name == cat)
                .and_then(|c| c.entries.iter().find(|e| e.id == id))
                .map(|e| e.nama.clone())
        };
        assert_eq!(named("golongan", "31").as_deref(), Some("III/a (Penata Muda)"));
        assert_eq!(named("jenis_diklat", "1").as_deref(), Some("Diklat Struktural"));
        assert_eq!(named("dokumen", "872").as_deref(), Some("Dok SK Jabatan"));
        assert_eq!(named("tingkat_pendidikan", "40").as_deref(), Some("S-1/Sarjana"));
        assert!(named("eselon", "00").is_none());
        assert!(!r.pendidikan.is_empty() && !r.fungsional.is_empty());
    }
}
