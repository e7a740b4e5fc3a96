//! Every screen at every size, for every person: the demo ASN, the verifier and the admin visit every screen they
//! can reach (with the app lock's PIN setup and lock screen), at phone (360×800), tablet (768×1024) and desktop
//! (1280×860, the app's default window) size, in the light and the dark theme (the dark one is the system's: the
//! app runs with `GTK_THEME=Adwaita:dark`, which WebKitGTK reports as `prefers-color-scheme: dark`).
//!
//! On each screen and size: axe-core (read from `ui/node_modules`, injected through WebDriver, which the app's CSP
//! does not govern) reports its violations, all printed, none `serious` or `critical` allowed. At phone and tablet
//! size: the page does not scroll sideways (`scrollWidth ≤ innerWidth`), also with the root font size doubled
//! (200 % text), no text box clips its text, and every visible interactive target is at least 44×44 CSS px. A
//! screenshot of each goes to `target/screenshots/<screen>-<phone|tablet|desktop>-<light|dark>.png` (`-200` at
//! 200 % text), and the whole report to `target/screenshots/axe-report.txt`. At desktop size the reviewer's queue
//! and the review stand side by side.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::webdriver::WebDriver;
use crate::{
    app_login, app_logout, binary, launch_app_with, propose_over_http, root, save_screenshot, start_server, target_dir,
    Demo, ASN, LONG, SERIAL, VERIFIER,
};

const ADMIN: &str = "198011202006041001";
/// The app-lock PIN each person sets after their login.
const PIN: &str = "246802";

#[derive(Clone, Copy)]
struct Size {
    name: &'static str,
    width: u32,
    height: u32,
}

const PHONE: Size = Size { name: "phone", width: 360, height: 800 };
const TABLET: Size = Size { name: "tablet", width: 768, height: 1024 };
const DESKTOP: Size = Size { name: "desktop", width: 1280, height: 860 };

/// Runs axe-core on the page and hands back `{violations: [{id, impact, help, nodes: [target…]}]}`.
const RUN_AXE: &str = "const done = arguments[arguments.length - 1];
    axe.run(document, {resultTypes: ['violations']})
      .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\\s+/g, ' ') : ''))}))}))
      .catch(e => done({error: String(e)}));";

/// Visible interactive elements smaller than 44×44 CSS px (a checkbox or radio inside its label counts as the label).
const SMALL_TARGETS: &str = "const out = [];
    const sel = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex=\"-1\"])';
    for (const e of document.querySelectorAll(sel)) {
      let t = e;
      if (e.matches('input[type=checkbox], input[type=radio]') && e.closest('label')) t = e.closest('label');
      const s = getComputedStyle(t);
      if (s.visibility === 'hidden' || s.display === 'none') continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 43.5 || r.height < 43.5) {
        const id = e.id ? '#' + e.id : (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : e.tagName.toLowerCase());
        out.push(`${id} ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;";

/// Elements that clip their own text (overflow hidden or clipped, content wider or taller than the box); the
/// visually hidden labels for screen readers (`.sr`, 1×1 px on purpose) excepted.
const CUT_TEXT: &str = "const out = [];
    for (const e of document.body.querySelectorAll('*')) {
      if (e.closest('.sr')) continue;
      const s = getComputedStyle(e);
      const clipsX = s.overflowX === 'hidden' || s.overflowX === 'clip';
      const clipsY = s.overflowY === 'hidden' || s.overflowY === 'clip';
      if (!clipsX && !clipsY) continue;
      if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
      if ((clipsX && e.scrollWidth > e.clientWidth + 1) || (clipsY && e.scrollHeight > e.clientHeight + 1)) {
        out.push((e.dataset.testid || e.className || e.tagName) + ': ' + e.textContent.trim().slice(0, 40));
      }
    }
    return out;";

/// The innermost elements reaching past the window's right edge (to say what scrolls sideways).
const TOO_WIDE: &str = "const out = [];
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1)) {
        out.push((e.dataset.testid || e.className.baseVal || e.className || e.tagName) + ' ' + Math.round(r.right));
      }
    }
    return out.slice(0, 8).join(', ');";

/// Sideways scrolling of the page: `[scrollWidth, innerWidth]`.
const WIDTHS: &str = "return [document.documentElement.scrollWidth, window.innerWidth];";

struct Run {
    theme: &'static str,
    report: String,
    failures: Vec<String>,
    checked: usize,
}

impl Run {
    /// Check the current screen at every size; the window ends at desktop size.
    async fn screen(&mut self, wd: &WebDriver, screen: &str) {
        for size in [PHONE, TABLET, DESKTOP] {
            self.at(wd, screen, size).await;
        }
    }

    async fn at(&mut self, wd: &WebDriver, screen: &str, size: Size) {
        resize(wd, size).await;
        let label = format!("{screen}-{}-{}", size.name, self.theme);
        inject_axe(wd).await;
        let result = wd.execute_async(RUN_AXE, json!([])).await;
        if let Some(e) = result.get("error") {
            self.failures.push(format!("{label}: axe failed: {e}"));
        }
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        let count = |impact: &str| violations.iter().filter(|v| v["impact"] == impact).count();
        let _ = writeln!(
            self.report,
            "{label}: {} violations (critical {}, serious {}, moderate {}, minor {})",
            violations.len(),
            count("critical"),
            count("serious"),
            count("moderate"),
            count("minor")
        );
        for v in &violations {
            let nodes: Vec<&str> =
                v["nodes"].as_array().map(|n| n.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let _ = writeln!(
                self.report,
                "  [{}] {}: {} ({} nodes)",
                v["impact"].as_str().unwrap_or("?"),
                v["id"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                nodes.len()
            );
            for n in nodes.iter().take(6) {
                let _ = writeln!(self.report, "      {n}");
            }
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                self.failures.push(format!("{label}: axe {} {}", v["impact"], v["id"]));
            }
        }

        if size.name != DESKTOP.name {
            let normal = wd.execute(WIDTHS, json!([])).await;
            let doubled = wd
                .execute(
                    "document.documentElement.style.fontSize = '200%';
                     const w = [document.documentElement.scrollWidth, window.innerWidth];
                     return w;",
                    json!([]),
                )
                .await;
            let cut = wd.execute(CUT_TEXT, json!([])).await;
            let wide_at_200 = if doubled[0].as_f64() > doubled[1].as_f64() {
                wd.execute(TOO_WIDE, json!([])).await.as_str().unwrap_or_default().to_owned()
            } else {
                String::new()
            };
            save_screenshot(wd, &format!("{label}-200")).await;
            wd.execute("document.documentElement.style.fontSize = '';", json!([])).await;
            for (what, w) in [("100 %", &normal), ("200 %", &doubled)] {
                let (scroll, inner) = (w[0].as_f64().unwrap_or(f64::MAX), w[1].as_f64().unwrap_or(0.0));
                let _ = writeln!(self.report, "  width at {what} text: scrollWidth {scroll} innerWidth {inner}");
                if scroll > inner {
                    self.failures.push(format!("{label}: scrolls sideways at {what} text ({scroll} > {inner})"));
                }
            }
            if !wide_at_200.is_empty() {
                let _ = writeln!(self.report, "  wider than the window at 200 %: {wide_at_200}");
            }
            if normal[0].as_f64() > normal[1].as_f64() {
                let _ = writeln!(self.report, "  wider than the window: {}", wd.execute(TOO_WIDE, json!([])).await);
            }
            let cut: Vec<&str> =
                cut.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            if !cut.is_empty() {
                let _ = writeln!(self.report, "  text cut at 200 %: {}", cut.join(" | "));
                self.failures.push(format!("{label}: text cut at 200 %: {}", cut.join(" | ")));
            }
            let small = wd.execute(SMALL_TARGETS, json!([])).await;
            let small: Vec<&str> =
                small.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            if !small.is_empty() {
                let _ = writeln!(self.report, "  targets under 44x44: {}", small.join(", "));
                self.failures.push(format!("{label}: {} targets under 44x44", small.len()));
            }
        }
        save_screenshot(wd, &label).await;
        self.checked += 1;
    }
}

/// Resize the window and wait until the page has the new width.
async fn resize(wd: &WebDriver, size: Size) {
    wd.set_window_size(size.width, size.height).await;
    wd.wait_until(
        &format!("a {}-px wide page", size.width),
        "return window.innerWidth === arguments[0]",
        json!([size.width]),
        Duration::from_secs(10),
    )
    .await;
    // Let the layout (and a chart's resize observer) settle.
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// Put axe-core into the page once per page load.
async fn inject_axe(wd: &WebDriver) {
    if wd.execute("return typeof axe !== 'undefined'", json!([])).await == json!(true) {
        return;
    }
    let src = std::fs::read_to_string(root().join("ui/node_modules/axe-core/axe.min.js"))
        .expect("ui/node_modules/axe-core/axe.min.js (npm ci in ui/)");
    wd.execute(&format!("{src}\n;return typeof axe;"), json!([])).await;
}

/// Click `css` and wait for `ready`, with a moment for late content.
async fn open(wd: &WebDriver, css: &str, ready: &str) {
    wd.click(&wd.wait_for(css, LONG).await).await;
    wd.wait_for(ready, LONG).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// After a login without a PIN the app asks for one (a card above the screen): set it, when asked.
async fn set_pin_if_asked(wd: &WebDriver) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while wd.find("[data-testid=pin-setup]").await.is_none() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    wd.type_text(&wd.wait_for("#pin-setup-pin", LONG).await, PIN).await;
    wd.type_text(&wd.wait_for("#pin-setup-pin2", LONG).await, PIN).await;
    wd.click(&wd.wait_for("#pin-setup-submit", LONG).await).await;
    wd.wait_until("the PIN is set", "return !document.querySelector('[data-testid=pin-setup]');", json!([]), LONG)
        .await;
    true
}

/// The keyboard on the desktop: Tab from the top of the page walks the skip link, the header, the navigation and
/// then the screen, each with a visible focus ring. Returns the focused elements, in order.
async fn tab_walk(wd: &WebDriver, steps: usize) -> Vec<String> {
    // Start at the top of the page, as after a load: focus a mark put before everything (removed after the walk).
    wd.execute(
        "const m = document.createElement('span'); m.id = 'kb-start'; m.tabIndex = -1;
         document.body.prepend(m); m.focus(); window.scrollTo(0, 0);",
        json!([]),
    )
    .await;
    let mut walked = Vec::new();
    for _ in 0..steps {
        wd.press_keys(&["\u{E004}"]).await;
        let v = wd
            .execute(
                "const e = document.activeElement; if (!e || e === document.body) return null;
                 const s = getComputedStyle(e);
                 return [e.id || e.dataset.testid || e.className || e.tagName, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2];",
                json!([]),
            )
            .await;
        let name = v[0].as_str().unwrap_or("(nothing)").to_owned();
        assert_eq!(v[1], json!(true), "no visible focus on {name}");
        walked.push(name);
    }
    wd.execute("document.getElementById('kb-start')?.remove();", json!([])).await;
    walked
}

async fn visit_all(theme: &'static str, env: &[(&str, &str)], dark: bool) -> Run {
    // Another build of the app may be named (to compare one before and after a change); by default the built one.
    let app_bin =
        std::env::var_os("MYSAPK_SCREENS_APP").map(std::path::PathBuf::from).unwrap_or_else(|| binary("mysapk-app"));
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let usulan_id = propose_over_http(&http, &base, "Analis Kepegawaian Ahli Madya").await;
    let (_driver, wd) = launch_app_with(&app_bin, &base, &data_dir, env).await;
    let mut run = Run { theme, report: String::new(), failures: Vec::new(), checked: 0 };

    wd.wait_for("#login-nip", LONG).await;
    let is_dark = wd.execute("return matchMedia('(prefers-color-scheme: dark)').matches", json!([])).await;
    assert_eq!(is_dark, json!(dark), "the page's prefers-color-scheme in the {theme} run");
    run.screen(&wd, "login").await;
    // axe ran although the app's CSP allows scripts from 'self' only: WebDriver's scripts are not the page's. The
    // CSP is in force for the page's own: an inline script is refused.
    let inline_ran = wd
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true';
             document.head.append(s); s.remove(); return window.__inlineRan === true;",
            json!([]),
        )
        .await;
    assert_eq!(inline_ran, json!(false), "the CSP refuses an inline script in the page");

    // The ASN's screens.
    app_login(&wd, ASN).await;
    wd.wait_for("[data-testid=category-list]", LONG).await;
    // The PIN asked after the login, above the beranda.
    wd.wait_for("[data-testid=pin-setup]", LONG).await;
    run.screen(&wd, "pin-setup").await;
    assert!(set_pin_if_asked(&wd).await, "the PIN is asked after the login");
    run.screen(&wd, "beranda").await;
    let walked = tab_walk(&wd, 8).await;
    let _ = writeln!(run.report, "keyboard on the beranda (desktop): {}", walked.join(" → "));
    assert_eq!(walked[0], "skip", "the skip link comes first");
    let nav = walked.iter().position(|w| w == "nav-beranda").expect("Tab reaches the navigation");
    assert!(walked[..nav].iter().all(|w| !w.starts_with("open-")), "the navigation before the screen: {walked:?}");
    open(&wd, "[data-testid=category-jabatan]", "#history-jabatan [data-record-id]").await;
    run.screen(&wd, "category").await;
    open(&wd, "#nav-beranda", "[data-testid=open-data-utama]").await;
    open(&wd, "[data-testid=open-data-utama]", "[data-testid=screen-data_utama]").await;
    run.screen(&wd, "data-utama").await;
    open(&wd, "#nav-beranda", "[data-testid=open-standing]").await;
    open(&wd, "[data-testid=open-standing]", "[data-testid=screen-standing]").await;
    run.screen(&wd, "standing").await;
    open(&wd, "#nav-beranda", "[data-testid=open-card]").await;
    open(&wd, "[data-testid=open-card]", "[data-testid=asn-card][data-loaded=true]").await;
    run.screen(&wd, "card").await;
    open(&wd, "[data-testid=card-check-open]", "[data-testid=screen-card_check]").await;
    run.screen(&wd, "card-check").await;
    open(&wd, "#nav-beranda", "[data-testid=open-audit]").await;
    open(&wd, "[data-testid=open-audit]", "[data-testid=screen-audit]").await;
    run.screen(&wd, "audit").await;
    open(&wd, "#nav-usulan", "[data-testid=screen-usulan]").await;
    run.screen(&wd, "usulan").await;
    open(&wd, "#nav-inbox", "[data-testid=screen-inbox]").await;
    run.screen(&wd, "inbox").await;
    open(&wd, "#nav-devices", "[data-testid=devices-list]").await;
    run.screen(&wd, "devices").await;
    open(&wd, "[data-testid=open-mfa]", "[data-testid=screen-mfa]").await;
    run.screen(&wd, "mfa").await;
    // The lock screen ("lock now" in my devices), then unlocked with the PIN.
    open(&wd, "#nav-devices", "[data-testid=pin-lock-now]").await;
    open(&wd, "[data-testid=pin-lock-now]", "[data-testid=screen-lock]").await;
    run.screen(&wd, "lock").await;
    wd.type_text(&wd.wait_for("#lock-pin", LONG).await, PIN).await;
    wd.click(&wd.wait_for("#lock-submit", LONG).await).await;
    wd.wait_until("unlocked", "return !document.querySelector('[data-testid=screen-lock]');", json!([]), LONG).await;
    app_logout(&wd).await;

    // The verifier's queue and review (the ASN's proposal above waits there).
    app_login(&wd, VERIFIER).await;
    set_pin_if_asked(&wd).await;
    open(&wd, "#nav-queue", &format!("[data-testid='review-row-{usulan_id}']")).await;
    run.screen(&wd, "queue").await;
    for size in [PHONE, TABLET, DESKTOP] {
        resize(&wd, size).await;
        if wd.find("[data-testid=review-screen]").await.is_none() {
            open(&wd, &format!("[data-testid='review-row-{usulan_id}']"), "[data-testid=review-screen]").await;
        }
        run.at(&wd, "review", size).await;
    }
    // At desktop size (the window ends there) the queue and the review sit side by side: the proposal's row left
    // of the review pane, overlapping it vertically.
    let side_by_side = wd
        .execute(
            "const row = document.querySelector(arguments[0]).getBoundingClientRect();
             const pane = document.querySelector('[data-testid=review-pane]').getBoundingClientRect();
             return row.width > 0 && pane.width > 0 && row.right <= pane.left && row.top < pane.bottom;",
            json!([format!("[data-testid='review-row-{usulan_id}']")]),
        )
        .await;
    assert_eq!(side_by_side, json!(true), "the queue and the review side by side at desktop size");
    app_logout(&wd).await;

    // The admin's screens.
    app_login(&wd, ADMIN).await;
    set_pin_if_asked(&wd).await;
    open(&wd, "[data-testid=open-admin]", "[data-testid=screen-admin]").await;
    run.screen(&wd, "admin").await;
    open(&wd, "[data-testid=open-agency-audit]", "[data-testid=agency-audit-list]").await;
    run.screen(&wd, "agency-audit").await;
    // The agency's failed SIASN forwardings (none: this server does not forward).
    open(&wd, "[data-testid=open-siasn-failures]", "[data-testid=siasn-failures-empty]").await;
    run.screen(&wd, "siasn-failures").await;

    wd.quit().await;
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_every_screen_every_size_light_and_dark() {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    let light = visit_all("light", &[("GTK_THEME", "Adwaita")], false).await;
    let dark = visit_all("dark", &[("GTK_THEME", "Adwaita:dark")], true).await;

    let mut report = String::new();
    let mut failures = Vec::new();
    for run in [light, dark] {
        report.push_str(&run.report);
        println!("{} run: {} screen × size checks", run.theme, run.checked);
        failures.extend(run.failures);
    }
    let _ = writeln!(report, "\n{} failures:", failures.len());
    for f in &failures {
        let _ = writeln!(report, "  {f}");
    }
    let _ = writeln!(report, "took {:?}", started.elapsed());
    println!("{report}");
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join("axe-report.txt"), &report).expect("write the report");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
