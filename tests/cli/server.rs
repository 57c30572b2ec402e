//! `ospo serve`: the real server on a seeded SQLite file, over real HTTP.

use ospo_e2e::Server;

fn server() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    (Server::start(db.to_str().unwrap()), dir)
}

#[test]
fn the_first_start_seeds_real_projects_and_the_api_searches_them() {
    let (s, _dir) = server();
    let r = s.get("/api/stats");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["projects"], 213);
    let r = s.get("/api/projects?q=timing&facet=kind:hardware&limit=5");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["total"].as_u64().unwrap() >= 5, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 5);
    assert!(
        v["facets"]["kind"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "hardware" && f["selected"] == true)
    );
    let r = s.get("/api/projects/root");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["licence"], "LGPL-2.1-or-later");
    let etag = r.header("etag").expect("an ETag").to_owned();
    let r = s.request(
        "GET",
        "/api/projects/root",
        &[("If-None-Match", &etag)],
        None,
    );
    assert_eq!(r.status, 304, "a matching ETag is not sent again");
}

#[test]
fn api_errors_are_problem_json_that_say_what_is_wrong() {
    let (s, _dir) = server();
    let r = s.get("/api/projects/no-such-project");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("no-such-project")
    );
    let r = s.get("/api/projects?limit=5000");
    assert_eq!(r.status, 400);
    assert!(r.json()["detail"].as_str().unwrap().contains("limit"));
    let r = s.get("/api/projects?facet=kind");
    assert_eq!(r.status, 400);
    let r = s.request(
        "POST",
        "/api/licences/check",
        &[("Content-Type", "application/json")],
        Some(r#"{"inbound": "MIT AND (", "outbound": "MIT"}"#),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.json()["detail"].as_str().unwrap().contains("column 10"),
        "{}",
        r.body
    );
    let r = s.request(
        "POST",
        "/api/licences/check",
        &[("Content-Type", "application/json")],
        Some("{not json"),
    );
    assert_eq!(r.status, 400);
    let big = format!(
        r#"{{"inbound": "{}", "outbound": "MIT"}}"#,
        "MIT AND ".repeat(40_000)
    );
    let r = s.request(
        "POST",
        "/api/licences/check",
        &[("Content-Type", "application/json")],
        Some(&big),
    );
    assert_eq!(r.status, 413, "bodies over the limit are refused");
    let r = s.get("/api/nothing-here");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
}

#[test]
fn licence_checks_over_http_match_the_cli() {
    let (s, _dir) = server();
    let r = s.get("/api/licences/check?inbound=LGPL-2.1-or-later&outbound=MIT&use=dynamic-link");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["verdict"], "yes");
    let cli = ospo_e2e::run(&[
        "licence",
        "check",
        "LGPL-2.1-or-later",
        "-o",
        "MIT",
        "--use",
        "dynamic-link",
        "-f",
        "json",
    ]);
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(
        v["explanation"], cli["explanation"],
        "the server and the CLI run the same engine"
    );
    let r = s.request(
        "POST",
        "/api/licences/check",
        &[("Content-Type", "application/json")],
        Some(r#"{"inbound": ["MIT OR GPL-2.0-only", "Apache-2.0"], "outbound": "GPL-2.0-only", "use": "merged"}"#),
    );
    assert_eq!(r.json()["verdict"], "no");
    let r = s.get("/api/licences/CERN-OHL-S-2.0");
    assert_eq!(r.json()["category"]["value"], "strong-copyleft");
}

#[test]
fn the_website_escapes_what_it_shows_and_links_licences() {
    let (s, _dir) = server();
    let r = s.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("213<span>projects</span>"), "{}", r.body);
    let r = s.get("/catalogue?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(r.status, 200);
    assert!(
        !r.body.contains("<script>alert(1)</script>"),
        "user input is escaped"
    );
    assert!(
        r.body.contains("&lt;script&gt;"),
        "the query is shown, escaped"
    );
    let r = s.get("/catalogue?q=white+rabbit");
    assert!(r.body.contains("<mark>"), "matches are marked");
    let r = s.get("/projects/root");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains(r#"<a href="/licences/LGPL-2.1-or-later">"#),
        "licences link to their pages"
    );
    let r = s.get("/licences/LGPL-2.1-or-later");
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains("Compatibility with common outbound licences")
    );
    assert!(r.body.contains("OSADL"), "verdicts name their sources");
    let r = s.get("/licences/mit");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/licences/MIT"));
    let r = s.get("/projects/nothing-here");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("There is no project"));
}

fn access(db: &str, args: &[&str]) -> String {
    let mut all = vec!["access", "--database", db];
    all.extend_from_slice(args);
    let o = ospo_e2e::run(&all);
    assert!(o.status.success(), "{args:?}: {}", ospo_e2e::stderr(&o));
    ospo_e2e::stdout(&o).trim().to_owned()
}

fn json_put(
    s: &Server,
    path: &str,
    token: Option<&str>,
    if_match: Option<&str>,
    body: &str,
) -> ospo_e2e::Response {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    if let Some(m) = if_match {
        headers.push(("If-Match", m));
    }
    s.request("PUT", path, &headers, Some(body))
}

/// The role matrix over HTTP: who may create, edit own/other projects and delete; every
/// update names the version it edits and a stale one gets 412.
fn role_matrix(db: &str) {
    let s = Server::start(db);
    access(
        db,
        &["account", "anna", "--name", "Anna", "--role", "ospo-member"],
    );
    access(
        db,
        &[
            "account",
            "dev",
            "--name",
            "Dev",
            "--role",
            "maintainer",
            "--maintains",
            "indico",
        ],
    );
    let curator = access(db, &["issue", "anna"]);
    let dev = access(db, &["issue", "dev"]);
    assert!(curator.starts_with("ospo_") && dev.starts_with("ospo_"));

    let indico = s.get("/api/projects/indico");
    let etag = indico.header("etag").unwrap().to_owned();
    let mut doc = indico.json();
    doc["summary"] = "Event management, edited by its maintainer".into();
    let body = doc.to_string();

    let r = json_put(&s, "/api/projects/indico", None, Some(&etag), &body);
    assert_eq!(r.status, 401, "anonymous writes are refused: {}", r.body);
    let r = json_put(
        &s,
        "/api/projects/indico",
        Some("ospo_nottherighttoken"),
        Some(&etag),
        &body,
    );
    assert_eq!(r.status, 401);
    let r = json_put(&s, "/api/projects/indico", Some(&dev), None, &body);
    assert_eq!(r.status, 428, "an update without If-Match is refused");
    let r = json_put(&s, "/api/projects/indico", Some(&dev), Some(&etag), &body);
    assert_eq!(
        r.status, 200,
        "a maintainer edits their own project: {}",
        r.body
    );
    let new_etag = r.header("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let r = json_put(
        &s,
        "/api/projects/indico",
        Some(&curator),
        Some(&etag),
        &body.replace("its maintainer", "someone late"),
    );
    assert_eq!(r.status, 412, "a stale update is refused: {}", r.body);
    assert_eq!(
        s.get("/api/projects/indico").json()["summary"],
        "Event management, edited by its maintainer"
    );

    let mut other = s.get("/api/projects/rucio");
    let other_etag = other.header("etag").unwrap().to_owned();
    let mut odoc = other.json();
    odoc["summary"] = "not mine".into();
    other = json_put(
        &s,
        "/api/projects/rucio",
        Some(&dev),
        Some(&other_etag),
        &odoc.to_string(),
    );
    assert_eq!(
        other.status, 403,
        "a maintainer may not edit another project"
    );
    let r = json_put(
        &s,
        "/api/projects/rucio",
        Some(&curator),
        Some(&other_etag),
        &odoc.to_string(),
    );
    assert_eq!(r.status, 200, "the OSPO curates every project");

    let new = r#"{"slug": "new-tool", "name": "New tool", "kind": "software", "created_at": "2026-11-25T00:00:00Z", "updated_at": "2026-11-25T00:00:00Z"}"#;
    let post = |token: &str| {
        let auth = format!("Bearer {token}");
        s.request(
            "POST",
            "/api/projects",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &auth),
            ],
            Some(new),
        )
    };
    assert_eq!(post(&dev).status, 403, "maintainers do not add projects");
    let created = post(&curator);
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("location"), Some("/api/projects/new-tool"));
    let auth = format!("Bearer {curator}");
    let del = s.request(
        "DELETE",
        "/api/projects/new-tool",
        &[("Authorization", &auth), ("If-Match", "\"1\"")],
        None,
    );
    assert_eq!(del.status, 204);
    assert_eq!(s.get("/api/projects/new-tool").status, 404);
    let log = s.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        lines.iter().any(|l| l["method"] == "PUT"
            && l["path"] == "/api/projects/indico"
            && l["status"] == 412),
        "one JSON line per request:\n{log}"
    );
    assert!(
        !log.contains(&dev) && !log.contains(&curator),
        "tokens never reach the log"
    );
    access(db, &["revoke", "dev"]);
    let r = json_put(
        &s,
        "/api/projects/indico",
        Some(&dev),
        Some(&new_etag),
        &body,
    );
    assert_eq!(r.status, 401, "a revoked token no longer works");
}

#[test]
fn writes_follow_the_role_matrix_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    role_matrix(dir.path().join("w.db").to_str().unwrap());
}

#[test]
fn writes_follow_the_role_matrix_on_postgres() {
    role_matrix(&ospo_e2e::fresh_postgres());
}

#[test]
fn guides_and_the_partners_page_render_from_the_repository() {
    let (s, _dir) = server();
    let r = s.get("/guides");
    assert_eq!(r.status, 200);
    for g in [
        "open-sourcing",
        "choosing-a-licence",
        "reuse",
        "contributing",
    ] {
        assert!(r.body.contains(&format!("/guides/{g}")), "{g} is listed");
        let page = s.get(&format!("/guides/{g}"));
        assert_eq!(page.status, 200, "{g}");
        assert!(page.body.contains("<h1>"), "{g} is rendered from Markdown");
    }
    let reuse = s.get("/guides/reuse");
    assert!(reuse.body.contains("SPDX-License-Identifier"));
    assert!(reuse.body.contains("<pre>"), "code blocks are rendered");
    assert_eq!(s.get("/guides/nothing").status, 404);
    let p = s.get("/partners");
    assert_eq!(p.status, 200);
    assert!(
        p.body.contains("<h2>finance</h2>"),
        "grouped by application domain"
    );
    assert!(
        p.body.contains("/projects/root"),
        "ROOT's use in finance is listed"
    );
}

#[test]
fn the_openapi_document_describes_the_routes_that_exist() {
    let (s, _dir) = server();
    let r = s.get("/api/openapi.json");
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 9, "{:?}", paths.keys());
    for (path, item) in paths {
        let concrete = path.replace("{slug}", "root").replace("{id}", "MIT");
        for method in item.as_object().unwrap().keys() {
            let r = s.request(&method.to_uppercase(), &concrete, &[], None);
            assert!(
                !(r.status == 404 && r.body.contains("no API endpoint")) && r.status != 405,
                "{method} {path} is documented but not served: {} {}",
                r.status,
                r.body
            );
            let op = &item[method.as_str()];
            let documented: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            assert!(
                documented.contains(&&r.status.to_string()),
                "{method} {path} answered {}, documented {documented:?}",
                r.status
            );
        }
    }
    // Schemas come from the types: the project's kind is the serialised enum.
    let kind = doc["components"]["schemas"]["ProjectKind"].to_string();
    assert!(kind.contains("hardware"), "{kind}");
    // The browsing page lists every operation and escapes what it shows.
    let page = s.get("/api");
    assert_eq!(page.status, 200);
    for id in [
        "searchProjects",
        "updateProject",
        "checkLicences",
        "recommendLicence",
    ] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(
        page.body.contains("&quot;$ref&quot;")
            || page.body.contains("&#x22;$ref&#x22;")
            || page.body.contains("&#34;$ref&#34;")
    );
}

#[test]
fn recommend_and_export_over_http() {
    let (s, _dir) = server();
    let r = s.get("/api/licences/recommend?inbound=LGPL-2.1-or-later&inbound=MIT&use=dynamic-link");
    assert_eq!(r.status, 200);
    let recs = r.json();
    let first = recs[0]["licence"].as_str().unwrap();
    assert!(!first.is_empty());
    assert!(
        recs.as_array()
            .unwrap()
            .iter()
            .all(|x| x["reason"].as_str().is_some_and(|t| !t.is_empty()))
    );
    let r = s.get("/api/licences/recommend?inbound=MIT%20AND");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("column"), "{}", r.body);
    let r = s.get("/api/projects/export?format=codemeta&slug=root");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("\"name\": \"ROOT\""), "{}", r.body);
    let r = s.get("/api/projects/export?format=csv");
    assert_eq!(r.status, 200);
    let records = csv::Reader::from_reader(r.body.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("valid CSV");
    assert_eq!(records.len(), 213, "one row per project");
    let r = s.get("/api/projects/export?format=codemeta&slug=nothing");
    assert_eq!(r.status, 404);
    let r = s.get("/api/projects/export?format=docx");
    assert_eq!(r.status, 400);
    let r = s.get("/api/licences?category=network-copyleft");
    let ids: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        ids.contains(&"AGPL-3.0-only".to_owned()) && !ids.contains(&"MIT".to_owned()),
        "{ids:?}"
    );
}
