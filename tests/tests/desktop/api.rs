//! The server's HTTP API, used as another device of the ASN or as a reviewer would.

use serde_json::{json, Value};

use crate::harness::test_pdf;
use crate::{ASN, PASSWORD};

pub(crate) async fn api_login(http: &reqwest::Client, base: &str, nip: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"nip": nip, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    v["access_token"].as_str().unwrap_or_else(|| panic!("no token for {nip}: {v}")).to_owned()
}

pub(crate) async fn decide(http: &reqwest::Client, base: &str, nip: &str, usulan_id: &str, decision: &str) {
    let token = api_login(http, base, nip).await;
    let queue: Value = http
        .get(format!("{base}/api/v1/review/queue"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("queue")
        .json()
        .await
        .expect("queue json");
    let listed = queue["items"].as_array().is_some_and(|items| items.iter().any(|i| i["usulan"]["id"] == usulan_id));
    assert!(listed, "{usulan_id} is not in the queue of {nip}: {queue}");
    let resp = http
        .post(format!("{base}/api/v1/review/{usulan_id}/decision"))
        .bearer_auth(&token)
        .json(&json!({"decision": decision}))
        .send()
        .await
        .expect("decision");
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{decision} by {nip}: {status} {body}");
}

/// The ASN proposes a new name for their newest jabatan record over HTTP (as another device of theirs would).
pub(crate) async fn propose_over_http(http: &reqwest::Client, base: &str, new_name: &str) -> String {
    let token = api_login(http, base, ASN).await;
    let mut cursor: Option<String> = None;
    let mut newest: Option<Value> = None;
    loop {
        let mut req = http.get(format!("{base}/api/v1/sync")).bearer_auth(&token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let page: Value = req.send().await.expect("pull").json().await.expect("pull json");
        for c in page["changes"].as_array().cloned().unwrap_or_default() {
            let r = &c["record"];
            if c["type"] == "history" && r["data"]["kind"] == "jabatan" {
                let newer = newest.as_ref().is_none_or(|n| {
                    r["data"]["tmt_jabatan"].as_str().unwrap_or("") > n["data"]["tmt_jabatan"].as_str().unwrap_or("")
                });
                if newer {
                    newest = Some(r.clone());
                }
            }
        }
        if page["has_more"] != json!(true) {
            break;
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
    }
    let record = newest.expect("the ASN has a jabatan record");
    let mut data = record["data"].clone();
    data["jabatan_nama"] = json!(new_name);
    let document = upload_pdf(http, base, &token, "872", &test_pdf(new_name)).await;
    let usulan_id = uuid::Uuid::new_v4().to_string();
    let push = json!({
        "device_id": uuid::Uuid::new_v4().to_string(),
        "mutations": [{
            "id": uuid::Uuid::new_v4().to_string(),
            "seq": 1,
            "op": "propose",
            "usulan_id": usulan_id,
            "action": {"type": "change_history", "record_id": record["id"], "data": data},
            "documents": [document],
        }],
    });
    let resp: Value = http
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(&token)
        .json(&push)
        .send()
        .await
        .expect("push")
        .json()
        .await
        .expect("push json");
    assert_eq!(resp["results"][0]["status"], "applied", "propose: {resp}");
    usulan_id
}

/// Upload `pdf` in one chunk (it is small) and return its document reference for a proposal.
pub(crate) async fn upload_pdf(http: &reqwest::Client, base: &str, token: &str, dokumen_id: &str, pdf: &[u8]) -> Value {
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(pdf));
    let resp = http
        .patch(format!("{base}/api/v1/documents/{sha256}"))
        .bearer_auth(token)
        .header("Upload-Offset", "0")
        .header("Upload-Length", pdf.len().to_string())
        .header("Content-Type", "application/pdf")
        .body(pdf.to_vec())
        .send()
        .await
        .expect("upload");
    let status: Value = resp.json().await.expect("upload status json");
    assert_eq!(status["complete"], json!(true), "upload: {status}");
    json!({"sha256": sha256, "dokumen_id": dokumen_id, "mime": "application/pdf", "size": pdf.len(), "file_name": "sk.pdf"})
}
