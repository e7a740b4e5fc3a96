//! What a save does to the person's read resources: SIASN reads back what was written. Each body becomes the
//! record of its `rw-*` list (field names of [`mysapk_model::siasn::read`]), added or, for an edit, laid over
//! the record with that id (fields the body does not carry, such as names, stay); a family save adds a person
//! to `data-pasangan` / `data-anak`; `/pns/data-utama-update` sets its fields of `data-utama`.
//!
//! The pairing of write and read names is by meaning (`pnsId` → `idPns`, `nomorSertipikat` → `noSertipikat`,
//! `penilaiNama` → `namaPenilai`, …); no source shows both sides of one record, so it is the simulator's.

use std::collections::BTreeMap;

use mysapk_model::siasn::read::{
    Anak, DataAnak, DataPasangan, DataPernikahan, DokPath, DokPaths, Orang, Pasangan, RwAngkakredit, RwDiklat,
    RwJabatan, RwKursus, RwPenghargaan, RwSkp22,
};
use mysapk_model::siasn::write::{AnakSave, DataUtamaUpdate, DokumenPath, PasanganSave, WriteBody, WriteEndpoint};
use mysapk_model::siasn::EMPTY_DATE;
use serde_json::Value;

use crate::codes;
use crate::store::Person;

/// The read resource a write endpoint changes.
pub(crate) const fn resource_of(endpoint: WriteEndpoint) -> &'static str {
    match endpoint {
        WriteEndpoint::Jabatan => "rw-jabatan",
        WriteEndpoint::Skp22 => "rw-skp22",
        WriteEndpoint::Diklat => "rw-diklat",
        WriteEndpoint::Kursus => "rw-kursus",
        WriteEndpoint::Penghargaan => "rw-penghargaan",
        WriteEndpoint::AngkaKredit => "rw-angkakredit",
        WriteEndpoint::DataUtama => "data-utama",
        WriteEndpoint::Pasangan => "data-pasangan",
        WriteEndpoint::Anak => "data-anak",
    }
}

fn dok_path(d: &DokumenPath) -> DokPath {
    DokPath {
        dok_id: Some(d.dok_id.clone()),
        dok_nama: Some(d.dok_nama.clone()),
        dok_uri: Some(d.dok_uri.clone()),
        object: Some(d.object.clone()),
        slug: Some(d.slug.clone()),
    }
}

/// A record's `path`: its documents by `dok_id`; `None` (`null`) without any.
pub(crate) fn dok_paths(documents: &BTreeMap<String, DokumenPath>) -> DokPaths {
    (!documents.is_empty()).then(|| documents.iter().map(|(id, d)| (id.clone(), dok_path(d))).collect())
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn flag(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

/// The `rw-*` record a riwayat save writes; `None` for the endpoints that are not riwayat lists.
fn list_record(person: &Person, id: &str, body: &WriteBody, path: DokPaths) -> Option<Value> {
    let id = text(id);
    let id_pns = text(&person.pns_id);
    let nip = text(&person.nip);
    let value = match body {
        WriteBody::Jabatan(b) => serde_json::to_value(RwJabatan {
            id,
            id_pns,
            nip_baru: nip,
            nip_lama: text(""),
            jenis_jabatan: text(&b.jenis_jabatan),
            instansi_kerja_id: text(&b.instansi_id),
            satuan_kerja_id: text(&b.satuan_kerja_id),
            unor_id: text(&b.unor_id),
            eselon_id: text(&b.eselon_id),
            jabatan_fungsional_id: text(&b.jabatan_fungsional_id),
            jabatan_fungsional_umum_id: text(&b.jabatan_fungsional_umum_id),
            tmt_jabatan: text(&b.tmt_jabatan),
            nomor_sk: text(&b.nomor_sk),
            tanggal_sk: text(&b.tanggal_sk),
            tmt_pelantikan: text(if b.tmt_pelantikan.is_empty() { EMPTY_DATE } else { &b.tmt_pelantikan }),
            path,
            ..RwJabatan::default()
        }),
        WriteBody::Skp22(b) => serde_json::to_value(RwSkp22 {
            id,
            hasil_kinerja: codes::rating(b.hasil_kinerja_nilai).map(str::to_owned),
            hasil_kinerja_nilai: Some(f64::from(b.hasil_kinerja_nilai)),
            kuadran_kinerja: codes::kuadran(b.kuadran_kinerja_nilai).map(str::to_owned),
            kuadran_kinerja_nilai: Some(f64::from(b.kuadran_kinerja_nilai)),
            nama_penilai: text(&b.penilai_nama),
            nip_nrp_penilai: text(&b.penilai_nip_nrp),
            penilai_golongan_id: text(&b.penilai_golongan),
            penilai_jabatan_nm: text(&b.penilai_jabatan),
            penilai_unor_nm: text(&b.penilai_unor_nama),
            perilaku_kerja: codes::rating(b.perilaku_kerja_nilai).map(str::to_owned),
            perilaku_kerja_nilai: Some(f64::from(b.perilaku_kerja_nilai)),
            pns_dinilai_id: id_pns,
            status_penilai: text(&b.status_penilai),
            tahun: Some(b.tahun.to_string()),
            path,
        }),
        WriteBody::Diklat(b) => serde_json::to_value(RwDiklat {
            id,
            id_pns,
            nip_baru: nip,
            nip_lama: text(""),
            latihan_struktural_id: text(&b.latihan_struktural_id),
            latihan_struktural_nama: codes::latihan_struktural(&b.latihan_struktural_id).map(str::to_owned),
            nomor: text(&b.nomor),
            tanggal: text(&b.tanggal),
            tahun: Some(b.tahun.to_string()),
            path,
            jumlah_jam: Some(b.jumlah_jam.to_string()),
            tanggal_selesai: text(&b.tanggal_selesai),
            institusi_penyelenggara: text(&b.institusi_penyelenggara),
        }),
        WriteBody::Kursus(b) => serde_json::to_value(RwKursus {
            id,
            id_pns,
            nip_baru: nip,
            nip_lama: text(""),
            jenis_kursus_nama: None,
            jenis_kursus_sertifikat: text(&b.jenis_kursus_sertipikat),
            institusi_penyelenggara: text(&b.institusi_penyelenggara),
            jenis_kursus_id: text(&b.jenis_kursus),
            jumlah_jam: Some(b.jumlah_jam.to_string()),
            nama_kursus: text(&b.nama_kursus),
            no_sertipikat: text(&b.nomor_sertipikat),
            tahun_kursus: Some(b.tahun_kursus.to_string()),
            tanggal_kursus: text(&b.tanggal_kursus),
            path,
            jenis_diklat_id: text(&b.jenis_diklat_id),
            tanggal_selesai_kursus: text(&b.tanggal_selesai_kursus),
        }),
        WriteBody::Penghargaan(b) => serde_json::to_value(RwPenghargaan {
            id,
            tahun: Some(b.tahun.to_string()),
            sk_nomor: text(&b.sk_nomor),
            sk_date: text(&b.sk_date),
            harga_nama: codes::penghargaan(&b.harga_id).map(str::to_owned),
            harga_id: text(&b.harga_id),
            pns_orang_id: id_pns,
            path,
        }),
        WriteBody::AngkaKredit(b) => serde_json::to_value(RwAngkakredit {
            id,
            pns: id_pns,
            nomor_sk: text(&b.nomor_sk),
            tanggal_sk: text(&b.tanggal_sk),
            bulan_mulai_penailan: text(&b.bulan_mulai_penailan),
            tahun_mulai_penailan: text(&b.tahun_mulai_penailan),
            bulan_selesai_penailan: text(&b.bulan_selesai_penailan),
            tahun_selesai_penailan: text(&b.tahun_selesai_penailan),
            kredit_utama_baru: b.kredit_utama_baru.trim().parse().ok(),
            kredit_penunjang_baru: b.kredit_penunjang_baru.trim().parse().ok(),
            kredit_baru_total: b.kredit_baru_total.trim().parse().ok(),
            rw_jabatan: text(&b.rw_jabatan_id),
            is_angka_kredit_pertama: flag(&b.is_angka_kredit_pertama),
            is_integrasi: flag(&b.is_integrasi),
            is_konversi: flag(&b.is_konversi),
            path,
            ..RwAngkakredit::default()
        }),
        WriteBody::DataUtama(_) | WriteBody::Pasangan(_) | WriteBody::Anak(_) => return None,
    };
    value.ok()
}

/// Lays `record` over the item with its id in list `name`, or appends it.
fn upsert(person: &mut Person, name: &str, record: Value) {
    let list = person.resources.entry(name.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    let Value::Array(items) = list else { return };
    let id = record.get("id").cloned();
    match items.iter_mut().find(|item| item.get("id") == id.as_ref()) {
        Some(Value::Object(existing)) => {
            if let Value::Object(fields) = record {
                for (key, value) in fields {
                    if !value.is_null() {
                        existing.insert(key, value);
                    }
                }
            }
        }
        _ => items.push(record),
    }
}

/// Applies an accepted save of riwayat `id` to the person's resources.
pub(crate) fn apply(person: &mut Person, id: &str, body: &WriteBody, documents: &BTreeMap<String, DokumenPath>) {
    let name = resource_of(body.endpoint());
    match body {
        WriteBody::DataUtama(update) => apply_data_utama(person, update),
        WriteBody::Pasangan(b) => add_pasangan(person, id, b),
        WriteBody::Anak(b) => add_anak(person, id, b),
        _ => {
            if let Some(record) = list_record(person, id, body, dok_paths(documents)) {
                upsert(person, name, record);
            }
        }
    }
}

/// Whether list resource `name` of `person` holds a record with `id`.
pub(crate) fn holds(person: &Person, name: &str, id: &str) -> bool {
    person
        .resources
        .get(name)
        .and_then(Value::as_array)
        .is_some_and(|items| items.iter().any(|r| r.get("id").and_then(Value::as_str) == Some(id)))
}

/// Attaches document `dok` to riwayat `id` of list `name` (its `path` map, by `dok_id`).
pub(crate) fn attach(person: &mut Person, name: &str, id: &str, dok: &DokumenPath) {
    let Some(items) = person.resources.get_mut(name).and_then(Value::as_array_mut) else { return };
    let Some(Value::Object(record)) = items.iter_mut().find(|r| r.get("id").and_then(Value::as_str) == Some(id)) else {
        return;
    };
    let Ok(entry) = serde_json::to_value(dok_path(dok)) else { return };
    let path = record.entry("path").or_insert_with(|| Value::Object(Default::default()));
    if !path.is_object() {
        *path = Value::Object(Default::default());
    }
    if let Value::Object(paths) = path {
        paths.insert(dok.dok_id.clone(), entry);
    }
}

/// `/pns/data-utama-update` fields and the `data-utama` fields they set (`kabupaten_id` and `tapera_nomor`
/// have no `data-utama` field: they stay in [`Person::data_utama_updates`] only).
const DATA_UTAMA_FIELDS: &[(&str, &str)] = &[
    ("agama_id", "agamaId"),
    ("alamat", "alamat"),
    ("email", "email"),
    ("email_gov", "emailGov"),
    ("karis_karsu", "karis_karsu"),
    ("kelas_jabatan", "kelas_jabatan"),
    ("kpkn_id", "kpknId"),
    ("lokasi_kerja_id", "lokasiKerjaId"),
    ("nomor_bpjs", "bpjs"),
    ("nomor_hp", "noHp"),
    ("nomor_telpon", "noTelp"),
    ("npwp_nomor", "noNpwp"),
    ("npwp_tanggal", "tglNpwp"),
    ("tanggal_taspen", "tanggal_taspen"),
    ("taspen_nomor", "noTaspen"),
];

fn apply_data_utama(person: &mut Person, update: &DataUtamaUpdate) {
    let Some(Value::Object(changes)) = serde_json::to_value(update).ok() else { return };
    let data_utama =
        person.resources.entry("data-utama".to_owned()).or_insert_with(|| Value::Object(Default::default()));
    for (field, value) in changes {
        let Some(text) = value.as_str() else { continue };
        if field == "pns_orang_id" {
            continue;
        }
        if let (Some((_, read)), Value::Object(map)) =
            (DATA_UTAMA_FIELDS.iter().find(|(write, _)| *write == field), &mut *data_utama)
        {
            map.insert((*read).to_owned(), Value::String(text.to_owned()));
            if field == "agama_id" {
                map.insert("agama".to_owned(), codes::agama(text).map_or(Value::Null, |n| Value::String(n.to_owned())));
            }
        }
        person.data_utama_updates.insert(field, text.to_owned());
    }
}

fn or_empty_date(date: &str) -> Option<String> {
    text(if date.is_empty() { EMPTY_DATE } else { date })
}

fn add_pasangan(person: &mut Person, orang_id: &str, b: &PasanganSave) {
    let spouse_sex = match person.jenis_kelamin().as_deref() {
        Some("M") => "F",
        Some("F") => "M",
        _ => "",
    };
    let pasangan = Pasangan {
        orang: Some(Orang {
            id: text(orang_id),
            created_at: Some(chrono::Utc::now().to_rfc3339()),
            ayah_id: text(""),
            ibu_id: text(""),
            nama: text(&b.nama),
            nama_ktp: text(""),
            gelar_depan: text(""),
            gelar_blk: text(""),
            tempat_lahir: text(""),
            tgl_lahir: or_empty_date(&b.tgl_lahir),
            akta_meninggal: text(&b.no_akta_meninggal),
            tgl_meninggal: or_empty_date(&b.tgl_meninggal),
            jenis_kelamin: text(spouse_sex),
            jenis_anak: None,
            status_hidup: text(&b.status_hidup),
            jenis_kawin_id: text(&b.status_pernikahan),
            karis_karsu: text(""),
        }),
        status_nikah: codes::kawin(&b.status_pernikahan).map(str::to_owned),
        data_pernikahan: Some(DataPernikahan {
            id: Some(crate::saves::new_id()),
            orang_id: text(orang_id),
            pns_orang_id: text(&person.pns_id),
            tggl_menikah: or_empty_date(&b.tgl_akta_menikah),
            akta_menikah: text(&b.no_akta_menikah),
            tggl_cerai: text(EMPTY_DATE),
            akta_cerai: text(""),
            posisi: b.pasangan_ke.trim().parse().ok(),
            status: text("1"),
            is_pns: Some(b.status_pekerjaan_pasangan == "PNS"),
            no_sk_pensiun: text(""),
        }),
    };
    let mut data: DataPasangan = person.resource("data-pasangan").unwrap_or_else(|| DataPasangan {
        nip_baru: text(&person.nip),
        nip_lama: text(""),
        id_pns: text(&person.pns_id),
        list_pasangan: Vec::new(),
    });
    data.list_pasangan.push(pasangan);
    person.set_resource("data-pasangan", &data);
}

fn add_anak(person: &mut Person, id: &str, b: &AnakSave) {
    let (ayah_id, ibu_id) = match person.jenis_kelamin().as_deref() {
        Some("F") => (b.pasangan_id.clone(), person.pns_id.clone()),
        _ => (person.pns_id.clone(), b.pasangan_id.clone()),
    };
    let anak = Anak {
        id: text(id),
        nama: text(&b.nama),
        jenis_kelamin: text(&b.jenis_kelamin),
        jenis_anak: text(&b.jenis_anak_id),
        ayah_id: Some(ayah_id),
        ibu_id: Some(ibu_id),
        tempat_lahir: text(""),
        kabupaten_id: text(""),
        tgl_lahir: text(&b.tgl_lahir),
    };
    let mut data: DataAnak = person
        .resource("data-anak")
        .unwrap_or_else(|| DataAnak { id_pns: text(&person.pns_id), list_anak: Vec::new() });
    data.list_anak.push(anak);
    person.set_resource("data-anak", &data);
}
