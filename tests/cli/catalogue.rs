//! `ospo catalogue ...` on a real SQLite file: seed, search, show, edit with optimistic
//! concurrency, import errors, export round trip, audit.

use ospo_e2e::{run, stderr, stdout};

fn cat(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["catalogue", "--database", db];
    all.extend_from_slice(args);
    run(&all)
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn the_seed_holds_real_software_and_hardware() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let db = db.to_str().unwrap();
    let o = cat(db, &["seed"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("seeded 213 projects"),
        "{}",
        stdout(&o)
    );
    let again = cat(db, &["seed"]);
    assert!(
        stdout(&again).contains("not empty"),
        "seeding twice adds nothing"
    );
    let root = json(&cat(db, &["show", "root", "--format", "json"]));
    assert_eq!(root["licence"], "LGPL-2.1-or-later");
    assert_eq!(root["repository"], "https://github.com/root-project/root");
    let hw = json(&cat(
        db,
        &[
            "search",
            "--facet",
            "kind=hardware",
            "--facet",
            "kind=both",
            "--limit",
            "3",
            "--format",
            "json",
        ],
    ));
    assert!(hw["total"].as_u64().unwrap() >= 187, "{}", hw["total"]);
    let spec = json(&cat(db, &["show", "spec", "--format", "json"]));
    assert!(
        !spec["compatible_with"].as_array().unwrap().is_empty(),
        "OHWR compatibles are kept: {spec}"
    );
    let r = json(&cat(db, &["search", "white", "rabbit", "--format", "json"]));
    assert!(
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["slug"] == "wrpc-sw"),
        "{r}"
    );
}

#[test]
fn a_stale_edit_is_refused_and_the_audit_log_shows_who_changed_what() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let db = db.to_str().unwrap();
    assert!(cat(db, &["seed"]).status.success());
    let o = cat(
        db,
        &[
            "edit",
            "indico",
            "--set",
            "summary=Event management for the lab",
            "--if-version",
            "1",
            "--comment",
            "shorter",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("version 2"));
    let o = cat(
        db,
        &[
            "edit",
            "indico",
            "--set",
            "summary=Someone else's edit",
            "--if-version",
            "1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("changed by someone else"),
        "{}",
        stderr(&o)
    );
    let shown = json(&cat(db, &["show", "indico", "--format", "json"]));
    assert_eq!(shown["summary"], "Event management for the lab");
    let o = cat(db, &["edit", "indico", "--set", "licence=MIT AND"]);
    assert_eq!(o.status.code(), Some(2), "an invalid licence is refused");
    assert!(stderr(&o).contains("licence"), "{}", stderr(&o));
    let log = json(&cat(db, &["audit", "indico", "--format", "json"]));
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1]["action"], "update");
    assert_eq!(log[1]["comment"], "shorter");
    assert_eq!(log[1]["changes"][0]["field"], "summary");
}

#[test]
fn bad_files_are_refused_with_their_position_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let db = db.to_str().unwrap();
    let bad = dir.path().join("publiccode.yml");
    std::fs::write(
        &bad,
        "publiccodeYmlVersion: \"0.4\"\nname: Broken\nurl: [unclosed\n",
    )
    .unwrap();
    let o = cat(db, &["import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("publiccode.yml:"), "the file is named: {err}");
    assert!(
        err.contains(":3:") || err.contains("line 3"),
        "the line is named: {err}"
    );
    let stats = json(&cat(db, &["stats", "--format", "json"]));
    assert_eq!(stats["projects"], 0);
}

#[test]
fn export_and_import_round_trip_through_every_writable_format() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    assert!(cat(a, &["seed"]).status.success());
    let out = dir.path().join("catalogue.json");
    let o = cat(a, &["export", "--as", "json", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cat(b, &["import", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read_to_string(&out).unwrap();
    let again = stdout(&cat(b, &["export", "--as", "json"]));
    let strip = |s: &str| -> Vec<serde_json::Value> {
        let mut v: Vec<serde_json::Value> = serde_json::from_str(s).unwrap();
        for p in &mut v {
            let o = p.as_object_mut().unwrap();
            for k in ["created_at", "updated_at", "version", "provenance"] {
                o.remove(k);
            }
        }
        v
    };
    assert_eq!(
        strip(&first),
        strip(&again),
        "JSON export -> import -> export loses nothing"
    );
    for (format, slug) in [("codemeta", "root"), ("publiccode", "rucio")] {
        let o = cat(a, &["export", slug, "--as", format]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(
            stdout(&o).contains(if format == "codemeta" {
                "ROOT"
            } else {
                "Rucio"
            }),
            "{format}"
        );
    }
    let csv = stdout(&cat(a, &["export", "--as", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert!(reader.headers().unwrap().iter().any(|h| h == "slug"));
    assert_eq!(reader.records().count(), 213, "one row per project");
    let code = stdout(&cat(a, &["export", "--as", "code-json"]));
    let code: serde_json::Value = serde_json::from_str(&code).unwrap();
    assert!(code.to_string().contains("LGPL-2.1-or-later"));
}
