//! People of an agency, the same for the same seed, in SIASN's read shapes: `data-utama`, `rw-golongan`,
//! `rw-jabatan`, `rw-pendidikan`, `rw-skp22`, `data-pasangan`, `data-anak`, `data-ortu`, and some of
//! `rw-masakerja`, `rw-cltn`, `rw-pindahinstansi`, `rw-skp` ([`career`]). Ids in SIASN's forms
//! (PNS ids 32 uppercase hex, riwayat ids 32 lowercase hex, family ids dashed UUIDs: see
//! `mysapk_model::siasn`), valid 18-digit NIPs, codes and names from SIASN's reference tables ([`crate::codes`]),
//! dates `dd-mm-yyyy` as of [`AS_OF`] (fixed, so a seed always gives the same people).

use chrono::{Datelike, Months, NaiveDate};
use mysapk_model::siasn::read::{
    Anak, DataAnak, DataOrtu, DataPasangan, DataPernikahan, DataUtama, Orang, Pasangan, RwGolongan, RwJabatan,
    RwPendidikan, RwSkp22,
};
use mysapk_model::siasn::{siasn_date, EMPTY_DATE};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::codes::{self, FUNGSIONAL, GOLONGAN, PELAKSANA, PENDIDIKAN};
use crate::config::Generate;
use crate::store::{Person, Store};

mod career;

/// The day the generated records are as of.
pub const AS_OF: (i32, u32, u32) = (2025, 6, 30);

const MALE: &[&str] = &["Budi", "Agus", "Hendra", "Rudi", "Joko", "Bambang", "Andi", "Dedi", "Eko", "Fajar", "Hadi"];
const FEMALE: &[&str] = &["Siti", "Dewi", "Sri", "Rina", "Wulan", "Ratna", "Indah", "Putri", "Ayu", "Lestari"];
const SECOND: &[&str] = &["Santoso", "Wijaya", "Saputra", "Hidayat", "Kurniawan", "Pratama", "Susanti", "Rahayu"];
const PLACES: &[&str] = &["Jakarta", "Bandung", "Surabaya", "Semarang", "Yogyakarta", "Medan", "Makassar", "Malang"];
const UNITS: &[&str] =
    &["Biro Umum", "Biro Kepegawaian", "Biro Perencanaan", "Pusat Data dan Informasi", "Inspektorat"];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn word(rng: &mut StdRng, items: &[&'static str]) -> &'static str {
    items[rng.gen_range(0..items.len())]
}

/// A 32-hex id drawn from `rng`: uppercase (PNS ids, Oracle GUIDs) or lowercase (riwayat ids).
pub(crate) fn guid(rng: &mut StdRng, upper: bool) -> String {
    let n: u128 = rng.gen();
    if upper {
        format!("{n:032X}")
    } else {
        format!("{n:032x}")
    }
}

/// A dashed UUID drawn from `rng` (SIASN's id form for family persons and new records).
fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn day(d: NaiveDate) -> Option<String> {
    Some(siasn_date(d))
}

/// `count` people of the agency, added to `store`.
pub(crate) fn populate(store: &mut Store, generate: &Generate) {
    let mut rng = StdRng::seed_from_u64(generate.seed);
    let units: Vec<(String, &str)> = UNITS.iter().map(|u| (guid(&mut rng, false), *u)).collect();
    // The career records draw from a stream of their own: the people's stream is as before they existed.
    let mut career_rng = StdRng::seed_from_u64(generate.seed ^ 0x9E37_79B9_7F4A_7C15);
    for n in 0..generate.count {
        let mut person = person(&mut rng, &generate.instansi_id, &units, n);
        career::add(&mut career_rng, &mut person, n);
        store.people.insert(person.pns_id.clone(), person);
    }
}

fn person(rng: &mut StdRng, instansi_id: &str, units: &[(String, &str)], n: usize) -> Person {
    let as_of = date(AS_OF.0, AS_OF.1, AS_OF.2);
    let male = rng.gen_bool(0.5);
    let nama = format!("{} {}", pick(rng, if male { MALE } else { FEMALE }), pick(rng, SECOND));
    let born = date(rng.gen_range(1968..=1998), rng.gen_range(1..=12), rng.gen_range(1..=28));
    let tmt_cpns = date(born.year() + rng.gen_range(22..=27), rng.gen_range(1..=12), 1);
    let tmt_pns = tmt_cpns + Months::new(12);
    // NIP: birth date, TMT CPNS (year and month), sex (1 male, 2 female), a number unique in the batch.
    let nip = format!(
        "{}{:04}{:02}{}{:03}",
        born.format("%Y%m%d"),
        tmt_cpns.year(),
        tmt_cpns.month(),
        if male { 1 } else { 2 },
        n % 1000
    );
    let pns_id = guid(rng, true);
    let (pendidikan_id, tk_id, pendidikan_nama) = *pick(rng, PENDIDIKAN);
    let (unor_id, unor_nama) = pick(rng, units).clone();

    // Golongan: the entry rank of the education level, one step every four years.
    let first = match tk_id {
        "30" => 2,
        "45" => 5,
        _ => 4,
    };
    let steps = ((as_of.year() - tmt_cpns.year()) / 4).max(0) as usize;
    let golongan: Vec<(usize, NaiveDate)> = (0..=steps)
        .map(|s| (first + s, tmt_cpns + Months::new(48 * s as u32)))
        .filter(|(g, _)| *g < GOLONGAN.len())
        .collect();
    let rw_golongan: Vec<RwGolongan> = golongan
        .iter()
        .map(|(g, tmt)| {
            let (id, gol, pangkat) = GOLONGAN[*g];
            let sk = *tmt - Months::new(1);
            RwGolongan {
                id: Some(guid(rng, false)),
                id_pns: text(&pns_id),
                nip_baru: text(&nip),
                nip_lama: text(""),
                golongan_id: text(id),
                golongan: text(gol),
                sk_nomor: Some(format!("823.3/{}/{}", rng.gen_range(100..999), sk.year())),
                sk_tanggal: day(sk),
                tmt_golongan: day(*tmt),
                jenis_kp_id: text(if *tmt == tmt_cpns { "" } else { "101" }),
                masa_kerja_golongan_tahun: Some(((tmt.year() - tmt_cpns.year()).max(0)).to_string()),
                masa_kerja_golongan_bulan: text("0"),
                pangkat: text(pangkat),
                ..RwGolongan::default()
            }
        })
        .collect();
    let (last_golongan, tmt_golongan) = golongan.last().copied().unwrap_or((first, tmt_cpns));
    let (gol_awal_id, gol_awal, pangkat_awal) = GOLONGAN[first];
    let (gol_id, gol, pangkat) = GOLONGAN[last_golongan];

    // Jabatan: pelaksana from the TMT CPNS; half of them fungsional later.
    let mut rw_jabatan = Vec::new();
    let pelaksana = *pick(rng, PELAKSANA);
    let mut jabatan = ("4", "", pelaksana.0, pelaksana.1, tmt_cpns);
    rw_jabatan.push(jabatan_record(rng, &pns_id, &nip, instansi_id, (&unor_id, unor_nama), jabatan));
    if rng.gen_bool(0.5) {
        let f = *pick(rng, FUNGSIONAL);
        let tmt = tmt_pns + Months::new(12 * rng.gen_range(1..=4));
        if tmt < as_of {
            jabatan = ("2", f.0, "", f.1, tmt);
            rw_jabatan.push(jabatan_record(rng, &pns_id, &nip, instansi_id, (&unor_id, unor_nama), jabatan));
        }
    }
    let (jenis_jabatan, jf_id, jfu_id, jabatan_nama, tmt_jabatan) = jabatan;

    let lulus = tmt_cpns.year() - rng.gen_range(1..=3);
    let rw_pendidikan = vec![RwPendidikan {
        id: Some(guid(rng, false)),
        id_pns: text(&pns_id),
        nip_baru: text(&nip),
        nip_lama: text(""),
        pendidikan_id: text(pendidikan_id),
        pendidikan_nama: text(pendidikan_nama),
        tk_pendidikan_id: text(tk_id),
        tk_pendidikan_nama: codes::tingkat_pendidikan(tk_id).map(str::to_owned),
        tahun_lulus: Some(lulus.to_string()),
        tgl_lulus: day(date(lulus, 8, 30)),
        is_pendidikan_pertama: Some(true),
        nomor_ijasah: Some(format!("{}/{}/UN/{lulus}", rng.gen_range(1000..9999), tk_id)),
        nama_sekolah: text("Universitas Indonesia"),
        gelar_depan: text(""),
        gelar_belakang: text(""),
        path: None,
    }];

    let rw_skp22: Vec<RwSkp22> = (2022..=2024)
        .filter(|y| *y > tmt_cpns.year())
        .map(|tahun| {
            let hasil = rng.gen_range(1..=2);
            let perilaku = rng.gen_range(1..=2);
            let kuadran = if hasil == 1 && perilaku == 1 { 1 } else { 2 };
            RwSkp22 {
                id: Some(guid(rng, false)),
                hasil_kinerja: codes::rating(hasil).map(str::to_owned),
                hasil_kinerja_nilai: Some(f64::from(hasil)),
                kuadran_kinerja: codes::kuadran(kuadran).map(str::to_owned),
                kuadran_kinerja_nilai: Some(f64::from(kuadran)),
                nama_penilai: Some(format!("{} {}", pick(rng, MALE), pick(rng, SECOND))),
                nip_nrp_penilai: Some(format!(
                    "19750101200003{}00{}",
                    if rng.gen_bool(0.5) { 1 } else { 2 },
                    tahun % 10
                )),
                penilai_golongan_id: text("41"),
                penilai_jabatan_nm: Some(format!("Kepala {unor_nama}")),
                penilai_unor_nm: text(unor_nama),
                perilaku_kerja: codes::rating(perilaku).map(str::to_owned),
                perilaku_kerja_nilai: Some(f64::from(perilaku)),
                pns_dinilai_id: text(&pns_id),
                status_penilai: text("ASN"),
                tahun: Some(tahun.to_string()),
                path: None,
            }
        })
        .collect();

    let married = born.year() < 1995 || rng.gen_bool(0.4);
    let spouse_id = uuid(rng);
    let nikah = date(tmt_cpns.year() + rng.gen_range(-2..=3), rng.gen_range(1..=12), rng.gen_range(1..=28));
    let spouse_born = date(born.year() + rng.gen_range(-3..=3), rng.gen_range(1..=12), rng.gen_range(1..=28));
    let spouse_name = format!("{} {}", pick(rng, if male { FEMALE } else { MALE }), pick(rng, SECOND));
    let data_pasangan = married.then(|| DataPasangan {
        nip_baru: text(&nip),
        nip_lama: text(""),
        id_pns: text(&pns_id),
        list_pasangan: vec![Pasangan {
            orang: Some(orang(&spouse_id, &spouse_name, "", spouse_born, if male { "F" } else { "M" })),
            status_nikah: codes::kawin("1").map(str::to_owned),
            data_pernikahan: Some(DataPernikahan {
                id: Some(uuid(rng)),
                orang_id: text(&spouse_id),
                pns_orang_id: text(&pns_id),
                tggl_menikah: day(nikah),
                akta_menikah: Some(format!("{:010}", rng.gen_range(0..9_999_999_999u64))),
                tggl_cerai: text(EMPTY_DATE),
                akta_cerai: text(""),
                posisi: Some(1.0),
                status: text("1"),
                is_pns: Some(false),
                no_sk_pensiun: text(""),
            }),
        }],
    });
    let children = if married { rng.gen_range(0..=3) } else { 0 };
    let list_anak: Vec<Anak> = (0..children)
        .map(|c| {
            let lahir = date((nikah.year() + 1 + 2 * c).min(AS_OF.0), rng.gen_range(1..=12), rng.gen_range(1..=28));
            let boy = rng.gen_bool(0.5);
            let (ayah, ibu) =
                if male { (pns_id.clone(), spouse_id.clone()) } else { (spouse_id.clone(), pns_id.clone()) };
            Anak {
                id: Some(uuid(rng)),
                nama: Some(format!("{} {}", pick(rng, if boy { MALE } else { FEMALE }), pick(rng, SECOND))),
                jenis_kelamin: text(if boy { "M" } else { "F" }),
                jenis_anak: text("1"),
                ayah_id: Some(ayah),
                ibu_id: Some(ibu),
                tempat_lahir: text(word(rng, PLACES)),
                kabupaten_id: text(""),
                tgl_lahir: day(lahir),
            }
        })
        .collect();
    let ayah_born = date(born.year() - rng.gen_range(24..=35), 1 + (n as u32 % 12), 10);
    let ibu_born = date(born.year() - rng.gen_range(20..=32), 1 + ((n as u32 + 5) % 12), 20);
    let (ayah_id, ibu_id) = (uuid(rng), uuid(rng));
    let second = nama.split(' ').next_back().unwrap_or_default().to_owned();
    let data_ortu = DataOrtu {
        id_pns: text(&pns_id),
        ayah: Some(orang(&ayah_id, &format!("{} {second}", pick(rng, MALE)), word(rng, PLACES), ayah_born, "M")),
        ibu: Some(orang(
            &ibu_id,
            &format!("{} {}", pick(rng, FEMALE), pick(rng, SECOND)),
            word(rng, PLACES),
            ibu_born,
            "F",
        )),
    };

    let tempat_lahir = pick(rng, PLACES);
    let agama_id = if rng.gen_bool(0.8) { "1" } else { *pick(rng, &["2", "3", "4", "5"]) };
    let mk_tahun = (as_of.year() - tmt_cpns.year()).max(0);
    let data_utama = DataUtama {
        id: text(&pns_id),
        nip_baru: text(&nip),
        nip_lama: text(""),
        nama: text(&nama),
        gelar_depan: text(""),
        gelar_belakang: text(match tk_id {
            "30" => "A.Md.",
            "45" => "M.Si.",
            _ => "S.E.",
        }),
        tempat_lahir: text(tempat_lahir),
        tgl_lahir: day(born),
        agama: codes::agama(agama_id).map(str::to_owned),
        agama_id: text(agama_id),
        email: Some(format!("{}{}@example.go.id", nama.to_lowercase().replace(' ', "."), n)),
        nik: Some(format!(
            "3273{}{:02}{:02}{:04}",
            if male { born.day() } else { born.day() + 40 },
            born.month(),
            born.year() % 100,
            n % 10_000
        )),
        alamat: Some(format!("Jl. Merdeka No. {}", rng.gen_range(1..200))),
        no_hp: Some(format!("0812{:08}", rng.gen_range(0..99_999_999u32))),
        jenis_pegawai_id: text("1"),
        jenis_pegawai_nama: text("PNS Pusat yang bekerja pada Departemen/Lembaga"),
        kedudukan_pns_id: text("01"),
        kedudukan_pns_nama: text("Aktif"),
        status_pegawai: text("PNS"),
        jenis_kelamin: text(if male { "M" } else { "F" }),
        tk_pendidikan_terakhir_id: text(tk_id),
        tk_pendidikan_terakhir: codes::tingkat_pendidikan(tk_id).map(str::to_owned),
        pendidikan_terakhir_id: text(pendidikan_id),
        pendidikan_terakhir_nama: text(pendidikan_nama),
        tahun_lulus: Some(lulus.to_string()),
        tmt_pns: day(tmt_pns),
        tmt_cpns: day(tmt_cpns),
        // The appointment's decrees, a month before each TMT (no draw of the stream: the rest stays as it was).
        nomor_sk_cpns: Some(format!("813.3/{}/CPNS/{}", &nip[nip.len() - 3..], tmt_cpns.year())),
        tgl_sk_cpns: day(tmt_cpns - Months::new(1)),
        nomor_sk_pns: Some(format!("821.13/{}/PNS/{}", &nip[nip.len() - 3..], tmt_pns.year())),
        tgl_sk_pns: day(tmt_pns - Months::new(1)),
        instansi_induk_id: text(instansi_id),
        instansi_kerja_id: text(instansi_id),
        satuan_kerja_induk_id: text(instansi_id),
        unor_id: text(&unor_id),
        unor_nama: text(unor_nama),
        jenis_jabatan_id: text(jenis_jabatan),
        jenis_jabatan: codes::jenis_jabatan(jenis_jabatan).map(str::to_owned),
        jabatan_nama: text(jabatan_nama),
        jabatan_fungsional_id: text(jf_id),
        jabatan_fungsional_nama: text(if jf_id.is_empty() { "" } else { jabatan_nama }),
        jabatan_fungsional_umum_id: text(jfu_id),
        jabatan_fungsional_umum_nama: text(if jfu_id.is_empty() { "" } else { jabatan_nama }),
        tmt_jabatan: day(tmt_jabatan),
        gol_ruang_awal_id: text(gol_awal_id),
        gol_ruang_awal: text(gol_awal),
        pangkat_awal: text(pangkat_awal),
        gol_ruang_akhir_id: text(gol_id),
        gol_ruang_akhir: text(gol),
        pangkat_akhir: text(pangkat),
        tmt_gol_akhir: day(tmt_golongan),
        mk_tahun: Some(mk_tahun.to_string()),
        mk_bulan: text("0"),
        masa_kerja: Some(format!("{mk_tahun} Tahun 0 Bulan")),
        jenis_kawin_id: text(if married { "1" } else { "4" }),
        status_perkawinan: codes::kawin(if married { "1" } else { "4" }).map(str::to_owned),
        status_hidup: text("1"),
        jumlah_istri_suami: text(if married { "1" } else { "0" }),
        jumlah_anak: Some(children.to_string()),
        ..DataUtama::default()
    };

    let mut person = Person::new(&pns_id, &nip, &nama, instansi_id);
    person.set_resource("data-utama", &data_utama);
    person.set_resource("rw-golongan", &rw_golongan);
    person.set_resource("rw-jabatan", &rw_jabatan);
    person.set_resource("rw-pendidikan", &rw_pendidikan);
    if !rw_skp22.is_empty() {
        person.set_resource("rw-skp22", &rw_skp22);
    }
    if let Some(p) = data_pasangan {
        person.set_resource("data-pasangan", &p);
    }
    if !list_anak.is_empty() {
        person.set_resource("data-anak", &DataAnak { id_pns: text(&pns_id), list_anak });
    }
    person.set_resource("data-ortu", &data_ortu);
    person
}

/// One `rw-jabatan` record: `(jenis, jabatanFungsionalId, jabatanFungsionalUmumId, name, TMT)`.
fn jabatan_record(
    rng: &mut StdRng,
    pns_id: &str,
    nip: &str,
    instansi_id: &str,
    (unor_id, unor_nama): (&str, &str),
    (jenis, jf, jfu, nama, tmt): (&str, &str, &str, &str, NaiveDate),
) -> RwJabatan {
    let sk = tmt - Months::new(1);
    RwJabatan {
        id: Some(guid(rng, false)),
        id_pns: text(pns_id),
        nip_baru: text(nip),
        nip_lama: text(""),
        jenis_jabatan: text(jenis),
        instansi_kerja_id: text(instansi_id),
        satuan_kerja_id: text(instansi_id),
        unor_id: text(unor_id),
        unor_nama: text(unor_nama),
        unor_induk_id: text(""),
        unor_induk_nama: text(""),
        eselon: None,
        eselon_id: text(""),
        jabatan_fungsional_id: text(jf),
        jabatan_fungsional_nama: text(if jf.is_empty() { "" } else { nama }),
        jabatan_fungsional_umum_id: text(jfu),
        jabatan_fungsional_umum_nama: text(if jfu.is_empty() { "" } else { nama }),
        tmt_jabatan: day(tmt),
        nomor_sk: Some(format!("821.2/{}/{}", rng.gen_range(100..999), sk.year())),
        tanggal_sk: day(sk),
        nama_unor: text(unor_nama),
        nama_jabatan: text(nama),
        tmt_pelantikan: text(EMPTY_DATE),
        ..RwJabatan::default()
    }
}

fn orang(id: &str, nama: &str, tempat: &str, lahir: NaiveDate, jenis_kelamin: &str) -> Orang {
    Orang {
        id: text(id),
        created_at: text("2023-12-10T12:59:14.543143Z"),
        ayah_id: text(""),
        ibu_id: text(""),
        nama: text(nama),
        nama_ktp: text(""),
        gelar_depan: text(""),
        gelar_blk: text(""),
        tempat_lahir: text(tempat),
        tgl_lahir: day(lahir),
        akta_meninggal: text(""),
        tgl_meninggal: text(EMPTY_DATE),
        jenis_kelamin: text(jenis_kelamin),
        jenis_anak: None,
        status_hidup: text("1"),
        jenis_kawin_id: text("1"),
        karis_karsu: text(""),
    }
}
