//! `ospo inventory read`: real SBOMs and lockfiles, read or refused with where and why.

use ospo_e2e::{repo_root, run, stderr, stdout};

fn sboms() -> std::path::PathBuf {
    std::env::var_os("OSPO_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"))
        .join("sboms")
}

#[test]
fn a_real_sbom_is_read_with_its_licences_normalised() {
    let file = sboms().join("cdx-bom-examples/SBOM_keycloak-10.0.2_bom.json");
    let o = run(&["inventory", "read", file.to_str().unwrap(), "-f", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    let text = v.to_string();
    assert!(text.contains("BSD-3-Clause"), "a licence name normalised");
    assert!(text.contains("Apache-2.0"));
    let o = run(&["inventory", "read", file.to_str().unwrap()]);
    assert!(stdout(&o).contains("903"), "{}", stdout(&o));
}

#[test]
fn a_truncated_file_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.cdx.json");
    std::fs::write(
        &path,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", "#,
    )
    .unwrap();
    let o = run(&["inventory", "read", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bom.cdx.json:1:"), "{err}");
    let o = run(&["inventory", "read", "Cargo.lock"]);
    assert_eq!(o.status.code(), Some(2), "a missing file is a failure");
    let lock = repo_root().join("Cargo.lock");
    let o = run(&["inventory", "read", lock.to_str().unwrap(), "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"sqlx\""));
}

// ---- The stored inventory: real SBOMs ingested into services, on SQLite and PostgreSQL. ----

fn db_run(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--database", db]);
    run(&all)
}

fn json_of(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

fn ok_json(db: &str, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let o = db_run(db, &all);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&o)
    );
    json_of(&o)
}

fn file(rel: &str) -> String {
    sboms().join(rel).to_string_lossy().into_owned()
}

const WIKI: &str = "bom-shelter/cyclonedx_mediawiki-cdx.xml";
const SHOP_OLD: &str = "cdx-bom-examples/SBOM_juice-shop_via_npm_bare_bom.1.4.json";
const SHOP_NEW: &str = "cdx-bom-examples/SBOM_juice-shop_v11.1.2_bom.json";
const BOXES: &str = "bom-shelter/cyclonedx_ascii-boxes-sbom-cdx.json";
const REFUSED: &str = "bom-shelter/cyclonedx_bashrc2-sbom-cdx.json";

/// The versions of an npm package a CycloneDX JSON file lists (nested components included).
fn versions_in(rel: &str, name: &str) -> std::collections::BTreeSet<String> {
    fn walk(cs: &serde_json::Value, name: &str, out: &mut std::collections::BTreeSet<String>) {
        for c in cs.as_array().into_iter().flatten() {
            if c["name"] == name {
                out.insert(c["version"].as_str().unwrap().to_owned());
            }
            walk(&c["components"], name, out);
        }
    }
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sboms().join(rel)).unwrap()).unwrap();
    let mut out = std::collections::BTreeSet::new();
    walk(&v["components"], name, &mut out);
    out
}

/// Adds a service, or edits it when its slug is taken (`ospo inventory services add`).
fn put_service(db: &str, slug: &str, name: &str, criticality: &str, exposure: &str) {
    let o = db_run(
        db,
        &[
            "inventory",
            "services",
            "add",
            slug,
            "--name",
            name,
            "--owner",
            "IT-CDA",
            "--criticality",
            criticality,
            "--exposure",
            exposure,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn add_services(db: &str) {
    for (slug, name, criticality, exposure) in [
        ("wiki", "Lab wiki", "critical", "external"),
        ("shop", "Lab shop", "important", "external"),
        ("boxes", "Console boxes", "critical", "internal"),
        ("idle", "Not yet inventoried", "standard", "internal"),
    ] {
        put_service(db, slug, name, criticality, exposure);
    }
}

fn inventory_scenario(db: &str) {
    add_services(db);
    let ingest = |service: &str, date: &str, files: &[&str]| {
        let paths: Vec<String> = files.iter().map(|f| file(f)).collect();
        let mut args = vec!["inventory", "ingest", "--service", service, "--date", date];
        args.extend(paths.iter().map(String::as_str));
        ok_json(db, &args)
    };
    let wiki = ingest("wiki", "2026-02-01", &[WIKI]);
    assert_eq!(wiki["snapshot"]["usages"], 196, "{wiki}");
    assert_eq!(wiki["snapshot"]["sources"][0]["format"], "CycloneDX XML");
    let old = ingest("shop", "2026-01-10", &[SHOP_OLD]);
    let new = ingest("shop", "2026-03-10", &[SHOP_NEW]);
    assert_eq!(new["latest"], true);
    ingest("boxes", "2026-02-01", &[BOXES]);

    // A refused file refuses the whole ingest: nothing changes.
    let before = ok_json(db, &["inventory", "survey"]);
    let o = db_run(
        db,
        &[
            "inventory",
            "ingest",
            "--service",
            "wiki",
            &file(WIKI),
            &file(REFUSED),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("cyclonedx_bashrc2-sbom-cdx.json")
            && stderr(&o).contains("not a format"),
        "{}",
        stderr(&o)
    );
    let after = ok_json(db, &["inventory", "survey"]);
    assert_eq!(before, after, "a refused ingest stored something");
    assert_eq!(after["snapshots"], 4);
    assert_eq!(after["without_inventory"], serde_json::json!(["idle"]));

    // Where-used, npm range: the lodash versions of the shop's latest file within the range.
    let in_new = versions_in(SHOP_NEW, "lodash");
    let in_old = versions_in(SHOP_OLD, "lodash");
    assert!(!in_new.is_empty() && !in_old.is_empty());
    let w = ok_json(db, &["inventory", "where-used", "lodash", ">=4.0.0 <5"]);
    let found: std::collections::BTreeSet<String> = w["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["component"]["version"].as_str().unwrap().to_owned())
        .collect();
    let expected: std::collections::BTreeSet<String> = in_new
        .union(&in_old)
        .filter(|v| v.starts_with('4'))
        .cloned()
        .collect();
    assert_eq!(found, expected);
    for m in w["matches"].as_array().unwrap() {
        let v = m["component"]["version"].as_str().unwrap();
        let now: Vec<&str> = m["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["slug"].as_str().unwrap())
            .collect();
        assert_eq!(
            now == ["shop"],
            in_new.contains(v),
            "{v} in the latest snapshot"
        );
        let snaps: Vec<i64> = m["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["snapshot"].as_i64().unwrap())
            .collect();
        assert_eq!(
            snaps.contains(&old["snapshot"]["id"].as_i64().unwrap()),
            in_old.contains(v),
            "{v} in the older snapshot"
        );
    }
    // A service edit shows in where-used answers at once: name and context of the current uses.
    let edit =
        |name: &str, criticality: &str| put_service(db, "shop", name, criticality, "external");
    edit("Lab web shop", "critical");
    let w = ok_json(db, &["inventory", "where-used", "lodash", ">=4.0.0 <5"]);
    let uses: Vec<&serde_json::Value> = w["matches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["services"].as_array().unwrap())
        .collect();
    assert!(!uses.is_empty());
    for u in uses {
        assert_eq!(
            (&u["name"], &u["criticality"]),
            (
                &serde_json::json!("Lab web shop"),
                &serde_json::json!("critical")
            ),
            "{u}"
        );
    }
    edit("Lab shop", "important");

    // By package URL with a version; a range outside every version finds nothing.
    let w = ok_json(
        db,
        &[
            "inventory",
            "where-used",
            "pkg:alpine/ghostscript@9.56.1-r0",
        ],
    );
    assert_eq!(w["services"], serde_json::json!(["wiki"]));
    let w = ok_json(db, &["inventory", "where-used", "lodash", "<1"]);
    assert_eq!(w["matches"].as_array().unwrap().len(), 0);
    // A range the ecosystem has no syntax for, or in the wrong syntax: a clear error.
    let o = db_run(db, &["inventory", "where-used", "busybox", ">=1.0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no range syntax") && stderr(&o).contains("alpine"),
        "{}",
        stderr(&o)
    );
    let o = db_run(db, &["inventory", "where-used", "lodash", "[4.0,5.0)"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("npm ranges"), "{}", stderr(&o));

    // Critical or exposed services with strong or network copyleft, direct or transitive.
    let d = ok_json(
        db,
        &[
            "inventory",
            "dependents",
            "--category",
            "strong-copyleft",
            "--category",
            "network-copyleft",
        ],
    );
    let slugs: Vec<&str> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["service"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["boxes", "wiki"], "{d}");
    let wiki_components: Vec<&str> = d[1]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["component"]["name"].as_str().unwrap())
        .collect();
    assert!(wiki_components.contains(&"ghostscript") && wiki_components.contains(&"busybox"));
    assert_eq!(d[0]["components"][0]["component"]["name"], "libunistring");
    let critical = ok_json(
        db,
        &[
            "inventory",
            "dependents",
            "--category",
            "network-copyleft",
            "--services",
            "critical",
        ],
    );
    assert_eq!(critical.as_array().unwrap().len(), 1);
    assert_eq!(critical[0]["components"].as_array().unwrap().len(), 1);
    // A service's context is kept in step: boxes no longer critical, no longer listed.
    let o = db_run(
        db,
        &[
            "inventory",
            "services",
            "add",
            "boxes",
            "--name",
            "Console boxes",
            "--owner",
            "IT-CDA",
            "--criticality",
            "standard",
            "--exposure",
            "internal",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d = ok_json(
        db,
        &[
            "inventory",
            "dependents",
            "--category",
            "strong-copyleft",
            "--services",
            "critical",
        ],
    );
    let slugs: Vec<&str> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["service"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["wiki"], "{d}");

    // Policy: AGPL in the externally exposed wiki is an open error; exit 1 until reviewed.
    let o = db_run(
        db,
        &["inventory", "policy", "--service", "wiki", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let p = json_of(&o);
    let agpl: Vec<&serde_json::Value> = p["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "INV001")
        .collect();
    assert_eq!(agpl.len(), 1, "{p}");
    assert_eq!(agpl[0]["component"]["name"], "ghostscript");
    assert_eq!(agpl[0]["review"]["state"], "open");
    let package = agpl[0]["component"]["package"].as_str().unwrap().to_owned();
    // Accepting needs a reason.
    let o = db_run(
        db,
        &[
            "inventory",
            "review",
            "--service",
            "wiki",
            "--rule",
            "INV001",
            "--package",
            &package,
            "--state",
            "accepted",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("reason"), "{}", stderr(&o));
    for v in p["violations"].as_array().unwrap() {
        let (rule, package) = (
            v["rule"].as_str().unwrap(),
            v["component"]["package"].as_str().unwrap(),
        );
        let o = db_run(
            db,
            &[
                "inventory",
                "review",
                "--service",
                "wiki",
                "--rule",
                rule,
                "--package",
                package,
                "--state",
                "accepted",
                "--reason",
                "ghostscript is only called to render PDFs; not offered to users",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // The review is kept across a new snapshot of the same service.
    ingest("wiki", "2026-04-01", &[WIKI]);
    let o = db_run(
        db,
        &["inventory", "policy", "--service", "wiki", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "all accepted: {}", stdout(&o));
    let p = json_of(&o);
    assert!(p["accepted"].as_u64().unwrap() >= 1);
    assert_eq!(p["open"], 0);
    assert!(
        p["violations"][0]["review"]["reason"]
            .as_str()
            .unwrap()
            .contains("render PDFs")
    );
    let o = db_run(
        db,
        &[
            "inventory",
            "review",
            "--service",
            "wiki",
            "--rule",
            "INV001",
            "--package",
            &package,
            "--state",
            "to-fix",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = db_run(db, &["inventory", "policy", "--service", "wiki"]);
    assert_eq!(o.status.code(), Some(1), "to fix is unresolved");
    assert!(stdout(&o).contains("[to-fix"), "{}", stdout(&o));

    // Diff between the shop's two snapshots, by number and by date, checked against the files.
    let diff = ok_json(
        db,
        &[
            "inventory",
            "diff",
            "--service",
            "shop",
            "2026-01-31",
            "latest",
        ],
    );
    assert_eq!(diff["from"]["id"], old["snapshot"]["id"]);
    assert_eq!(diff["to"]["id"], new["snapshot"]["id"]);
    let lodash = diff["version_changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["package"] == "pkg:npm/lodash");
    if in_old != in_new {
        let c = lodash.expect("lodash's versions changed");
        let before: std::collections::BTreeSet<String> =
            serde_json::from_value(c["before"].clone()).unwrap();
        assert_eq!(before, in_old);
    } else {
        assert!(lodash.is_none());
    }
    let by_id = ok_json(
        db,
        &[
            "inventory",
            "diff",
            "--service",
            "shop",
            &old["snapshot"]["id"].to_string(),
            &new["snapshot"]["id"].to_string(),
        ],
    );
    assert_eq!(by_id["added"], diff["added"]);
    assert!(!diff["added"].as_array().unwrap().is_empty());
    assert!(!diff["removed"].as_array().unwrap().is_empty());
    let o = db_run(
        db,
        &["inventory", "diff", "--service", "shop", "2025-01-01"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no snapshot on or before 2025-01-01"),
        "{}",
        stderr(&o)
    );

    // The survey counts what is there.
    let s = ok_json(db, &["inventory", "survey", "--top", "10"]);
    assert_eq!(s["services"], 4);
    assert_eq!(s["inventoried"], 3);
    let categories: Vec<&str> = s["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(categories.contains(&"network-copyleft") && categories.contains(&"permissive"));
}

#[test]
fn real_sboms_ingested_and_queried_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    inventory_scenario(db.to_str().unwrap());
}

#[test]
fn real_sboms_ingested_and_queried_on_postgres() {
    inventory_scenario(&ospo_e2e::fresh_postgres());
}

#[test]
fn an_unknown_service_or_bad_input_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    let db = db.to_str().unwrap();
    let o = db_run(
        db,
        &["inventory", "ingest", "--service", "nothing", &file(BOXES)],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no service 'nothing'"),
        "{}",
        stderr(&o)
    );
    let o = db_run(
        db,
        &[
            "inventory",
            "services",
            "add",
            "x",
            "--name",
            "X",
            "--owner",
            "IT",
            "--criticality",
            "urgent",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("urgent") && stderr(&o).contains("critical"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn inventory_help() {
    for args in [
        &["inventory", "--help"][..],
        &["inventory", "where-used", "--help"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0));
        insta::assert_snapshot!(format!("help {}", args.join(" ")), stdout(&o));
    }
}

// ---- The inventory over HTTP: who may read and write, uploads, the service and component pages.

fn access(db: &str, args: &[&str]) -> String {
    let mut all = vec!["access", "--database", db];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o).trim().to_owned()
}

fn sign_in(s: &ospo_e2e::Server, token: &str) -> String {
    let page = s.get("/login?next=/inventory");
    let pre = page.cookie("ospo_login").expect("the login form's cookie");
    let body =
        serde_urlencoded::to_string([("token", token), ("csrf", &pre), ("next", "/inventory")])
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
    format!(
        "ospo_session={}",
        r.cookie("ospo_session").expect("a session")
    )
}

fn inventory_over_http(db: &str) {
    access(
        db,
        &["account", "olga", "--name", "Olga", "--role", "ospo-member"],
    );
    access(
        db,
        &[
            "account",
            "mia",
            "--name",
            "Mia",
            "--role",
            "maintainer",
            "--maintains",
            "root",
        ],
    );
    let olga = format!("Bearer {}", access(db, &["issue", "olga"]));
    let mia = format!("Bearer {}", access(db, &["issue", "mia"]));
    let s = ospo_e2e::Server::start(db);
    let json = [("Content-Type", "application/json")];
    let service = r#"{"slug": "wiki", "name": "Lab wiki <script>x</script>", "owner": {"department": "IT", "group": "CDA"}, "criticality": "critical", "exposure": "external", "links": ["https://wiki.example.org"]}"#;

    // Anonymous visitors see nothing of the inventory; maintainers may read, not write.
    let r = s.get("/api/inventory/services");
    assert_eq!(r.status, 401, "{}", r.body);
    let r = s.request("POST", "/api/inventory/services", &json, Some(service));
    assert_eq!(r.status, 401);
    let r = s.request(
        "POST",
        "/api/inventory/services",
        &[json[0], ("Authorization", &mia)],
        Some(service),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("only OSPO members"), "{}", r.body);
    let r = s.request(
        "POST",
        "/api/inventory/services",
        &[json[0], ("Authorization", &olga)],
        Some(service),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // An SBOM larger than the API's general body limit (256 KiB) is accepted as an upload.
    let wiki = std::fs::read_to_string(sboms().join(WIKI)).unwrap();
    assert!(wiki.len() > 256 * 1024);
    let upload = "/api/inventory/services/wiki/snapshots?file=mediawiki.cdx.xml&date=2026-02-01";
    let r = s.request("POST", upload, &[("Authorization", &mia)], Some(&wiki));
    assert_eq!(r.status, 403, "a maintainer may not write the inventory");
    let r = s.request("POST", upload, &[("Authorization", &olga)], Some(&wiki));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["snapshot"]["usages"], 196);
    // A refused file: 422 with the reason, and nothing stored.
    let refused = std::fs::read_to_string(sboms().join(REFUSED)).unwrap();
    let r = s.request(
        "POST",
        "/api/inventory/services/wiki/snapshots?file=bashrc2.json",
        &[("Authorization", &olga)],
        Some(&refused),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("not a format"), "{}", r.body);

    let r = s.request(
        "GET",
        "/api/inventory/services/wiki",
        &[("Authorization", &mia)],
        None,
    );
    assert_eq!(r.status, 200, "signed-in staff may read: {}", r.body);
    let page = r.json();
    assert_eq!(
        page["snapshots"].as_array().unwrap().len(),
        1,
        "the refused upload stored nothing"
    );
    assert_eq!(page["components"].as_array().unwrap().len(), 196);
    let r = s.request(
        "GET",
        "/api/inventory/where-used?package=ghostscript&range=%3D9.56.1-r0",
        &[("Authorization", &mia)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["services"], serde_json::json!(["wiki"]));
    let r = s.request(
        "GET",
        "/api/inventory/where-used?package=ghostscript&range=%3E%3D9",
        &[("Authorization", &mia)],
        None,
    );
    assert_eq!(r.status, 400, "alpine has no range syntax: {}", r.body);
    let r = s.request(
        "GET",
        "/api/inventory/dependents?category=network-copyleft",
        &[("Authorization", &mia)],
        None,
    );
    assert_eq!(r.json()[0]["service"]["slug"], "wiki");
    let r = s.request(
        "GET",
        "/api/inventory/policy?service=wiki",
        &[("Authorization", &mia)],
        None,
    );
    let violation = r.json()["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "INV001")
        .cloned()
        .expect("AGPL in an exposed service");
    let review = serde_json::json!({"rule": "INV001", "package": violation["component"]["package"], "state": "to-fix"}).to_string();
    let path = "/api/inventory/services/wiki/reviews";
    let r = s.request(
        "PUT",
        path,
        &[json[0], ("Authorization", &mia)],
        Some(&review),
    );
    assert_eq!(r.status, 403);
    let r = s.request(
        "PUT",
        path,
        &[json[0], ("Authorization", &olga)],
        Some(&review),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let r = s.request(
        "GET",
        "/api/inventory/policy?service=wiki",
        &[("Authorization", &mia)],
        None,
    );
    assert_eq!(r.json()["to_fix"], 1);

    // The lab's own rules, sent with the question: the uses they catch, and only those.
    let rules = r#"{"rules": [{"code": "LAB01", "title": "Weak copyleft in critical services", "severity": "warning", "categories": ["weak-copyleft-library"], "criticality": ["critical"], "advice": "Check it is linked dynamically."}]}"#;
    let r = s.request(
        "POST",
        "/api/inventory/policy?service=wiki",
        &json,
        Some(rules),
    );
    assert_eq!(r.status, 401, "the inventory is not public");
    let r = s.request(
        "POST",
        "/api/inventory/policy?service=wiki",
        &[json[0], ("Authorization", &mia)],
        Some(rules),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let caught: std::collections::BTreeSet<String> = r.json()["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            assert_eq!(v["rule"], "LAB01", "{v}");
            v["component"]["package"].as_str().unwrap().to_owned()
        })
        .collect();
    let page = s
        .request(
            "GET",
            "/api/inventory/services/wiki",
            &[("Authorization", &mia)],
            None,
        )
        .json();
    let weak: std::collections::BTreeSet<String> = page["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["category"] == "weak-copyleft-library")
        .map(|c| c["package"].as_str().unwrap().to_owned())
        .collect();
    assert!(!weak.is_empty(), "MediaWiki's image has LGPL libraries");
    assert_eq!(caught, weak);
    // A misspelt field or an unknown category is refused with what is wrong.
    for (bad, says) in [
        (
            rules.replace("\"title\"", "\"titel\""),
            "unknown field `titel`",
        ),
        (
            rules.replace("weak-copyleft-library", "weakish"),
            "rule LAB01: unknown licence category 'weakish'",
        ),
    ] {
        let r = s.request(
            "POST",
            "/api/inventory/policy",
            &[json[0], ("Authorization", &mia)],
            Some(&bad),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains(says), "{}", r.body);
    }

    // The website: anonymous visitors are sent to sign in; staff see the service and
    // component pages, with untrusted text escaped.
    let r = s.get("/inventory/services/wiki");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/login?next=/inventory/services/wiki")
    );
    let token = mia.trim_start_matches("Bearer ");
    let cookie = sign_in(&s, token);
    let r = s.request(
        "GET",
        "/inventory/services/wiki",
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(r.status, 200, "{}\n{}", r.body, s.log());
    assert!(
        r.body.contains("ghostscript") && r.body.contains("INV001") && r.body.contains("to-fix")
    );
    assert!(!r.body.contains("<script>x</script>") && r.body.contains("&lt;script&gt;"));
    let id = violation["component"]["id"].as_i64().unwrap();
    let r = s.request(
        "GET",
        &format!("/inventory/components/{id}"),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Used by") && r.body.contains("/inventory/services/wiki"),
        "{}",
        r.body
    );
    assert!(r.body.contains("AGPL-3.0-or-later"));
    let r = s.request("GET", "/inventory", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("network-copyleft"));
}

#[test]
fn inventory_over_http_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.db");
    inventory_over_http(db.to_str().unwrap());
}

#[test]
fn inventory_over_http_on_postgres() {
    inventory_over_http(&ospo_e2e::fresh_postgres());
}
