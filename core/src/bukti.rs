//! The bukti PDM: a PDF receipt generated on the device from local data only (works offline): who, when,
//! every proposal with its current state and the reviewer's reason, and each category's completeness.
//! Plain PDF with the built-in Helvetica (WinAnsi), uncompressed content streams, A4 pages.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use chrono::{DateTime, Local};
use mysapk_model::auth::UserInfo;
use mysapk_model::document::BuktiPdm;
use mysapk_model::record::Profile;
use mysapk_model::rules::completeness::{CategoryProgress, CategoryStatus};
use mysapk_model::usulan::{UsulanAction, UsulanState};
use mysapk_model::view::LocalUsulan;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::error::CoreError;
use crate::store::{records, usulan};
use crate::view;
use crate::Core;

pub const TITLE: &str = "Bukti Pemutakhiran Data Mandiri (PDM)";

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const SIZE: f32 = 8.0;
const ROW: f32 = 12.0;

/// The state as printed on the receipt.
pub fn state_label(state: UsulanState) -> &'static str {
    match state {
        UsulanState::Queued => "Menunggu dikirim",
        UsulanState::Submitted => "Diajukan",
        UsulanState::Verified => "Diverifikasi",
        UsulanState::Approved => "Disetujui",
        UsulanState::Returned => "Dikembalikan",
        UsulanState::Rejected => "Ditolak",
        UsulanState::Withdrawn => "Ditarik",
    }
}

fn status_label(status: CategoryStatus) -> &'static str {
    match status {
        CategoryStatus::Complete => "Lengkap",
        CategoryStatus::NeedsAttention => "Perlu perhatian",
        CategoryStatus::Waiting => "Menunggu keputusan",
    }
}

fn category(action: &UsulanAction) -> &'static str {
    match action.history_kind() {
        Some(kind) => kind.rule().label_id,
        None => "Data utama",
    }
}

fn what(action: &UsulanAction) -> String {
    match action {
        UsulanAction::AddHistory { .. } => "Tambah riwayat".into(),
        UsulanAction::ChangeHistory { record_id, .. } => format!("Ubah riwayat {record_id}"),
        UsulanAction::DeleteHistory { record_id, .. } => format!("Hapus riwayat {record_id}"),
        UsulanAction::ChangeOwnerFields { fields } => {
            let mut names = Vec::new();
            for (name, set) in [
                ("alamat", fields.alamat.is_some()),
                ("no. HP", fields.no_hp.is_some()),
                ("e-mail", fields.email.is_some()),
                ("NPWP", fields.npwp.is_some()),
                ("BPJS", fields.bpjs.is_some()),
            ] {
                if set {
                    names.push(name);
                }
            }
            format!("Ubah {}", names.join(", "))
        }
        UsulanAction::ChangeVerifiedFields { fields } => {
            let mut names = Vec::new();
            for (name, set) in [
                ("NIK", fields.nik.is_some()),
                ("agama", fields.agama_id.is_some()),
                ("status kawin", fields.status_kawin_id.is_some()),
                ("tempat lahir", fields.tempat_lahir.is_some()),
                ("gelar", fields.gelar_depan.is_some() || fields.gelar_belakang.is_some()),
            ] {
                if set {
                    names.push(name);
                }
            }
            format!("Ubah {}", names.join(", "))
        }
    }
}

/// When the server received it (its first `submitted` event), or when it was saved here.
fn submitted_at(u: &LocalUsulan) -> chrono::DateTime<chrono::Utc> {
    u.events.iter().find(|e| e.state == UsulanState::Submitted).map_or(u.created_at, |e| e.at)
}

/// Text in the font's single-byte encoding: Latin-1 characters as they are, anything else as `?`.
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| if (c as u32) < 0x100 && !c.is_control() { c as u32 as u8 } else { b'?' }).collect()
}

/// Cut `s` to what fits `width` points at the table's font size (Helvetica averages about half an em).
fn fit(s: &str, width: f32) -> String {
    let max = ((width / (SIZE * 0.5)) as usize).max(4);
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 3).collect();
        format!("{cut}...")
    }
}

/// Lines of text laid out top-down over as many pages as needed.
struct Pages {
    pages: Vec<Content>,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        let mut p = Self { pages: Vec::new(), y: 0.0 };
        p.new_page();
        p
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_H - MARGIN;
    }

    fn current(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Room for `height` more points on this page, or a new page.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, size: f32, font: Name<'static>, s: &str) {
        let y = self.y;
        let bytes = latin1(s);
        let c = self.current();
        c.begin_text();
        c.set_font(font, size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    fn line(&mut self, size: f32, font: Name<'static>, s: &str) {
        self.room(size + 4.0);
        self.y -= size + 4.0;
        self.text(MARGIN, size, font, s);
    }

    /// One table row: cells at the given column offsets, cut to their widths.
    fn row(&mut self, columns: &[(f32, f32)], cells: &[String], font: Name<'static>) {
        self.room(ROW);
        self.y -= ROW;
        for ((x, w), cell) in columns.iter().zip(cells) {
            self.text(MARGIN + x, SIZE, font, &fit(cell, *w));
        }
    }

    fn rule(&mut self) {
        let y = self.y - 3.0;
        let c = self.current();
        c.set_line_width(0.5);
        c.move_to(MARGIN, y);
        c.line_to(PAGE_W - MARGIN, y);
        c.stroke();
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }
}

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The receipt's bytes.
pub(crate) fn render(
    user: &UserInfo,
    profile: Option<&Profile>,
    proposals: &[LocalUsulan],
    progress: &[CategoryProgress],
    now: DateTime<Local>,
) -> Vec<u8> {
    let mut p = Pages::new();
    p.line(14.0, BOLD, TITLE);
    p.gap(6.0);
    let name = profile.map(Profile::full_name).unwrap_or_else(|| user.nama.clone());
    let agency = match profile {
        Some(pr) if !pr.unor_nama.is_empty() => format!("{} - {}", pr.instansi_nama, pr.unor_nama),
        Some(pr) => pr.instansi_nama.clone(),
        None => user.instansi_id.clone(),
    };
    for (label, value) in [
        ("Nama", name),
        ("NIP", user.nip.clone()),
        ("Instansi", agency),
        ("Dibuat", now.format("%d-%m-%Y %H:%M:%S %:z").to_string()),
    ] {
        p.row(&[(0.0, 60.0), (60.0, 450.0)], &[label.to_owned(), format!(": {value}")], REGULAR);
    }
    p.gap(10.0);
    p.line(11.0, BOLD, &format!("Usulan ({})", proposals.len()));
    let columns = [(0.0, 95.0), (100.0, 140.0), (245.0, 60.0), (310.0, 70.0), (385.0, 130.0)];
    let header = ["Kategori", "Perubahan", "Diajukan", "Status", "Alasan"].map(String::from);
    p.row(&columns, &header, BOLD);
    p.rule();
    if proposals.is_empty() {
        p.line(SIZE, REGULAR, "Belum ada usulan.");
    }
    for u in proposals {
        let reason = u.reason.clone().or_else(|| u.refusal.as_ref().map(|v| v.message_id.clone())).unwrap_or_default();
        let cells = [
            category(&u.action).to_owned(),
            what(&u.action),
            submitted_at(u).with_timezone(&Local).format("%d-%m-%Y").to_string(),
            state_label(u.state).to_owned(),
            reason,
        ];
        p.row(&columns, &cells, REGULAR);
    }
    p.gap(12.0);
    let complete = progress.iter().filter(|c| c.status == CategoryStatus::Complete).count();
    p.line(11.0, BOLD, &format!("Kelengkapan data ({complete} dari {} kategori lengkap)", progress.len()));
    let columns = [(0.0, 140.0), (150.0, 90.0), (245.0, 60.0), (310.0, 205.0)];
    let header = ["Kategori", "Status", "Data (usulan)", "Catatan"].map(String::from);
    p.row(&columns, &header, BOLD);
    p.rule();
    for c in progress {
        let notes: Vec<&str> = c.reasons.iter().map(|r| r.message_id.as_str()).collect();
        let cells = [
            c.kind.rule().label_id.to_owned(),
            status_label(c.status).to_owned(),
            format!("{} (+{})", c.official_count, c.pending_count),
            notes.join(" "),
        ];
        p.row(&columns, &cells, REGULAR);
    }
    p.gap(12.0);
    p.line(SIZE, REGULAR, "Dokumen ini dibuat oleh aplikasi dari data di perangkat; status terakhir ada di server.");
    write_pdf(p.pages)
}

fn write_pdf(pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.document_info(info).title(TextStr(TITLE)).producer(TextStr("mysapk"));
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    for (i, content) in pages.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

fn save(data_dir: &Path, name: &str, bytes: &[u8]) -> Result<std::path::PathBuf, CoreError> {
    let path = data_dir.join(name);
    let tmp = data_dir.join(format!("{name}.tmp"));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

impl Core {
    /// Generate the bukti PDM from local data (works offline), save it as
    /// `<data_dir>/bukti-pdm-<nip>-<yyyymmdd-hhmmss>.pdf` and return it.
    pub fn bukti_pdm(&self) -> Result<BuktiPdm, CoreError> {
        let account = self.require()?;
        let now = Local::now();
        let (profile, proposals, progress) = account.store.read(|c| {
            let proposals: Vec<LocalUsulan> = usulan::all(c)?.into_iter().map(|u| u.usulan).collect();
            let progress =
                view::progress(&view::official(c)?, &proposals, &view::confirmed_kinds(c)?, now.date_naive());
            Ok((records::profile(c)?, proposals, progress))
        })?;
        let bytes = render(&account.user, profile.as_ref(), &proposals, &progress, now);
        let name = format!("bukti-pdm-{}-{}.pdf", account.user.nip, now.format("%Y%m%d-%H%M%S"));
        let path = save(&self.data_dir, &name, &bytes)?;
        Ok(BuktiPdm {
            path: path.to_string_lossy().into_owned(),
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
        })
    }
}
