//! People of an agency, the same for the same seed: SIASN-style ids (32 hex GUIDs), valid 18-digit NIPs.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::Generate;
use crate::store::{Person, Store};

const MALE: &[&str] = &["Budi", "Agus", "Hendra", "Rudi", "Joko", "Bambang", "Andi", "Dedi", "Eko", "Fajar", "Hadi"];
const FEMALE: &[&str] = &["Siti", "Dewi", "Sri", "Rina", "Wulan", "Ratna", "Indah", "Putri", "Ayu", "Lestari"];
const SECOND: &[&str] = &["Santoso", "Wijaya", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Susanti", "Rahayu"];

/// A 32-hex GUID drawn from `rng`.
pub(crate) fn guid(rng: &mut StdRng) -> String {
    format!("{:032x}", rng.gen::<u128>())
}

/// `count` people of the agency, added to `store`.
pub(crate) fn populate(store: &mut Store, generate: &Generate) {
    let mut rng = StdRng::seed_from_u64(generate.seed);
    for n in 0..generate.count {
        let person = person(&mut rng, &generate.instansi_id, n);
        store.people.insert(person.pns_id.clone(), person);
    }
}

fn person(rng: &mut StdRng, instansi_id: &str, n: usize) -> Person {
    let male = rng.gen_bool(0.5);
    let first = if male { MALE } else { FEMALE };
    let nama = format!("{} {}", first[rng.gen_range(0..first.len())], SECOND[rng.gen_range(0..SECOND.len())]);
    let born = (rng.gen_range(1965..=2000), rng.gen_range(1..=12), rng.gen_range(1..=28));
    let tmt = (born.0 + rng.gen_range(22..=30), rng.gen_range(1..=12));
    // NIP: birth date, TMT CPNS (year and month), sex (1 male, 2 female), a number unique in the batch.
    let nip = format!(
        "{:04}{:02}{:02}{:04}{:02}{}{:03}",
        born.0,
        born.1,
        born.2,
        tmt.0,
        tmt.1,
        if male { 1 } else { 2 },
        n % 1000
    );
    Person { pns_id: guid(rng), nip, nama, instansi_id: instansi_id.to_owned(), data_utama_updates: Default::default() }
}
