//! The card check as a page: what a phone's camera opens from the card's QR code (`GET /api/v1/verify/{token}`
//! with `Accept: text/html`). Indonesian, self-contained (one inline style, allowed by its hash; no script, no
//! image; one link: "open in the app", `mysapk://verify/<token>`, which the installed desktop app handles), every
//! value escaped. API clients get the same check as JSON.

use std::sync::LazyLock;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Datelike, Timelike, Utc};
use mysapk_model::card::{CardCheck, CardInvalid};
use mysapk_model::notification_text::BULAN;
use sha2::{Digest, Sha256};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1c1e21}\
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}\
h1{font-size:1.25rem;margin:0 0 1rem}.status{padding:.75rem 1rem;border-radius:8px;font-weight:600}\
.ok{background:#e6f4ea;color:#13692a}.bad{background:#fde8e8;color:#9b1c1c}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:1rem 0}dt{color:#5f6368}dd{margin:0}\
.note{font-size:.875rem;color:#5f6368}.app{display:inline-block;padding:.6rem 1rem;border-radius:8px;\
background:#1a56db;color:#fff;text-decoration:none;font-weight:600}";

/// The page's policy: nothing but its own inline style; no script of any kind.
pub static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
});

/// Whether the client prefers HTML to JSON (a browser): `text/html` is accepted with a higher quality than
/// `application/json` (which, unnamed, has the quality of `application/*` or `*/*`).
pub fn wants_html(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut html = 0.0_f32;
    let mut json: Option<f32> = None;
    let mut json_range = 0.0_f32;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
            .next()
            .unwrap_or(1.0);
        match media.as_str() {
            "text/html" => html = html.max(q),
            "application/json" => json = Some(json.unwrap_or(0.0).max(q)),
            "application/*" | "*/*" => json_range = json_range.max(q),
            _ => {}
        }
    }
    html > 0.0 && html > json.unwrap_or(json_range)
}

/// `&`, `<`, `>`, `"` and `'` as character references: no value can open a tag or leave an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `3 Desember 2026, 14.05 WIB` (UTC+7, the server's reference time zone).
pub fn wib(t: DateTime<Utc>) -> String {
    let t = (t + chrono::Duration::hours(7)).naive_utc();
    let month = BULAN.get(t.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {}, {:02}.{:02} WIB", t.day(), t.year(), t.hour(), t.minute())
}

fn reason_text(reason: Option<CardInvalid>) -> &'static str {
    match reason {
        Some(CardInvalid::Expired) => {
            "Masa berlaku kode kartu ini telah habis. Pemilik kartu dapat memperbaruinya di aplikasi saat tersambung \
             ke internet."
        }
        Some(CardInvalid::NoAccount) => "Akun pemilik kartu ini tidak ada lagi atau sedang dikunci.",
        Some(CardInvalid::BadSignature) | None => {
            "Tanda tangan kartu tidak cocok: kartu ini bukan terbitan server ini, atau isinya telah diubah."
        }
    }
}

/// The app's own link to a card check (the desktop deep link; phones open the verify URL itself in the app).
const APP_VERIFY_PREFIX: &str = "mysapk://verify/";

/// "Open in the app" for a token shaped like one (base64url parts), else nothing.
fn app_link(token: &str) -> String {
    let shaped = !token.is_empty()
        && token.len() <= mysapk_model::card_token::MAX_TOKEN_LEN
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !shaped {
        return String::new();
    }
    format!(r#"<p><a class="app" href="{APP_VERIFY_PREFIX}{}">Buka di aplikasi MySAPK</a></p>"#, escape(token))
}

/// The page for `check` of `token`, checked at `now`.
pub fn render(check: &CardCheck, token: &str, now: DateTime<Utc>) -> String {
    let mut body = String::new();
    if check.valid {
        body.push_str(r#"<p class="status ok">Kartu ASN sah</p><dl>"#);
        let rows = [
            ("Nama", check.nama.clone()),
            ("NIP", check.nip.clone()),
            ("Instansi", check.instansi_nama.clone()),
            ("Berlaku sampai", check.expires_at.map(wib)),
        ];
        for (label, value) in rows {
            body.push_str(&format!("<dt>{label}</dt><dd>{}</dd>", escape(value.as_deref().unwrap_or("-"))));
        }
        body.push_str("</dl>");
    } else {
        body.push_str(&format!(
            r#"<p class="status bad">Kartu ASN tidak sah</p><p>{}</p>"#,
            escape(reason_text(check.reason))
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>Verifikasi Kartu ASN</title>\
         <style>{STYLE}</style></head><body><main><h1>Verifikasi Kartu ASN</h1>{body}\
         <p class=\"note\">Diperiksa pada {}.</p>{}</main></body></html>\n",
        escape(&wib(now)),
        app_link(token)
    )
}

/// The page as an answer, with its own policy (the security layer keeps a policy a handler set).
pub fn response(check: &CardCheck, token: &str) -> Response {
    let mut response =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], render(check, token, Utc::now())).into_response();
    if let Ok(csp) = HeaderValue::from_str(&CSP) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn browsers_get_html_api_clients_json() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
        assert!(wants_html(&accept(browser)));
        assert!(wants_html(&accept("text/html")));
        assert!(!wants_html(&HeaderMap::new()));
        assert!(!wants_html(&accept("*/*")));
        assert!(!wants_html(&accept("application/json")));
        assert!(!wants_html(&accept("application/json, text/html;q=0.5")));
        assert!(!wants_html(&accept("text/html;q=0")));
        assert!(!wants_html(&accept("text/html, application/json")), "a tie goes to JSON");
    }

    #[test]
    fn every_value_is_escaped() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        let check = CardCheck {
            valid: true,
            reason: None,
            nama: Some("<script>alert(1)</script>".into()),
            nip: Some("1\"><img src=x>".into()),
            instansi_nama: Some("A & B".into()),
            expires_at: DateTime::from_timestamp(1_796_400_000, 0),
        };
        let page = render(&check, "a.b.c", Utc::now());
        assert!(!page.contains("<script") && !page.contains("<img"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && page.contains("A &amp; B"));
    }

    #[test]
    fn the_page_opens_a_token_in_the_app_and_nothing_else() {
        let check =
            CardCheck { valid: false, reason: None, nama: None, nip: None, instansi_nama: None, expires_at: None };
        let page = render(&check, "eyJh.eyJu.c2ln-_", Utc::now());
        assert!(page.contains(r#"<a class="app" href="mysapk://verify/eyJh.eyJu.c2ln-_">"#), "{page}");
        for odd in ["", "a\"onclick=\"x", "javascript:alert(1)", "a b", &"A".repeat(5000)] {
            assert!(!render(&check, odd, Utc::now()).contains("<a "), "{odd}");
        }
    }

    #[test]
    fn dates_in_wib() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T07:05:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(wib(t), "3 Desember 2026, 14.05 WIB");
    }

    #[test]
    fn the_policy_allows_the_style_and_no_script() {
        assert!(CSP.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!CSP.contains("script") && !CSP.contains("unsafe"));
    }
}
