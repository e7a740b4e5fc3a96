//! SIASN ids for seeded people and records, in the forms SIASN issues (see `mysapk_model::siasn`), derived from
//! the NIP and the record so that the same seed gives the same ids (generated agencies are deterministic).
//!
//! - PNS id: an Oracle `SYS_GUID`, 32 uppercase hex whose tail names the issuing node (`…E040640A040269BB` in
//!   the sources): 16 hex from the NIP, `E040640A0402`, 4 hex.
//! - Riwayat id, by the era of the record (the sources show all three; the year bounds are this seed's): a
//!   GUID like the PNS id before 2014, 32 lowercase hex (`8ae48…`, Hibernate's UUID-hex) until 2020, a dashed
//!   UUID since 2021 and for every family member (`orang.id` in `data-pasangan`).
//! - Unit and position ids (`unorId`, `jabatanFungsionalUmumId`/`jabatanFungsionalId`): 32 lowercase hex, from
//!   the agency and the name, so one unit has one id across people. Education ids (`pendidikanId`) are GUIDs
//!   from the level and the programme. These have SIASN's form only; they are not SIASN's reference ids.

use chrono::Datelike;
use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::record::Profile;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A random stream named by `parts` (FNV-1a over them).
fn stream(parts: &[&str]) -> StdRng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    StdRng::seed_from_u64(h)
}

fn hex(rng: &mut StdRng, digits: usize) -> String {
    (0..digits).map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0')).collect()
}

fn oracle_guid(rng: &mut StdRng) -> String {
    format!("{}E040640A0402{}", hex(rng, 16), hex(rng, 4)).to_ascii_uppercase()
}

fn hibernate_hex(rng: &mut StdRng, prefix: &str) -> String {
    format!("{prefix}{}", hex(rng, 32 - prefix.len()))
}

fn dashed_uuid(rng: &mut StdRng) -> String {
    let h = hex(rng, 32);
    let variant = ["8", "9", "a", "b"][rng.gen_range(0..4)];
    format!("{}-{}-4{}-{variant}{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

/// The SIASN PNS id of the person with `nip`.
pub(crate) fn pns_id(nip: &str) -> String {
    oracle_guid(&mut stream(&["pns", nip]))
}

/// The SIASN id of the unit `unor` of agency `instansi`.
pub(crate) fn unor_id(instansi: &str, unor: &str) -> String {
    hibernate_hex(&mut stream(&["unor", instansi, unor]), "8ae48288")
}

/// The SIASN id of the position `nama`.
fn jabatan_id(nama: &str) -> String {
    hibernate_hex(&mut stream(&["jabatan", nama]), "ff808081")
}

/// The SIASN id of the `n`-th record of `nip`.
fn riwayat_id(nip: &str, n: usize, data: &HistoryData) -> String {
    let rng = &mut stream(&["riwayat", nip, &n.to_string(), data.kind().as_str()]);
    let family = matches!(data.kind(), HistoryKind::Pasangan | HistoryKind::Anak | HistoryKind::OrangTua);
    match data.sort_date().year() {
        _ if family => dashed_uuid(rng),
        ..2014 => oracle_guid(rng),
        2014..=2020 => hibernate_hex(rng, "8ae48"),
        _ => dashed_uuid(rng),
    }
}

/// Give a seeded person and their records SIASN's ids: the profile's PNS and unit ids, each jabatan's unit and
/// position ids, each pendidikan's id; returns each record's SIASN id, in order.
pub(crate) fn identify(profile: &mut Profile, histories: &mut [HistoryData]) -> Vec<String> {
    profile.siasn_pns_id = Some(pns_id(profile.nip.as_str()));
    profile.unor_id = Some(unor_id(&profile.instansi_id, &profile.unor_nama));
    identify_records(profile.nip.as_str(), &profile.instansi_id, histories)
}

/// The records' part of [`identify`]: the records of `nip` in agency `instansi`.
pub(crate) fn identify_records(nip: &str, instansi: &str, histories: &mut [HistoryData]) -> Vec<String> {
    histories
        .iter_mut()
        .enumerate()
        .map(|(n, data)| {
            match data {
                HistoryData::Jabatan(j) => {
                    j.unor_id = Some(unor_id(instansi, &j.unor_nama));
                    j.jabatan_id =
                        matches!(j.jenis_jabatan_id.as_str(), "2" | "4").then(|| jabatan_id(&j.jabatan_nama));
                }
                HistoryData::Pendidikan(e) => {
                    let rng = &mut stream(&["pendidikan", &e.tingkat_pendidikan_id, &e.pendidikan_nama]);
                    e.pendidikan_id = Some(oracle_guid(rng));
                }
                _ => {}
            }
            // SIASN keeps the appointment in data-utama: its record is named by the PNS id (model::siasn::import).
            if data.kind() == HistoryKind::CpnsPns {
                return pns_id(nip);
            }
            riwayat_id(nip, n, data)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysapk_model::siasn::{is_pns_id, is_riwayat_id};

    #[test]
    fn ids_have_siasn_forms_and_are_stable() {
        let a = pns_id("199001012015031001");
        assert!(is_pns_id(&a), "{a}");
        assert_eq!(a, pns_id("199001012015031001"));
        assert_ne!(a, pns_id("199001012015031002"));
        assert!(a.ends_with(&a[28..]) && a[16..28] == *"E040640A0402");
        let rng = &mut stream(&["x"]);
        for id in [oracle_guid(rng), hibernate_hex(rng, "8ae48"), dashed_uuid(rng)] {
            assert!(is_riwayat_id(&id), "{id}");
        }
        assert_eq!(unor_id("A", "Bagian Umum"), unor_id("A", "Bagian Umum"));
        assert_ne!(unor_id("A", "Bagian Umum"), unor_id("B", "Bagian Umum"));
    }
}
