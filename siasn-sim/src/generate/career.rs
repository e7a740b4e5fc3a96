//! The generated people's career records beyond rank and position: `rw-masakerja` (work before the appointment
//! counted, PMK), `rw-cltn` (unpaid leave), `rw-pindahinstansi` (a transfer in from another agency) and `rw-skp`
//! (the SKP before 2022). Drawn from their own random stream (seeded beside the people's), so adding them left
//! every earlier generated record as it was. Shapes: `mysapk_model::siasn::read` (K's migrations); values the
//! simulator's own.

use chrono::{Datelike, Days, Months, NaiveDate};
use mysapk_model::siasn::parse_siasn_date;
use mysapk_model::siasn::read::{RwCltn, RwMasakerja, RwPindahinstansi, RwSkp};
use rand::rngs::StdRng;
use rand::Rng;

use super::{date, day, guid, text, AS_OF};
use crate::store::Person;

/// Agencies a generated person may have come from (SIASN instansi ids of ministries; any but the person's own).
const OTHER_AGENCIES: &[&str] = &["A5EB03E23BE8F6A0E040640A040252AD", "A5EB03E23BFBF6A0E040640A040252AD"];

fn months(d: NaiveDate, n: i32) -> NaiveDate {
    let m = Months::new(n.unsigned_abs());
    if n < 0 { d.checked_sub_months(m) } else { d.checked_add_months(m) }.unwrap_or(d)
}

fn between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    from.checked_add_days(Days::new(rng.gen_range(0..=span))).unwrap_or(from)
}

/// Add the career records to the `n`-th person: PMK to every third, a leave to every fifth, a transfer to every
/// fourth (each when the person's dates leave room for it), and the old SKP of 2019-2021 to everyone appointed
/// before the year.
pub(crate) fn add(rng: &mut StdRng, person: &mut Person, n: usize) {
    let du = person.data_utama();
    let (Some(born), Some(tmt_cpns)) =
        (du.tgl_lahir.as_deref().and_then(parse_siasn_date), du.tmt_cpns.as_deref().and_then(parse_siasn_date))
    else {
        return;
    };
    let as_of = date(AS_OF.0, AS_OF.1, AS_OF.2);
    let pns_id = person.pns_id.clone();
    let instansi = person.instansi_id.clone();

    if n.is_multiple_of(3) {
        let start = months(tmt_cpns, -rng.gen_range(24..=72));
        let end = months(tmt_cpns, -rng.gen_range(1..=3));
        let sk = months(tmt_cpns, rng.gen_range(12..=36));
        if start >= months(born, 12 * 20) && sk <= as_of {
            // Half of the months worked, as for private work.
            let credited = ((end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32) / 2;
            let pmk = RwMasakerja {
                id: Some(guid(rng, false)),
                id_pns: text(&pns_id),
                nip_baru: text(&person.nip),
                nip_lama: text(""),
                pengalaman: text("Swasta"),
                tanggal_awal: day(start),
                tanggal_selesai: day(end),
                nomor_sk: Some(format!("PMK/{:04}/{}", rng.gen_range(1..10_000), sk.year())),
                tanggal_sk: day(sk),
                tasa_kerja_tahun: Some((credited / 12).to_string()),
                masa_kerja_bulan: Some((credited % 12).to_string()),
                dinilai: Some(true),
                path: None,
                ..RwMasakerja::default()
            };
            person.set_resource("rw-masakerja", &vec![pmk]);
        }
    }

    let (leave_from, leave_to) = (months(tmt_cpns, 24), months(as_of, -40));
    if n % 5 == 1 && leave_from <= leave_to {
        let start = between(rng, leave_from, leave_to);
        let end = months(start, rng.gen_range(12..=36));
        let sk = months(start, -1);
        let leave = RwCltn {
            id: Some(guid(rng, false)),
            cltn_id: text("1"),
            sk_nomor: Some(format!("CLTN/{:04}/{}", rng.gen_range(1..10_000), start.year())),
            sk_tanggal: day(sk),
            tanggal_awal: day(start),
            tanggal_akhir: day(end),
            tanggal_aktif: end.succ_opt().and_then(day),
            nomor_letter_bkn: text(""),
            tanggal_letter_bkn: None,
            pns_orang_id: text(&pns_id),
            path: None,
        };
        person.set_resource("rw-cltn", &vec![leave]);
    }

    let (move_from, move_to) = (months(tmt_cpns, 36), months(as_of, -6));
    if n % 4 == 2 && move_from <= move_to {
        let from = OTHER_AGENCIES.iter().find(|a| **a != instansi).copied().unwrap_or_default();
        let tmt = between(rng, move_from, move_to).with_day(1).unwrap_or(move_from);
        let sk = months(tmt, -rng.gen_range(1..=2));
        let number = rng.gen_range(1..10_000);
        let transfer = RwPindahinstansi {
            id: Some(guid(rng, false)),
            instansi_kerja_lama: text(from),
            instansi_induk_lama: text(from),
            instansi_kerja_baru: text(&instansi),
            instansi_induk_baru: text(&instansi),
            unor_baru: du.unor_id.clone(),
            pns_orang: text(&pns_id),
            jenis_pegawai: text("1"),
            sk_bkn_nomor: Some(format!("BKN/PI/{number:04}/{}", sk.year())),
            sk_bkn_tanggal: day(sk),
            sk_tujuan_nomor: Some(format!("PI/{number:04}/{}", tmt.year())),
            sk_tujuan_tanggal: day(sk),
            tmt_pi: day(tmt),
            ..RwPindahinstansi::default()
        };
        person.set_resource("rw-pindahinstansi", &vec![transfer]);
    }

    let old_skp: Vec<RwSkp> = (2019..=2021)
        .filter(|y| *y > tmt_cpns.year())
        .map(|tahun| {
            let nilai_skp = f64::from(rng.gen_range(7_600..=9_400)) / 100.0;
            let perilaku = f64::from(rng.gen_range(7_400..=9_200)) / 100.0;
            RwSkp {
                id: Some(guid(rng, false)),
                tahun: Some(tahun.to_string()),
                nilai_skp: Some(nilai_skp),
                nilai_perilaku_kerja: Some(perilaku),
                // PP 46/2011: 60 % the work target, 40 % the behaviour.
                nilai_prestasi_kerja: Some(((nilai_skp * 0.6 + perilaku * 0.4) * 100.0).round() / 100.0),
                pns: text(&pns_id),
                penilai_nama: text("Hadi Santoso"),
                jenis_jabatan: text("4"),
                ..RwSkp::default()
            }
        })
        .collect();
    if !old_skp.is_empty() {
        person.set_resource("rw-skp", &old_skp);
    }
}
