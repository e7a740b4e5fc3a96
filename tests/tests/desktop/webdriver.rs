//! A minimal W3C WebDriver client over reqwest: just what the desktop test needs.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct WebDriver {
    http: reqwest::Client,
    base: String,
    session: String,
}

impl WebDriver {
    /// Wait for the driver at `base` to be ready, then open a session of `application`.
    pub async fn start(base: &str, application: &str) -> WebDriver {
        Self::start_with_args(base, application, &[]).await
    }

    /// [`WebDriver::start`] with command-line arguments for the application (e.g. a deep link).
    pub async fn start_with_args(base: &str, application: &str, args: &[&str]) -> WebDriver {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().expect("http client");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = match http.get(format!("{base}/status")).send().await {
                Ok(r) => r.json::<Value>().await.map(|v| v["value"]["ready"] != json!(false)).unwrap_or(false),
                Err(_) => false,
            };
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "tauri-driver did not become ready at {base}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        // Only `tauri:options`: adding `browserName` breaks session creation with WebKitWebDriver.
        let caps =
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": application, "args": args}}}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("json");
        let session = resp["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {resp}")).to_owned();
        WebDriver { http, base: base.to_owned(), session }
    }

    /// Send one command; the status and the whole response body, whatever the status.
    async fn request(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (reqwest::StatusCode, Value) {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, v) = self.request(method, path, body).await;
        assert!(status.is_success(), "{}/session/{}{path}: {status} {v}", self.base, self.session);
        v["value"].clone()
    }

    /// Run `script` (a function body; `arguments` holds `args`) in the page and return its value.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.cmd(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": args}))).await
    }

    /// Run `script` asynchronously: it ends by calling `arguments[arguments.length - 1]` with its value.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.cmd(reqwest::Method::POST, "/execute/async", Some(json!({"script": script, "args": args}))).await
    }

    /// Resize the window (its outer size; with no window manager, as under Xvfb, that is the page's viewport).
    pub async fn set_window_size(&self, width: u32, height: u32) -> Value {
        self.cmd(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await
    }

    /// Press and release each key in turn on the focused element (W3C key codes, e.g. `"\u{E004}"` for Tab).
    pub async fn press_keys(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| [json!({"type": "keyDown", "value": k}), json!({"type": "keyUp", "value": k})])
            .collect();
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        self.cmd(reqwest::Method::POST, "/actions", Some(body)).await;
    }

    /// The element matching `css` now, if any.
    pub async fn find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let resp = self.http.post(&url).json(&json!({"using": "css selector", "value": css})).send().await.ok()?;
        if !resp.status().is_success() {
            return None;
        }
        let v: Value = resp.json().await.ok()?;
        v["value"][ELEMENT_KEY].as_str().map(str::to_owned)
    }

    /// Wait up to `timeout` for an element matching `css`.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.find(css).await {
                return e;
            }
            if Instant::now() >= deadline {
                panic!("no element {css} after {timeout:?}; the page shows:\n{}", self.page_text().await);
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Wait up to `timeout` until `script` returns a truthy value, and return it.
    pub async fn wait_until(&self, what: &str, script: &str, args: Value, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.execute(script, args.clone()).await;
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            if Instant::now() >= deadline {
                panic!("{what}: not after {timeout:?}; the page shows:\n{}", self.page_text().await);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// The visible text of the page, for failure messages.
    pub async fn page_text(&self) -> String {
        let v = self.execute("return document.body ? document.body.innerText : '';", json!([])).await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Scroll the element to the middle of the view (above the fixed tab bar), then click it. A click the page
    /// intercepts is tried again for a few seconds: right after a sync the screen can still grow above the element
    /// and push it under the tab bar between the scroll and the click. An element covered for good still fails.
    pub async fn click(&self, element: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            self.execute("arguments[0].scrollIntoView({block: 'center'});", json!([{ ELEMENT_KEY: element }])).await;
            let path = format!("/element/{element}/click");
            let (status, v) = self.request(reqwest::Method::POST, &path, Some(json!({}))).await;
            if status.is_success() {
                return;
            }
            let intercepted = v["value"]["error"] == "element click intercepted";
            assert!(intercepted && Instant::now() < deadline, "{path}: {status} {v}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub async fn clear(&self, element: &str) {
        self.cmd(reqwest::Method::POST, &format!("/element/{element}/clear"), Some(json!({}))).await;
    }

    pub async fn type_text(&self, element: &str, text: &str) {
        self.cmd(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text}))).await;
    }

    pub async fn text(&self, element: &str) -> String {
        self.cmd(reqwest::Method::GET, &format!("/element/{element}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Vec<u8> {
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        decode_base64(b64.as_str().unwrap_or_default())
    }

    pub async fn quit(self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).send().await;
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(decode_base64("aGVsbG8="), b"hello");
    assert_eq!(decode_base64("aGk="), b"hi");
}
