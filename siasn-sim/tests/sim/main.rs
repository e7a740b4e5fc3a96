//! The simulator over loopback HTTP, as an integrator meets it.

mod rate_limit;
mod reads;
mod switches;
mod tokens;
mod uploads;
mod writes;

use std::time::Duration;

use mysapk_siasn_sim::{Person, RunningSimulator, SimConfig, Simulator};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub const INSTANSI: &str = "A5EB03E23BF3F6A0E040640A040252AD";
pub const PNS_ID: &str = "8AE4839A6E924C71016E958FDEEE7C48";
pub const NIP: &str = "198503102010011001";

pub async fn start(config: SimConfig) -> RunningSimulator {
    let sim = Simulator::start(config).await.expect("simulator starts");
    sim.data().add_person(Person::new(PNS_ID, NIP, "Budi Santoso", INSTANSI));
    sim
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client")
}

pub async fn apim_token(sim: &RunningSimulator, key: &str, secret: &str) -> Response {
    http()
        .post(sim.apim_token_url())
        .basic_auth(key, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("token request")
}

pub async fn sso_token(sim: &RunningSimulator, client_id: &str, username: &str, password: &str) -> Response {
    let form = format!("grant_type=password&client_id={client_id}&username={username}&password={password}");
    http()
        .post(sim.sso_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("sso request")
}

pub async fn json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json::<Value>().await.expect("json body");
    (status, body)
}

/// An integrator with both tokens.
pub struct Session {
    pub base: String,
    pub apim: String,
    pub sso: String,
}

impl Session {
    pub async fn login(sim: &RunningSimulator) -> Session {
        let (_, apim) = json(apim_token(sim, SimConfig::TEST_APIM_KEY, SimConfig::TEST_APIM_SECRET).await).await;
        let (_, sso) = json(
            sso_token(sim, SimConfig::TEST_SSO_CLIENT_ID, SimConfig::TEST_SSO_USERNAME, SimConfig::TEST_SSO_PASSWORD)
                .await,
        )
        .await;
        Session {
            base: sim.base_url(),
            apim: apim["access_token"].as_str().expect("apim token").to_owned(),
            sso: sso["access_token"].as_str().expect("sso token").to_owned(),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        http()
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.apim))
            .header("Auth", format!("bearer {}", self.sso))
            .header("Accept", "application/json")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path).send().await.expect("get")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::POST, path).json(body).send().await.expect("post")
    }

    /// A multipart upload: text fields, then `file`.
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Response {
        let (content_type, body) = multipart(fields, file);
        self.request(reqwest::Method::POST, path)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload")
    }
}

/// A `multipart/form-data` body as any HTTP client writes it.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----simboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A small PDF's bytes.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
