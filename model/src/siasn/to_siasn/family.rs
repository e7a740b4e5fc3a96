//! The family: spouses and marriages (`data-pasangan`), children (`data-anak`) and parents (`data-ortu`).

use chrono::NaiveDate;

use super::{date, empty, or_empty, pns_id, records, riwayat_id, text, Names};
use crate::history::{HistoryData, HistoryKind, HistoryRecord, ParentRole};
use crate::record::Profile;
use crate::siasn::read::{Anak, DataAnak, DataOrtu, DataPasangan, DataPernikahan, Orang, Pasangan};
use crate::siasn::{siasn_date, EMPTY_DATE};

/// A family member as SIASN's `orang`: empty texts `""`, empty dates [`EMPTY_DATE`], `StatusHidup` `"1"`/`"0"`.
fn orang(id: String, nama: &str, tempat: &str, lahir: NaiveDate, gender: &str, hidup: bool) -> Orang {
    Orang {
        id: Some(id),
        ayah_id: empty(),
        ibu_id: empty(),
        nama: text(nama),
        nama_ktp: empty(),
        gelar_depan: empty(),
        gelar_blk: empty(),
        tempat_lahir: text(tempat),
        tgl_lahir: date(lahir),
        akta_meninggal: empty(),
        tgl_meninggal: text(EMPTY_DATE),
        jenis_kelamin: text(gender),
        status_hidup: text(if hidup { "1" } else { "0" }),
        karis_karsu: empty(),
        ..Orang::default()
    }
}

/// `data-pasangan`.
pub fn data_pasangan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> DataPasangan {
    let list = records(history, HistoryKind::Pasangan)
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let HistoryData::Pasangan(s) = &r.data else { return None };
            let id = riwayat_id(r);
            let mut person = orang(id.clone(), &s.nama, &s.tempat_lahir, s.tanggal_lahir, &s.jenis_kelamin, s.hidup);
            person.jenis_kawin_id = text(&s.status_kawin_id);
            Some(Pasangan {
                orang: Some(person),
                status_nikah: names.name("kawin", &s.status_kawin_id),
                data_pernikahan: Some(DataPernikahan {
                    id: empty(),
                    orang_id: Some(id),
                    pns_orang_id: Some(pns_id(p)),
                    tggl_menikah: date(s.tanggal_menikah),
                    akta_menikah: text(&s.akta_menikah),
                    tggl_cerai: Some(s.tanggal_cerai.map_or_else(|| EMPTY_DATE.to_owned(), siasn_date)),
                    akta_cerai: or_empty(s.akta_cerai.as_deref()),
                    posisi: Some((i + 1) as f64),
                    status: text(&s.status_kawin_id),
                    is_pns: None,
                    no_sk_pensiun: empty(),
                }),
            })
        })
        .collect();
    DataPasangan { nip_baru: text(p.nip.as_str()), nip_lama: None, id_pns: Some(pns_id(p)), list_pasangan: list }
}

/// `data-anak`: `jenisAnak` `"1"` kandung, `"2"` tiri, `"3"` angkat (R `utils/data-utils.js`).
pub fn data_anak(p: &Profile, history: &[HistoryRecord]) -> DataAnak {
    let list = records(history, HistoryKind::Anak)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Anak(a) = &r.data else { return None };
            let jenis = match a.status_anak.as_str() {
                "kandung" => "1",
                "tiri" => "2",
                "angkat" => "3",
                _ => "",
            };
            Some(Anak {
                id: Some(riwayat_id(r)),
                nama: text(&a.nama),
                jenis_kelamin: text(&a.jenis_kelamin),
                jenis_anak: text(jenis),
                ayah_id: empty(),
                ibu_id: empty(),
                tempat_lahir: text(&a.tempat_lahir),
                kabupaten_id: empty(),
                tgl_lahir: date(a.tanggal_lahir),
            })
        })
        .collect();
    DataAnak { id_pns: Some(pns_id(p)), list_anak: list }
}

/// `data-ortu`: the newest record of each parent.
pub fn data_ortu(p: &Profile, history: &[HistoryRecord]) -> DataOrtu {
    let mut out = DataOrtu { id_pns: Some(pns_id(p)), ..DataOrtu::default() };
    for r in records(history, HistoryKind::OrangTua) {
        let HistoryData::OrangTua(o) = &r.data else { continue };
        let (slot, gender) = match o.hubungan {
            ParentRole::Ayah => (&mut out.ayah, "M"),
            ParentRole::Ibu => (&mut out.ibu, "F"),
        };
        *slot = Some(orang(riwayat_id(r), &o.nama, &o.tempat_lahir, o.tanggal_lahir, gender, o.hidup));
    }
    out
}
