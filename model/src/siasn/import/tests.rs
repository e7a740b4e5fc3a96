//! Tests of the SIASN → model mapping.

use super::*;
use crate::history::{HistoryRecord, Pasangan};
use crate::siasn::read::{DataAnak, DataOrtu, DataPasangan};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn data_utama() -> DataUtama {
    DataUtama {
        id: s("A8ACA7CD3C7F3912E040640A040269BB"),
        nip_baru: s("198503302010012013"),
        nama: s("SITI AMINAH"),
        gelar_belakang: s("S.Kom."),
        tempat_lahir: s("Bandung"),
        tgl_lahir: s("30-03-1985"),
        jenis_kelamin: s("F"),
        instansi_induk_id: s("A5EB03E23CCCF6A0E040640A040252AD"),
        instansi_induk_nama: s("Kota Bandung"),
        unor_id: s("8ae48"),
        unor_nama: s("Dinas Kominfo"),
        gol_ruang_akhir: s("III/c"),
        jabatan_fungsional_nama: s("Pranata Komputer Ahli Muda"),
        email: s("siti@example.go.id"),
        nik: s("3273017003850001"),
        ..DataUtama::default()
    }
}

#[test]
fn data_utama_maps_with_ids_and_tables() {
    let p = profile(&data_utama(), None).unwrap();
    assert_eq!(p.nip.as_str(), "198503302010012013");
    assert_eq!(p.siasn_pns_id.as_deref(), Some("A8ACA7CD3C7F3912E040640A040269BB"));
    assert_eq!(p.golongan_id.as_deref(), Some("33"), "by name through GOLONGAN_BY_NAME");
    assert_eq!(p.jabatan_nama.as_deref(), Some("Pranata Komputer Ahli Muda"));
    assert_eq!(p.tanggal_lahir, NaiveDate::from_ymd_opt(1985, 3, 30).unwrap());
    assert_eq!(p.verified.nik.as_deref(), Some("3273017003850001"));
    assert_eq!(p.owner.email.as_deref(), Some("siti@example.go.id"));
}

#[test]
fn own_contact_fields_and_confirmations_are_kept() {
    let mut base = profile(&data_utama(), None).unwrap();
    base.owner.email = Some("own@example.com".into());
    base.confirmed_kinds = vec![HistoryKind::Anak];
    let p = profile(&data_utama(), Some(&base)).unwrap();
    assert_eq!(p.owner.email.as_deref(), Some("own@example.com"));
    assert_eq!(p.confirmed_kinds, vec![HistoryKind::Anak]);
    assert_eq!(p, profile(&data_utama(), Some(&p)).unwrap(), "mapping again changes nothing");
}

#[test]
fn unmappable_fields_are_typed_errors() {
    let mut d = data_utama();
    d.tgl_lahir = s("1985-03-30");
    let e = profile(&d, None).unwrap_err();
    assert_eq!((e.resource, e.field, e.problem), ("data-utama", "tglLahir", Problem::BadDate));
    let mut d = data_utama();
    d.nip_baru = s("12");
    assert_eq!(profile(&d, None).unwrap_err().problem, Problem::BadNip);
    let mut d = data_utama();
    d.jenis_kelamin = s("X");
    assert_eq!(profile(&d, None).unwrap_err().problem, Problem::UnknownCode);
    let g = RwGolongan { id: s("g1"), golongan_id: s("99"), ..RwGolongan::default() };
    assert_eq!(golongan(&g).unwrap_err().problem, Problem::UnknownCode);
    let j = RwJabatan { id: s("j1"), jenis_jabatan: s("4"), ..RwJabatan::default() };
    assert_eq!(jabatan(&j).unwrap_err().field, "namaJabatan");
    let k = RwKursus { id: s("k1"), tanggal_kursus: s("01-02-2020"), jumlah_jam: s("lots"), ..RwKursus::default() };
    assert_eq!(kursus(&k).unwrap_err().to_string(), "rw-kursus.jenisDiklatId: siasn.map.missing (empty)");
}

#[test]
fn riwayat_keep_siasn_ids() {
    let j = RwJabatan {
        id: s("ba970862-d79c-4b53-9315-25d3f2c20a6b"),
        jenis_jabatan: s("2"),
        jabatan_fungsional_id: s("8ae4"),
        jabatan_fungsional_nama: s("Pranata Komputer Ahli Muda"),
        unor_nama: s("Dinas Kominfo"),
        tmt_jabatan: s("01-04-2021"),
        tanggal_sk: s("15-03-2021"),
        tmt_pelantikan: s("01-01-0001"),
        ..RwJabatan::default()
    };
    let m = jabatan(&j).unwrap();
    assert_eq!(m.siasn_id, "ba970862-d79c-4b53-9315-25d3f2c20a6b");
    let HistoryData::Jabatan(data) = &m.data else { panic!("{m:?}") };
    assert_eq!(data.jabatan_id.as_deref(), Some("8ae4"));
    let mut again = m.data.clone();
    let mut ended = m.data.clone();
    if let HistoryData::Jabatan(e) = &mut ended {
        e.tmt_selesai = NaiveDate::from_ymd_opt(2024, 1, 1);
    }
    carry_over(&mut again, &ended);
    assert_eq!(again, ended);
    let d = RwDiklat {
        id: s("d1"),
        latihan_struktural_id: s("3"),
        tanggal: s("02-05-2019"),
        jumlah_jam: s("40.0"),
        ..RwDiklat::default()
    };
    let HistoryData::Diklat(d) = diklat(&d).unwrap().data else { panic!() };
    assert_eq!((d.jumlah_jam, d.tanggal_selesai), (40, d.tanggal_mulai));
}

fn owner() -> Profile {
    crate::siasn::to_siasn::tests::sample_owner()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Our records of the family, performance and career kinds: the model's samples and the variants SIASN's codes
/// distinguish (every rating and predikat, a divorce, the dead, adopted and step children, a period that
/// starts mid-month, a leave not yet returned from); half with a SIASN id, half known by our id (the facade's
/// convention).
fn our_records() -> Vec<HistoryRecord> {
    use crate::history::samples::sample;
    let born = ymd(1985, 3, 10);
    let mut datas = Vec::new();
    for n in 0..3 {
        for kind in [
            HistoryKind::Pasangan,
            HistoryKind::Anak,
            HistoryKind::AngkaKredit,
            HistoryKind::HukumanDisiplin,
            HistoryKind::Pmk,
            HistoryKind::Cltn,
            HistoryKind::PindahInstansi,
            HistoryKind::SkpLama,
        ] {
            datas.push(sample(kind, born, n));
        }
    }
    // One father and one mother (data-ortu serves the newest of each), the father dead.
    for n in 0..2 {
        let mut parent = sample(HistoryKind::OrangTua, born, n);
        if let HistoryData::OrangTua(o) = &mut parent {
            o.hidup = n == 1;
        }
        datas.push(parent);
    }
    let ratings = [Rating::Above, Rating::Meets, Rating::Below];
    let predikats =
        [Predikat::SangatBaik, Predikat::Baik, Predikat::ButuhPerbaikan, Predikat::Kurang, Predikat::SangatKurang];
    for (i, (hasil, perilaku)) in ratings.iter().flat_map(|h| ratings.iter().map(move |p| (*h, *p))).enumerate() {
        let HistoryData::Skp(mut skp) = sample(HistoryKind::Skp, born, 0) else { panic!() };
        (skp.tahun, skp.hasil_kerja, skp.perilaku_kerja, skp.predikat) =
            (2016 + i as i32, hasil, perilaku, predikats[i % 5]);
        datas.push(HistoryData::Skp(skp));
    }
    for data in datas.iter_mut() {
        match data {
            HistoryData::Pasangan(p) if p.nama.ends_with('1') => {
                (p.status_kawin_id, p.tanggal_cerai, p.akta_cerai, p.hidup) =
                    ("2".into(), Some(ymd(2020, 2, 3)), Some("AC/1/2020".into()), false);
            }
            HistoryData::Anak(a) if a.nama.ends_with('1') => (a.status_anak, a.hidup) = ("angkat".into(), false),
            HistoryData::Anak(a) if a.nama.ends_with('2') => a.status_anak = "tiri".into(),
            HistoryData::AngkaKredit(a) if a.nomor_sk.ends_with('1') => a.periode_mulai = ymd(2022, 5, 17),
            HistoryData::HukumanDisiplin(h) if h.sk_nomor.ends_with('1') => {
                (h.tanggal_akhir, h.alasan_id) = (None, Some("3".into()));
            }
            HistoryData::Cltn(c) if c.sk_nomor.ends_with('1') => {
                (c.tanggal_aktif, c.jenis_cltn_id) = (None, "2".into())
            }
            HistoryData::Pmk(m) if m.nomor_sk.ends_with('2') => (m.mk_tahun, m.mk_bulan) = (0, 11),
            HistoryData::SkpLama(s) if s.tahun == 2020 => (s.nilai_skp, s.nilai_perilaku) = (76.25, 91.0),
            _ => {}
        }
    }
    datas
        .into_iter()
        .enumerate()
        .map(|(i, data)| HistoryRecord {
            id: format!("00000000-0000-4000-8000-{i:012}"),
            data,
            last_usulan_id: None,
            siasn_id: (i % 2 == 0).then(|| format!("8ae483c68026f7960180314c6447{i:04}")),
        })
        .collect()
}

/// What an import maps of everything `to_siasn` serves of `history` (the JSON SIASN would send, read back).
fn import_served(p: &Profile, history: &[HistoryRecord]) -> Vec<Result<Imported, MapError>> {
    use super::super::to_siasn::{self, NoNames};
    fn served<T: serde::de::DeserializeOwned>(v: impl serde::Serialize) -> T {
        serde_json::from_value(serde_json::to_value(v).unwrap()).unwrap()
    }
    let mut out = Vec::new();
    out.extend(served::<Vec<RwSkp22>>(to_siasn::rw_skp22(p, history)).iter().map(skp22));
    out.extend(served::<Vec<RwAngkakredit>>(to_siasn::rw_angkakredit(p, history)).iter().map(angka_kredit));
    out.extend(served::<Vec<RwHukdis>>(to_siasn::rw_hukdis(p, history, &NoNames)).iter().map(hukdis));
    out.extend(served::<Vec<RwMasakerja>>(to_siasn::rw_masakerja(p, history)).iter().map(masa_kerja));
    out.extend(served::<Vec<RwCltn>>(to_siasn::rw_cltn(p, history)).iter().map(cltn));
    out.extend(served::<Vec<RwPindahinstansi>>(to_siasn::rw_pindahinstansi(p, history)).iter().map(pindah_instansi));
    out.extend(served::<Vec<RwSkp>>(to_siasn::rw_skp(p, history)).iter().map(skp_lama));
    out.extend(pasangan(&served(to_siasn::data_pasangan(p, history, &NoNames))));
    out.extend(anak(&served(to_siasn::data_anak(p, history))));
    out.extend(orang_tua(&served(to_siasn::data_ortu(p, history))));
    out
}

#[test]
fn family_performance_and_career_records_round_trip_through_to_siasn() {
    let history = our_records();
    let imported: Vec<Imported> = import_served(&owner(), &history).into_iter().map(Result::unwrap).collect();
    assert_eq!(imported.len(), history.len(), "one record each");
    for ours in &history {
        let id = super::super::to_siasn::riwayat_id(ours);
        let found = imported.iter().find(|m| m.siasn_id == id).unwrap_or_else(|| panic!("{id} imported"));
        let mut data = found.data.clone();
        carry_over(&mut data, &ours.data);
        assert_eq!(data, ours.data, "{id}");
    }
    // Without our record: what SIASN does not carry is empty (a child) or the whole months (a period).
    let child = imported.iter().find(|m| m.data.kind() == HistoryKind::Anak).unwrap();
    let HistoryData::Anak(a) = &child.data else { panic!() };
    assert_eq!((a.nomor_akta_kelahiran.as_str(), a.hidup), ("", true));
    let mid_month = imported
        .iter()
        .find_map(|m| match &m.data {
            HistoryData::AngkaKredit(a) if a.nomor_sk.ends_with('1') => Some(a),
            _ => None,
        })
        .unwrap();
    assert_eq!((mid_month.periode_mulai, mid_month.periode_selesai), (ymd(2022, 5, 1), ymd(2022, 12, 31)));
    let transfer = imported.iter().find(|m| m.data.kind() == HistoryKind::PindahInstansi).unwrap();
    let HistoryData::PindahInstansi(t) = &transfer.data else { panic!() };
    assert_eq!(t.unor_baru_nama, "", "SIASN holds the unit by id only");
    for kind in [HistoryKind::Pmk, HistoryKind::Cltn, HistoryKind::PindahInstansi, HistoryKind::SkpLama] {
        assert_eq!(imported.iter().filter(|m| m.data.kind() == kind).count(), 3, "{kind:?}");
    }
}

#[test]
fn code_tables_agree_with_to_siasn() {
    use super::super::to_siasn::{predikat, rating};
    for r in [Rating::Above, Rating::Meets, Rating::Below] {
        let (n, name) = rating(r);
        assert_eq!((lookup_typed(&RATING, &whole(n)), lookup_typed(&RATING, name)), (Some(r), Some(r)));
    }
    for p in [Predikat::SangatBaik, Predikat::Baik, Predikat::ButuhPerbaikan, Predikat::Kurang, Predikat::SangatKurang]
    {
        let (n, name) = predikat(p);
        assert_eq!((lookup_typed(&PREDIKAT, &whole(n)), lookup_typed(&PREDIKAT, name)), (Some(p), Some(p)));
    }
    assert_eq!(RW_RESOURCES.len() + FAMILY_RESOURCES.len(), 16);
}

#[test]
fn a_documented_pasangan_response_maps() {
    // R's `CompareDataPasangan.js` response (see `read.rs`): empty texts `""`, no death, `posisi` a number.
    let json = crate::siasn::read::documented_pasangan_response();
    let mapped = pasangan(&serde_json::from_value(json).unwrap());
    let m = mapped[0].as_ref().unwrap();
    assert_eq!(m.siasn_id, "1eec9bef-ae07-487e-a864-9b5410234238");
    assert_eq!(
        m.data,
        HistoryData::Pasangan(Pasangan {
            nama: "LISTYA".into(),
            tempat_lahir: String::new(),
            tanggal_lahir: ymd(1992, 1, 17),
            jenis_kelamin: "F".into(),
            status_kawin_id: "1".into(),
            tanggal_menikah: ymd(2022, 3, 24),
            akta_menikah: "0066282022".into(),
            tanggal_cerai: None,
            akta_cerai: None,
            hidup: true,
        })
    );
}

fn problem(r: &Result<Imported, MapError>) -> (&'static str, &'static str, Problem) {
    let e = r.as_ref().unwrap_err();
    (e.resource, e.field, e.problem)
}

#[test]
fn unmappable_family_and_performance_fields_are_typed_errors() {
    let skp = RwSkp22 {
        id: s("s1"),
        tahun: s("2023"),
        hasil_kinerja_nilai: Some(7.0),
        perilaku_kerja: s("SESUAI ESPEKTASI"),
        kuadran_kinerja: s("BAIK"),
        ..RwSkp22::default()
    };
    assert_eq!(problem(&skp22(&skp)), ("rw-skp22", "hasilKinerjaNilai", Problem::UnknownCode));
    assert_eq!(skp22(&skp).unwrap_err().value.as_deref(), Some("7"));
    let by_name = RwSkp22 { hasil_kinerja_nilai: None, hasil_kinerja: s("diatas espektasi"), ..skp.clone() };
    let HistoryData::Skp(mapped) = skp22(&by_name).unwrap().data else { panic!() };
    assert_eq!(
        (mapped.hasil_kerja, mapped.perilaku_kerja, mapped.predikat),
        (Rating::Above, Rating::Meets, Predikat::Baik),
        "by name when there is no number"
    );
    let unknown_name = RwSkp22 { hasil_kinerja: s("LUAR BIASA"), ..by_name.clone() };
    assert_eq!(problem(&skp22(&unknown_name)), ("rw-skp22", "hasilKinerja", Problem::UnknownCode));
    let no_kuadran = RwSkp22 { kuadran_kinerja: None, ..by_name.clone() };
    assert_eq!(problem(&skp22(&no_kuadran)), ("rw-skp22", "KuadranKinerjaNilai", Problem::Missing));
    let no_year = RwSkp22 { tahun: s("2023/2024"), ..by_name };
    assert_eq!(problem(&skp22(&no_year)), ("rw-skp22", "tahun", Problem::BadNumber));

    let ak = RwAngkakredit {
        id: s("a1"),
        tanggal_sk: s("15-01-2024"),
        bulan_mulai_penailan: s("13"),
        tahun_mulai_penailan: s("2023"),
        bulan_selesai_penailan: s("12"),
        tahun_selesai_penailan: s("2023"),
        kredit_utama_baru: Some(10.0),
        ..RwAngkakredit::default()
    };
    assert_eq!(problem(&angka_kredit(&ak)), ("rw-angkakredit", "bulanMulaiPenailan", Problem::BadDate));
    let ak = RwAngkakredit { bulan_mulai_penailan: s("1"), tanggal_sk: s("2024-01-15"), ..ak };
    assert_eq!(problem(&angka_kredit(&ak)), ("rw-angkakredit", "tanggalSk", Problem::BadDate));
    let ak = RwAngkakredit { tanggal_sk: s("15-01-2024"), tahun_selesai_penailan: None, ..ak };
    assert_eq!(problem(&angka_kredit(&ak)), ("rw-angkakredit", "tahunSelesaiPenailan", Problem::Missing));
    let ak = RwAngkakredit { tahun_selesai_penailan: s("2023"), ..ak };
    let HistoryData::AngkaKredit(a) = angka_kredit(&ak).unwrap().data else { panic!() };
    assert_eq!((a.kredit_utama, a.kredit_penunjang, a.kredit_total), (10.0, 0.0, 10.0), "an absent total is the sum");

    let hd = RwHukdis {
        id: s("h1"),
        jenis_hukuman: s("1"),
        sk_tanggal: s("02-01-2020"),
        hukuman_tanggal: s(EMPTY),
        ..RwHukdis::default()
    };
    assert_eq!(problem(&hukdis(&hd)), ("rw-hukdis", "hukumanTanggal", Problem::Missing), "SIASN's empty date");
    let hd = RwHukdis { hukuman_tanggal: s("09-01-2020"), jenis_hukuman: None, ..hd };
    assert_eq!(problem(&hukdis(&hd)), ("rw-hukdis", "jenisHukuman", Problem::Missing));

    let child = |id: &str, jenis: &str| crate::siasn::read::Anak {
        id: s(id),
        nama: s("Ayu"),
        jenis_kelamin: s("F"),
        jenis_anak: s(jenis),
        tgl_lahir: s("01-02-2015"),
        ..crate::siasn::read::Anak::default()
    };
    let children = anak(&DataAnak { id_pns: None, list_anak: vec![child("c1", "1"), child("c2", "9")] });
    assert!(children[0].is_ok(), "one bad child does not fail the other");
    assert_eq!(problem(&children[1]), ("data-anak", "jenisAnak", Problem::UnknownCode));

    let spouse = crate::siasn::read::Pasangan { orang: None, ..crate::siasn::read::Pasangan::default() };
    let no_person = pasangan(&DataPasangan { list_pasangan: vec![spouse], ..DataPasangan::default() });
    assert_eq!(problem(&no_person[0]), ("data-pasangan", "orang", Problem::Missing));
    let person = Orang {
        id: s("o1"),
        nama: s("Rina"),
        tgl_lahir: s("01-01-1990"),
        jenis_kelamin: s("F"),
        status_hidup: s("X"),
        ..Orang::default()
    };
    let spouse = |o: &Orang| crate::siasn::read::Pasangan {
        orang: Some(o.clone()),
        data_pernikahan: Some(crate::siasn::read::DataPernikahan {
            tggl_menikah: s("02-02-2015"),
            ..crate::siasn::read::DataPernikahan::default()
        }),
        ..crate::siasn::read::Pasangan::default()
    };
    let odd = pasangan(&DataPasangan { list_pasangan: vec![spouse(&person)], ..DataPasangan::default() });
    assert_eq!(problem(&odd[0]), ("data-pasangan", "orang.JenisKawinId", Problem::Missing));
    let married = Orang { jenis_kawin_id: s("1"), ..person.clone() };
    let odd = pasangan(&DataPasangan { list_pasangan: vec![spouse(&married)], ..DataPasangan::default() });
    assert_eq!(problem(&odd[0]), ("data-pasangan", "orang.StatusHidup", Problem::UnknownCode));

    // data-ortu: an empty person is none; a parent's field is named by the parent.
    let ortu = DataOrtu {
        id_pns: None,
        ayah: Some(Orang { id: s(""), nama: s(""), tgl_meninggal: s(EMPTY), ..Orang::default() }),
        ibu: Some(Orang { tgl_lahir: s("1960-01-01"), ..person }),
    };
    let parents = orang_tua(&ortu);
    assert_eq!(parents.len(), 1, "the empty father is none");
    assert_eq!(problem(&parents[0]), ("data-ortu", "ibu.tglLahir", Problem::BadDate));
    let ortu: DataOrtu = serde_json::from_value(serde_json::json!({"idPns": "X", "ayah": null})).unwrap();
    assert!(orang_tua(&ortu).is_empty());
}

#[test]
fn unmappable_career_fields_are_typed_errors() {
    let pmk = RwMasakerja {
        id: s("m1"),
        tanggal_awal: s("01-01-2005"),
        tanggal_selesai: s("31-12-2008"),
        tanggal_sk: s("02-02-2012"),
        tasa_kerja_tahun: s("2"),
        masa_kerja_bulan: s("13 bulan"),
        ..RwMasakerja::default()
    };
    assert_eq!(problem(&masa_kerja(&pmk)), ("rw-masakerja", "masaKerjaBulan", Problem::BadNumber));
    let pmk = RwMasakerja { masa_kerja_bulan: s("6"), tasa_kerja_tahun: None, ..pmk };
    assert_eq!(problem(&masa_kerja(&pmk)), ("rw-masakerja", "tasaKerjaTahun", Problem::Missing));
    let pmk = RwMasakerja { tasa_kerja_tahun: s("2.0"), tanggal_selesai: s(EMPTY), ..pmk };
    assert_eq!(problem(&masa_kerja(&pmk)), ("rw-masakerja", "tanggalSelesai", Problem::Missing));

    let leave = RwCltn {
        id: s("c1"),
        cltn_id: s("1"),
        sk_tanggal: s("01-03-2015"),
        tanggal_awal: s("01-04-2015"),
        tanggal_akhir: s("31-03-2016"),
        tanggal_aktif: s("2016-04-01"),
        ..RwCltn::default()
    };
    assert_eq!(problem(&cltn(&leave)), ("rw-cltn", "tanggalAktif", Problem::BadDate));
    let leave = RwCltn { tanggal_aktif: s(EMPTY), ..leave };
    let HistoryData::Cltn(c) = cltn(&leave).unwrap().data else { panic!() };
    assert_eq!(c.tanggal_aktif, None, "SIASN's empty date: not returned yet");
    let leave = RwCltn { cltn_id: s(""), ..leave };
    assert_eq!(problem(&cltn(&leave)), ("rw-cltn", "cltnId", Problem::Missing));

    let transfer = RwPindahinstansi {
        id: s("p1"),
        instansi_kerja_lama: s("A5EB03E23BE8F6A0E040640A040252AD"),
        instansi_induk_baru: s("A5EB03E23BFBF6A0E040640A040252AD"),
        tmt_pi: s("01-07-2019"),
        sk_bkn_nomor: s("BKN/1"),
        sk_bkn_tanggal: s("01-06-2019"),
        ..RwPindahinstansi::default()
    };
    let HistoryData::PindahInstansi(t) = pindah_instansi(&transfer).unwrap().data else { panic!() };
    assert_eq!(
        (t.instansi_lama_id.as_str(), t.sk_nomor.as_str(), t.sk_tanggal),
        ("A5EB03E23BE8F6A0E040640A040252AD", "BKN/1", ymd(2019, 6, 1)),
        "the kerja agency and BKN's SK when the others are absent"
    );
    let no_new = RwPindahinstansi { instansi_induk_baru: None, ..transfer.clone() };
    assert_eq!(problem(&pindah_instansi(&no_new)), ("rw-pindahinstansi", "instansiIndukBaru", Problem::Missing));
    let no_sk = RwPindahinstansi { sk_bkn_tanggal: None, ..transfer.clone() };
    assert_eq!(problem(&pindah_instansi(&no_sk)), ("rw-pindahinstansi", "skTujuanTanggal", Problem::Missing));
    let bad_tmt = RwPindahinstansi { tmt_pi: s("2019-07-01"), ..transfer };
    assert_eq!(problem(&pindah_instansi(&bad_tmt)), ("rw-pindahinstansi", "tmtPi", Problem::BadDate));

    let old_skp: RwSkp = serde_json::from_value(serde_json::json!({
        "id": "s1", "tahun": "2019", "nilaiSkp": 85.5, "nilaiPerilakuKerja": "82.0", "nilaiPrestasiKerja": null
    }))
    .unwrap();
    assert_eq!(problem(&skp_lama(&old_skp)), ("rw-skp", "nilaiPrestasiKerja", Problem::Missing));
    let old_skp = RwSkp { nilai_prestasi_kerja: Some(84.2), ..old_skp };
    let HistoryData::SkpLama(k) = skp_lama(&old_skp).unwrap().data else { panic!() };
    assert_eq!((k.nilai_perilaku, k.penilai_nama.as_str()), (82.0, ""), "a score sent as a string reads");
    let old_skp = RwSkp { tahun: None, ..old_skp };
    assert_eq!(problem(&skp_lama(&old_skp)), ("rw-skp", "tahun", Problem::Missing));
}

const EMPTY: &str = super::super::EMPTY_DATE;

#[test]
fn the_cpns_pns_appointment_round_trips_through_data_utama() {
    use super::super::to_siasn::{self, NoNames};
    let p = owner();
    let appointment = crate::history::samples::sample(HistoryKind::CpnsPns, ymd(1985, 3, 10), 1);
    let record = HistoryRecord {
        id: "00000000-0000-4000-8000-000000000001".into(),
        data: appointment.clone(),
        last_usulan_id: None,
        siasn_id: p.siasn_pns_id.clone(),
    };
    let served: DataUtama =
        serde_json::from_value(serde_json::to_value(to_siasn::data_utama(&p, &[record], &NoNames)).unwrap()).unwrap();
    let imported = cpns_pns(&served).expect("an appointment").expect("maps");
    assert_eq!((imported.siasn_id.as_str(), &imported.data), (to_siasn::pns_id(&p).as_str(), &appointment));
    // None held (a PPPK): no record. A broken date: a typed error naming the field.
    let none: DataUtama =
        serde_json::from_value(serde_json::to_value(to_siasn::data_utama(&p, &[], &NoNames)).unwrap()).unwrap();
    assert!(cpns_pns(&none).is_none());
    let broken = DataUtama { tmt_cpns: s("31-02-2010"), ..served };
    let err = cpns_pns(&broken).expect("an appointment").expect_err("a bad date");
    assert_eq!(problem(&Err(err)), ("data-utama", "tmtCpns", Problem::BadDate));
}
