//! The disclosure and contribution workflow end to end: the real server over HTTP with real
//! accounts and tokens, every path of a request, refusals that change nothing, the audit log,
//! the outbox and its delivery to a webhook listening on loopback; and the same from the CLI.

use ospo_e2e::{Response, Server, repo_root, run, stderr, stdout};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc;
use std::time::Duration;

/// A webhook receiver: a real HTTP listener on loopback that answers 204 and hands over each
/// request's headers and body.
struct Hook {
    url: String,
    received: mpsc::Receiver<(Vec<(String, String)>, String)>,
}

fn hook() -> Hook {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}/hooks/ospo", listener.local_addr().unwrap());
    let (tx, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            headers.push(("request-line".to_owned(), line.trim().to_owned()));
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            let length: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            stream
                .write_all(
                    b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .unwrap();
            if tx
                .send((headers, String::from_utf8(body).unwrap()))
                .is_err()
            {
                break;
            }
        }
    });
    Hook { url, received }
}

const SECRET: &str = "whsec-9f1c2e-not-for-logs";

struct Env {
    s: Server,
    dev: String,
    dev2: String,
    anna: String,
    kim: String,
    hook: Hook,
}

fn access(db: &str, args: &[&str]) -> String {
    let mut all = vec!["access", "--database", db];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).trim().to_owned()
}

fn setup(db: &str) -> Env {
    let hook = hook();
    let s = Server::start_with(
        db,
        &[
            ("--webhook-url", hook.url.as_str()),
            ("ENV:OSPO_WEBHOOK_SECRET", SECRET),
        ],
    );
    for (id, name, role) in [
        ("dev", "Dana Developer", "maintainer"),
        ("dev2", "Other Developer", "maintainer"),
        ("anna", "Anna (OSPO)", "ospo-member"),
        ("kim", "Kim (KT)", "kt-reviewer"),
    ] {
        access(db, &["account", id, "--name", name, "--role", role]);
    }
    Env {
        dev: access(db, &["issue", "dev"]),
        dev2: access(db, &["issue", "dev2"]),
        anna: access(db, &["issue", "anna"]),
        kim: access(db, &["issue", "kim"]),
        s,
        hook,
    }
}

impl Env {
    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a));
        }
        let text = body.map(Value::to_string);
        self.s.request(method, path, &headers, text.as_deref())
    }

    fn get(&self, path: &str, token: &str) -> Value {
        let r = self.call("GET", path, Some(token), None);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        r.json()
    }

    /// Takes a step at the disclosure's current version; returns the answer.
    fn step(&self, token: &str, id: u64, step: Value) -> Response {
        let version = self.get(&format!("/api/disclosures/{id}"), &self.anna)["version"].clone();
        let mut body = step;
        body["version"] = version;
        self.call(
            "POST",
            &format!("/api/disclosures/{id}/transitions"),
            Some(token),
            Some(&body),
        )
    }

    fn ok_step(&self, token: &str, id: u64, step: Value) -> Value {
        let r = self.step(token, id, step.clone());
        assert_eq!(r.status, 200, "{step}: {}", r.body);
        r.json()
    }

    fn create(&self, title: &str, kind: &str) -> u64 {
        let r = self.call(
            "POST",
            "/api/disclosures",
            Some(&self.dev),
            Some(&draft(title, kind)),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let d = r.json();
        assert_eq!(d["state"], "draft");
        assert_eq!(
            r.header("location").unwrap(),
            format!("/api/disclosures/{}", d["id"])
        );
        d["id"].as_u64().unwrap()
    }

    /// State, version, audit length and outbox length of a disclosure: what a refusal must
    /// leave as it was.
    fn snapshot(&self, id: u64) -> (Value, Value, usize, usize) {
        let d = self.get(&format!("/api/disclosures/{id}"), &self.anna);
        let audit = self.get(&format!("/api/disclosures/{id}/audit"), &self.anna);
        let outbox = self.get(&format!("/api/notifications?disclosure={id}"), &self.anna);
        (
            d["state"].clone(),
            d["version"].clone(),
            audit.as_array().unwrap().len(),
            outbox.as_array().unwrap().len(),
        )
    }
}

fn draft(title: &str, kind: &str) -> Value {
    json!({
        "title": title,
        "kind": kind,
        "project": {"repository": "https://gitlab.example.org/dev/fitter"},
        "ambitions": {"why": format!("Share {title} with other experiments"), "community": "HEP and medical imaging"},
        "contributors": [
            {"name": "Dana Developer", "affiliation": {"type": "lab"}},
            {"name": "A. Student", "affiliation": {"type": "external", "name": "EPFL"}}
        ],
        "dependencies": {"source": "bom.cdx.json", "components": 12, "licences": {"MIT": 10, "BSD-3-Clause": 2}},
        "intended_licence": "Apache-2.0",
        "uses_outside_physics": [{"domain": "medical imaging", "text": "track reconstruction in PET scanners"}]
    })
}

fn every_path(db: &str) {
    let e = setup(db);

    // Approved: draft, submit, review, recommendation (the engine's), approval, publication.
    let id = e.create("Fast track fitter", "software");
    let mut edited = draft("Fast track fitter", "software");
    edited["ambitions"]["preference"] = json!("permissive");
    let r = e.s.request(
        "PUT",
        &format!("/api/disclosures/{id}"),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &format!("Bearer {}", e.dev)),
            ("If-Match", "\"1\""),
        ],
        Some(&edited.to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("etag"), Some("\"2\""));
    let d = e.ok_step(&e.dev, id, json!({"step": "submit"}));
    assert_eq!(d["state"], "submitted");
    assert_eq!(
        d["steps"],
        json!(["withdraw"]),
        "what the submitter may do now"
    );
    let queue = e.get("/api/disclosures?queue=true", &e.anna);
    assert_eq!(queue[0]["id"], id);
    assert_eq!(e.get("/api/disclosures?queue=true", &e.kim), json!([]));
    let mine = e.get("/api/disclosures?mine=true", &e.dev);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(
        e.get("/api/disclosures", &e.dev2),
        json!([]),
        "others see nothing"
    );
    e.ok_step(&e.anna, id, json!({"step": "start-review"}));
    let version = e.get(&format!("/api/disclosures/{id}"), &e.anna)["version"].clone();
    let r = e.call(
        "POST",
        &format!("/api/disclosures/{id}/reviews"),
        Some(&e.anna),
        Some(&json!({"version": version, "unit": "legal", "comment": "EPFL agreement on file",
            "checklist": [
                {"item": "copyright holders identified and agreements checked", "done": true, "comment": "EPFL student agreement"},
                {"item": "third-party code and licences compatible with the outbound licence", "done": true},
                {"item": "export control checked", "done": false}
            ]})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["reviews"][0]["reviewer"], "anna");
    let advice = e.get(&format!("/api/disclosures/{id}/recommendation"), &e.dev);
    assert_eq!(advice["licence"], "Apache-2.0");
    let reasons = advice["reasons"].to_string();
    assert!(reasons.contains("MIT (10)"), "{reasons}");
    assert!(reasons.contains("intends Apache-2.0"), "{reasons}");
    assert!(
        advice["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["key"] == "osadl-matrix"),
        "{advice}"
    );
    let version = e.get(&format!("/api/disclosures/{id}"), &e.anna)["version"].clone();
    let r = e.call(
        "POST",
        &format!("/api/disclosures/{id}/recommendation"),
        Some(&e.anna),
        Some(&json!({"version": version})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = &r.json()["recommendation"];
    assert_eq!(rec["licence"], "Apache-2.0");
    assert_eq!(rec["computed"], "Apache-2.0");
    e.ok_step(
        &e.anna,
        id,
        json!({"step": "approve", "licence": "Apache-2.0"}),
    );
    let d = e.ok_step(
        &e.anna,
        id,
        json!({"step": "publish", "project": "fast-track-fitter"}),
    );
    assert_eq!(d["state"], "published");
    assert_eq!(d["catalogue_entry"], "fast-track-fitter");
    assert!(d["seconds_to_decision"].as_i64().unwrap() >= 0);
    let p = e.s.get("/api/projects/fast-track-fitter");
    assert_eq!(p.status, 200, "the published project is in the catalogue");
    assert_eq!(p.json()["licence"], "Apache-2.0");
    assert_eq!(p.json()["use_cases"][0]["domain"], "medical imaging");
    let found = e.s.get("/api/projects?q=fitter").json();
    assert_eq!(found["total"], 1);

    // The audit log: every step, attributed, with the state before and after.
    let audit = e.get(&format!("/api/disclosures/{id}/audit"), &e.dev);
    let lines: Vec<String> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let change = a["changes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["field"] == "state")
                .map(|c| {
                    format!(
                        "{}→{}",
                        c["old"].as_str().unwrap_or("-"),
                        c["new"].as_str().unwrap()
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} {}",
                a["actor"].as_str().unwrap(),
                a["action"].as_str().unwrap(),
                change
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "dev create -→draft",
            "dev update ",
            "dev transition draft→submitted",
            "anna transition submitted→in-review",
            "anna update ",
            "anna transition in-review→recommendation",
            "anna transition recommendation→approved",
            "anna transition approved→published",
        ]
    );

    // Approved with conditions, after an override of the engine's licence with a reason.
    let id2 = e.create("Calibration toolkit", "software");
    e.ok_step(&e.dev, id2, json!({"step": "submit"}));
    e.ok_step(&e.anna, id2, json!({"step": "start-review"}));
    let r = e.step(
        &e.anna,
        id2,
        json!({"step": "recommend", "licence": "EUPL-1.2", "reasons": []}),
    );
    assert_eq!(r.status, 422, "an override needs a reason: {}", r.body);
    assert!(
        r.json()["fields"].to_string().contains("override_reason"),
        "{}",
        r.body
    );
    let d = e.ok_step(
        &e.anna,
        id2,
        json!({"step": "recommend", "licence": "EUPL-1.2", "override_reason": "the partner institutes require the EUPL"}),
    );
    assert_eq!(d["recommendation"]["computed"], "Apache-2.0");
    let r = e.step(
        &e.anna,
        id2,
        json!({"step": "approve-with-conditions", "licence": "EUPL-1.2", "conditions": " "}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["fields"], json!(["conditions"]));
    let d = e.ok_step(
        &e.anna,
        id2,
        json!({"step": "approve-with-conditions", "licence": "EUPL-1.2", "conditions": "remove the vendored Numerical Recipes code"}),
    );
    assert_eq!(d["state"], "approved-with-conditions");

    // Declined.
    let id3 = e.create("Beam dump controller", "software");
    e.ok_step(&e.dev, id3, json!({"step": "submit"}));
    e.ok_step(&e.anna, id3, json!({"step": "start-review"}));
    e.ok_step(
        &e.anna,
        id3,
        json!({"step": "recommend", "licence": "Apache-2.0"}),
    );
    let d = e.ok_step(
        &e.anna,
        id3,
        json!({"step": "decline", "reason": "exposes machine-protection internals"}),
    );
    assert_eq!(d["state"], "declined");
    assert_eq!(d["steps"], json!([]));

    // Hardware goes to KT on submission and comes back to the catalogue.
    let id4 = e.create("Baby White Rabbit", "hardware");
    let d = e.ok_step(&e.dev, id4, json!({"step": "submit"}));
    assert_eq!(d["state"], "sent-to-kt");
    assert_eq!(d["office"], "kt");
    assert_eq!(e.get("/api/disclosures?queue=true", &e.kim)[0]["id"], id4);
    // KT records its review while the request is with KT; the OSPO's units wait.
    let review = |token: &str, unit: &str| {
        let version = e.get(&format!("/api/disclosures/{id4}"), &e.anna)["version"].clone();
        e.call(
            "POST",
            &format!("/api/disclosures/{id4}/reviews"),
            Some(token),
            Some(&json!({"version": version, "unit": unit, "comment": "no patent filed"})),
        )
    };
    assert_eq!(review(&e.anna, "legal").status, 403, "with KT, KT reviews");
    let r = review(&e.kim, "kt");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["reviews"][0]["reviewer"], "kim");
    let before = e.snapshot(id4);
    let r = e.step(
        &e.anna,
        id4,
        json!({"step": "decline", "reason": "not ours to decide"}),
    );
    assert_eq!(r.status, 403, "the OSPO does not decide for KT: {}", r.body);
    assert!(r.body.contains("only KT reviewers may"), "{}", r.body);
    let r = e.step(
        &e.kim,
        id4,
        json!({"step": "publish", "project": "baby-wr"}),
    );
    assert_eq!(r.status, 403, "KT informs, the OSPO publishes: {}", r.body);
    assert_eq!(e.snapshot(id4), before, "refusals change nothing");
    let d = e.ok_step(
        &e.anna,
        id4,
        json!({"step": "publish", "project": "baby-wr", "licence": "CERN-OHL-S-2.0"}),
    );
    assert_eq!(d["state"], "published");
    let p = e.s.get("/api/projects/baby-wr").json();
    assert_eq!(
        (p["kind"].as_str(), p["licence"].as_str()),
        (Some("hardware"), Some("CERN-OHL-S-2.0"))
    );

    // Withdrawn, after which nothing more happens.
    let id5 = e.create("Half-done idea", "software");
    e.ok_step(&e.dev, id5, json!({"step": "submit"}));
    let d = e.ok_step(
        &e.dev,
        id5,
        json!({"step": "withdraw", "reason": "not ready"}),
    );
    assert_eq!(d["state"], "withdrawn");
    let before = e.snapshot(id5);
    let r = e.step(&e.anna, id5, json!({"step": "start-review"}));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("withdrawn is final"), "{}", r.body);
    assert_eq!(e.snapshot(id5), before);

    // Wrong roles, impossible steps, stale versions and bad input: refused, nothing changed.
    let id6 = e.create("Refusals", "software");
    let before = e.snapshot(id6);
    let r = e.step(&e.dev2, id6, json!({"step": "submit"}));
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("only its submitter may change it"),
        "{}",
        r.body
    );
    let r = e.step(&e.anna, id6, json!({"step": "approve", "licence": "MIT"}));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("allowed from draft: submit, withdraw"),
        "{}",
        r.body
    );
    let r = e.step(&e.anna, id6, json!({"step": "approve"}));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["fields"], json!(["licence"]), "{}", r.body);
    let r = e.call(
        "POST",
        &format!("/api/disclosures/{id6}/transitions"),
        Some(&e.dev),
        Some(&json!({"version": 99, "step": "submit"})),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("version 99"), "{}", r.body);
    let r = e.call(
        "POST",
        &format!("/api/disclosures/{id6}/transitions"),
        None,
        Some(&json!({"version": 1, "step": "submit"})),
    );
    assert_eq!(r.status, 401);
    let r = e.call(
        "GET",
        &format!("/api/disclosures/{id6}"),
        Some(&e.dev2),
        None,
    );
    assert_eq!(r.status, 403, "another maintainer may not read it");
    let mut bad = draft("Refusals", "firmware");
    let r = e.call("POST", "/api/disclosures", Some(&e.dev), Some(&bad));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["fields"], json!(["kind"]), "{}", r.body);
    bad = draft("", "software");
    let r = e.call("POST", "/api/disclosures", Some(&e.anna), Some(&bad));
    assert_eq!(
        r.status, 403,
        "only maintainers submit disclosures: {}",
        r.body
    );
    let r = e.call("POST", "/api/disclosures", Some(&e.dev), Some(&bad));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["fields"], json!(["title"]));
    let r = e.call(
        "POST",
        "/api/disclosures",
        Some(&e.dev),
        Some(&json!({"title": "Typo", "kind": "software", "ambitons": {}})),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["fields"], json!(["ambitons"]), "{}", r.body);
    assert_eq!(e.snapshot(id6), before, "nothing changed");
    assert_eq!(
        e.call("GET", "/api/disclosures/999", Some(&e.anna), None)
            .status,
        404
    );

    // Contribution requests: asked by a developer, advised by the OSPO.
    let r = e.call(
        "POST",
        "/api/contributions",
        Some(&e.dev),
        Some(&json!({"project": {"name": "scikit-image", "url": "https://github.com/scikit-image/scikit-image", "outside_physics": true},
            "licence": "BSD-3-Clause", "agreement": {"type": "dco"}, "description": "A faster watershed", "significant": true})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let c = r.json()["id"].as_u64().unwrap();
    let advise = |token: &str, body: Value| {
        e.call(
            "POST",
            &format!("/api/contributions/{c}/advice"),
            Some(token),
            Some(&body),
        )
    };
    assert_eq!(
        advise(&e.dev, json!({"version": 1, "verdict": "go"})).status,
        403
    );
    let r = advise(&e.anna, json!({"version": 1, "verdict": "no-go"}));
    assert_eq!(r.status, 422, "a no-go needs its reason: {}", r.body);
    let r = advise(
        &e.anna,
        json!({"version": 1, "verdict": "go-with-conditions", "text": "Sign off every commit."}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        advise(&e.anna, json!({"version": 1, "verdict": "go"})).status,
        409,
        "stale"
    );
    assert_eq!(e.get("/api/contributions?pending=true", &e.anna), json!([]));
    assert_eq!(
        e.get(&format!("/api/contributions/{c}"), &e.dev)["advice"]["verdict"],
        "go-with-conditions"
    );

    // The outbox: who was told what, and the webhook got each message.
    let outbox = e.get(&format!("/api/notifications?disclosure={id}"), &e.anna);
    let to: Vec<String> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["recipient"].as_str().unwrap(),
                n["payload"]["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        to,
        [
            "account:dev submitted",
            "office:ospo submitted",
            "account:dev in-review",
            "account:dev recommendation",
            "account:dev approved",
            "account:dev published",
            "office:ospo published",
        ]
    );
    assert!(
        outbox[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Fast track fitter")
    );
    assert_eq!(
        e.call("GET", "/api/notifications", Some(&e.dev), None)
            .status,
        403
    );
    let all = e.get("/api/notifications", &e.anna);
    let total = all.as_array().unwrap().len();
    let mut seen = Vec::new();
    while seen.len() < total {
        let (headers, body) = e
            .hook
            .received
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the webhook got {} of {total} messages", seen.len()));
        let header = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.clone());
        assert_eq!(header("request-line").unwrap(), "POST /hooks/ospo HTTP/1.1");
        assert_eq!(header("authorization"), Some(format!("Bearer {SECRET}")));
        assert_eq!(header("content-type").as_deref(), Some("application/json"));
        let n: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(header("x-ospo-event").as_deref(), n["event"].as_str());
        seen.push(n["id"].as_u64().unwrap());
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), total, "each message once");
    // The deliveries are recorded in the outbox.
    let delivered = loop {
        let all = e.get("/api/notifications", &e.anna);
        if all
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["webhook_at"].is_string())
        {
            break all;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        delivered
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["attempts"] == 0)
    );
    let log = e.s.log();
    assert!(!log.contains(SECRET), "the webhook secret is never logged");
    for t in [&e.dev, &e.anna] {
        assert!(!log.contains(t.as_str()));
    }
}

#[test]
fn every_path_of_a_request_over_http_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    every_path(dir.path().join("w.db").to_str().unwrap());
}

#[test]
fn every_path_of_a_request_over_http_on_postgres() {
    every_path(&ospo_e2e::fresh_postgres());
}

fn sbom(name: &str) -> std::path::PathBuf {
    std::env::var_os("OSPO_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"))
        .join("sboms")
        .join(name)
}

#[test]
fn the_cli_takes_a_request_from_an_sbom_to_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let db = db.to_str().unwrap();
    access(
        db,
        &["account", "dev", "--name", "Dana", "--role", "maintainer"],
    );
    access(
        db,
        &["account", "anna", "--name", "Anna", "--role", "ospo-member"],
    );
    let file = dir.path().join("draft.json");
    let mut d = draft("Keycloak theme tools", "software");
    d.as_object_mut().unwrap().remove("dependencies");
    d.as_object_mut().unwrap().remove("intended_licence");
    std::fs::write(&file, d.to_string()).unwrap();
    let ospo = |who: &str, args: &[&str]| {
        let mut all = vec!["disclosure", "--database", db, "--as", who];
        all.extend_from_slice(args);
        run(&all)
    };
    let bom = sbom("bom-shelter/cyclonedx_text-statistician-cdx.json");
    let o = ospo(
        "dev",
        &[
            "new",
            file.to_str().unwrap(),
            "--dependencies",
            bom.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "disclosure 1 created (draft, version 1)\n");
    let o = ospo("dev", &["step", "1", "submit"]);
    assert_eq!(
        stdout(&o),
        "disclosure 1: draft → submitted (version 2)\n",
        "{}",
        stderr(&o)
    );
    let o = ospo("dev", &["step", "1", "start-review"]);
    assert_eq!(o.status.code(), Some(2), "a maintainer does not review");
    assert!(
        stderr(&o).contains("only OSPO members may; you may: withdraw"),
        "{}",
        stderr(&o)
    );
    assert!(
        ospo("anna", &["step", "1", "start-review"])
            .status
            .success()
    );
    let o = ospo(
        "anna",
        &[
            "review",
            "1",
            "--unit",
            "it",
            "--done",
            "1",
            "--comment",
            "history scanned",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ospo("anna", &["review", "1", "--unit", "it", "--done", "7"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("items 1 to 2"), "{}", stderr(&o));
    let o = ospo("anna", &["recommendation", "1"]);
    let text = stdout(&o);
    assert!(text.starts_with("recommended licence: "), "{text}");
    assert!(
        text.contains("from "),
        "the SBOM is named as the source: {text}"
    );
    assert!(text.contains("sources: "), "{text}");
    let json: Value = serde_json::from_str(&stdout(&ospo(
        "anna",
        &["recommendation", "1", "-f", "json"],
    )))
    .unwrap();
    assert!(
        json["reasons"][0]
            .as_str()
            .unwrap()
            .contains("component(s)"),
        "{json}"
    );
    let o = ospo("anna", &["recommend", "1", "--licence", "EUPL-1.2"]);
    assert_eq!(o.status.code(), Some(2), "an override needs a reason");
    assert!(stderr(&o).contains("override_reason"), "{}", stderr(&o));
    let o = ospo("anna", &["recommend", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let engine = json["licence"].as_str().unwrap().to_owned();
    assert_eq!(
        stdout(&o),
        format!("disclosure 1: {engine} recommended (the engine's: {engine})\n")
    );
    assert!(
        ospo("anna", &["step", "1", "approve", "--licence", &engine])
            .status
            .success()
    );
    let o = ospo(
        "anna",
        &["step", "1", "publish", "--project", "keycloak-theme-tools"],
    );
    assert_eq!(
        stdout(&o),
        "disclosure 1: approved → published (version 7)\n",
        "{}",
        stderr(&o)
    );
    let show = stdout(&ospo("dev", &["show", "1"]));
    assert!(
        show.contains("state: published (with the OSPO), version 7"),
        "{show}"
    );
    assert!(
        show.contains("review it by anna: 1/2 done — history scanned"),
        "{show}"
    );
    assert!(
        show.contains("catalogue entry: keycloak-theme-tools"),
        "{show}"
    );
    let audit = stdout(&ospo("dev", &["audit", "1"]));
    assert_eq!(audit.lines().count(), 7, "{audit}");
    assert!(
        audit.contains("state: \"approved\" → \"published\""),
        "{audit}"
    );
    let outbox = stdout(&ospo("anna", &["outbox", "--disclosure", "1"]));
    let first: Value = serde_json::from_str(outbox.lines().next().unwrap()).unwrap();
    assert_eq!(first["recipient"], "account:dev");
    assert_eq!(first["payload"]["to"], "submitted");
    let o = ospo("dev", &["outbox"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "maintainers do not read the outbox"
    );
    let list = stdout(&ospo("dev", &["list", "--mine"]));
    assert!(
        list.contains("published") && list.contains("Keycloak theme tools"),
        "{list}"
    );
    let cat = run(&[
        "catalogue",
        "--database",
        db,
        "show",
        "keycloak-theme-tools",
    ]);
    assert!(cat.status.success(), "{}", stderr(&cat));

    // Contribution requests from the CLI.
    let contrib = |who: &str, args: &[&str]| {
        let mut all = vec!["contribution", "--database", db, "--as", who];
        all.extend_from_slice(args);
        run(&all)
    };
    let o = contrib(
        "dev",
        &[
            "request",
            "--project",
            "scikit-image",
            "--url",
            "https://github.com/scikit-image/scikit-image",
            "--outside-physics",
            "--agreement",
            "dco",
            "--significant",
            "--description",
            "faster watershed",
        ],
    );
    assert_eq!(
        stdout(&o),
        "contribution request 1 filed\n",
        "{}",
        stderr(&o)
    );
    let o = contrib("dev", &["advise", "1", "--verdict", "go"]);
    assert_eq!(o.status.code(), Some(2));
    let o = contrib(
        "anna",
        &[
            "advise",
            "1",
            "--verdict",
            "go-with-conditions",
            "--text",
            "Sign off every commit.",
        ],
    );
    assert_eq!(
        stdout(&o),
        "contribution request 1: go-with-conditions\n",
        "{}",
        stderr(&o)
    );
    let list = stdout(&contrib("dev", &["list"]));
    assert!(
        list.contains("go-with-conditions") && list.contains("(significant)"),
        "{list}"
    );
}

/// A real SMTP receiver on loopback: Python's standard `smtpd` server, writing each message it
/// accepts as a JSON line to `out`. Returns the process and its port.
fn smtp_receiver(out: &std::path::Path) -> (std::process::Child, u16) {
    let script = r#"
import asyncore, json, smtpd, sys, warnings
warnings.simplefilter("ignore")
class Receiver(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        with open(sys.argv[1], "a") as f:
            f.write(json.dumps({"from": mailfrom, "to": rcpttos, "data": data.decode()}) + "\n")
server = Receiver(("127.0.0.1", 0), None)
print(server.socket.getsockname()[1], flush=True)
asyncore.loop()
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-W", "ignore", "-c", script, out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the receiver prints its port");
    (child, line.trim().parse().expect("a port"))
}

#[test]
fn notifications_are_mailed_through_a_relay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let db = db.to_str().unwrap();
    access(
        db,
        &["account", "dev", "--name", "Dana", "--role", "maintainer"],
    );
    let file = dir.path().join("draft.json");
    std::fs::write(&file, draft("Fast track fitter", "software").to_string()).unwrap();
    let cli = |args: &[&str]| {
        let mut all = vec!["disclosure", "--database", db, "--as", "dev"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    cli(&["new", file.to_str().unwrap()]);
    cli(&["step", "1", "submit"]);

    // Credentials go only to a relay on this machine: plain SMTP would expose them.
    let o = run(&[
        "serve",
        "--database",
        db,
        "--listen",
        "127.0.0.1:0",
        "--smtp-url",
        "smtp://mail.example.org",
        "--smtp-from",
        "ospo@lab.example.org",
        "--mail-domain",
        "lab.example.org",
        "--mail-ospo",
        "ospo-office@lab.example.org",
        "--mail-kt",
        "kt@lab.example.org",
        "--smtp-user",
        "ospo",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = ospo_e2e::ospo(&[
        "serve",
        "--database",
        db,
        "--listen",
        "127.0.0.1:0",
        "--smtp-url",
        "smtp://mail.example.org",
        "--smtp-from",
        "ospo@lab.example.org",
        "--mail-domain",
        "lab.example.org",
        "--mail-ospo",
        "ospo-office@lab.example.org",
        "--mail-kt",
        "kt@lab.example.org",
        "--smtp-user",
        "ospo",
    ])
    .env("OSPO_SMTP_PASSWORD", "hunter2-smtp")
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("only sent to a relay on this machine"),
        "{err}"
    );
    assert!(!err.contains("hunter2-smtp"), "{err}");

    let mails = dir.path().join("mails.jsonl");
    let (mut receiver, port) = smtp_receiver(&mails);
    let relay = format!("smtp://127.0.0.1:{port}");
    let s = Server::start_with(
        db,
        &[
            ("--smtp-url", relay.as_str()),
            ("--smtp-from", "ospo-noreply@lab.example.org"),
            ("--mail-domain", "lab.example.org"),
            ("--mail-ospo", "ospo-office@lab.example.org"),
            ("--mail-kt", "kt@lab.example.org"),
        ],
    );
    let received: Vec<Value> = loop {
        let text = std::fs::read_to_string(&mails).unwrap_or_default();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if lines.len() >= 2 {
            break lines;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = receiver.kill();
    let _ = receiver.wait();
    let to: Vec<&str> = received
        .iter()
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    assert_eq!(to, ["dev@lab.example.org", "ospo-office@lab.example.org"]);
    let data = received[0]["data"].as_str().unwrap();
    use base64::Engine as _;
    let subject = base64::engine::general_purpose::STANDARD
        .encode("Disclosure #1 \"Fast track fitter\": draft → submitted");
    assert!(
        data.contains(&format!("Subject: =?UTF-8?B?{subject}?=")),
        "a UTF-8 subject is encoded as RFC 2047 says: {data}"
    );
    assert!(
        data.contains("From: ospo-noreply@lab.example.org"),
        "{data}"
    );
    assert!(data.contains("moved from draft to submitted"), "{data}");
    assert_eq!(received[0]["from"], "ospo-noreply@lab.example.org");
    // Deliveries are recorded in the outbox.
    let outbox = loop {
        let o = run(&["disclosure", "--database", db, "outbox"]);
        let lines: Vec<Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if lines.iter().all(|n| n["email_at"].is_string()) {
            break lines;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(outbox.len(), 2);
    assert!(
        outbox.iter().all(|n| n["webhook_at"].is_null()),
        "no webhook configured"
    );
    drop(s);
}

/// The value of a hidden form field in a page.
fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in the page"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Signs in through the login page with an API token; returns the session cookie.
fn sign_in(s: &Server, token: &str) -> String {
    let page = s.get("/login?next=/disclosures");
    let pre = page.cookie("ospo_login").expect("the login form's cookie");
    let body = serde_urlencoded::to_string([
        ("token", token),
        ("csrf", &hidden(&page.body, "csrf")),
        ("next", "/disclosures"),
    ])
    .unwrap();
    let r = s.request(
        "POST",
        "/login/token",
        &[
            ("Cookie", &format!("ospo_login={pre}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(&body),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    format!("ospo_session={}", r.cookie("ospo_session").unwrap())
}

#[test]
fn the_pages_refuse_forged_stale_and_unauthorised_forms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let e = setup(db.to_str().unwrap());
    let id = e.create("<script>alert(1)</script> fitter", "software");
    let hw = e.create("White Rabbit switch", "hardware");
    e.ok_step(&e.dev, hw, json!({"step": "submit"}));
    let dev = sign_in(&e.s, &e.dev);
    let anna = sign_in(&e.s, &e.anna);
    let kim = sign_in(&e.s, &e.kim);
    let page = |cookie: &str, path: &str| e.s.request("GET", path, &[("Cookie", cookie)], None);
    let post = |cookie: &str, path: &str, pairs: &[(&str, &str)]| {
        e.s.request(
            "POST",
            path,
            &[
                ("Cookie", cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(&serde_urlencoded::to_string(pairs).unwrap()),
        )
    };
    assert_eq!(
        e.s.get(&format!("/disclosures/{id}")).status,
        303,
        "sign in first"
    );
    let mine = page(&dev, &format!("/disclosures/{id}"));
    assert_eq!(mine.status, 200);
    assert!(
        !mine.body.contains("<script>alert(1)</script>"),
        "titles are escaped"
    );
    assert!(mine.body.contains("&lt;script&gt;"));
    assert!(mine.body.contains("Edit the draft"));
    assert!(
        !mine.body.contains("id=\"review-"),
        "no review forms for the submitter"
    );
    let csrf = hidden(&mine.body, "csrf");
    let before = e.snapshot(id);

    // A forged form (no or another session's token) is refused.
    let r = post(
        &dev,
        &format!("/disclosures/{id}/step"),
        &[("csrf", "forged"), ("version", "1"), ("step", "submit")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(e.snapshot(id), before);
    // Another person's request: not even shown.
    assert_eq!(
        page(&sign_in(&e.s, &e.dev2), &format!("/disclosures/{id}")).status,
        403
    );
    // A stale form: refused with why, nothing changed.
    let r = post(
        &dev,
        &format!("/disclosures/{id}/step"),
        &[("csrf", &csrf), ("version", "7"), ("step", "submit")],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("was changed by someone else"), "{}", r.body);
    // The OSPO member may not approve a draft; the page says what is allowed.
    let anna_csrf = hidden(&page(&anna, "/disclosures").body, "csrf");
    let r = post(
        &anna,
        &format!("/disclosures/{id}/step"),
        &[
            ("csrf", &anna_csrf),
            ("version", "1"),
            ("step", "approve"),
            ("licence", "MIT"),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("allowed from draft: submit, withdraw"),
        "{}",
        r.body
    );
    assert_eq!(e.snapshot(id), before);
    // The submitter submits from the page.
    let r = post(
        &dev,
        &format!("/disclosures/{id}/step"),
        &[("csrf", &csrf), ("version", "1"), ("step", "submit")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/disclosures/{id}?done=submit").as_str())
    );

    // KT's queue holds the hardware; its page offers KT's checklist and a decline.
    let queue = page(&kim, "/disclosures");
    assert!(
        queue.body.contains("Knowledge Transfer&#x27;s queue")
            || queue.body.contains("Knowledge Transfer's queue"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("White Rabbit switch"));
    assert!(!queue.body.contains("fitter"), "software is not KT's");
    let hw_page = page(&kim, &format!("/disclosures/{hw}"));
    assert!(hw_page.body.contains("id=\"review-kt\""));
    assert!(
        hw_page.body.contains("id=\"review-legal\""),
        "while KT has it, KT reviews every unit (the office rule)"
    );
    assert!(hw_page.body.contains("id=\"step-decline\""));
    assert!(
        !hw_page.body.contains("id=\"step-publish\""),
        "the OSPO publishes"
    );
    let ospo_hw = page(&anna, &format!("/disclosures/{hw}"));
    assert!(ospo_hw.body.contains("id=\"step-publish\""));
    assert!(
        !ospo_hw.body.contains("id=\"review-"),
        "the OSPO does not review while KT has it"
    );
}
