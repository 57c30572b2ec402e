//! `ospo report` and the served report: a catalogue seeded with `ospo catalogue add`, the
//! figures checked against values computed by hand from the seed, on SQLite and PostgreSQL.

use ospo_core::Timestamp;
use ospo_e2e::{Server, fresh_postgres, run, stderr, stdout};
use serde_json::Value;

/// The current UTC year: projects added now are created this year.
fn this_year() -> u16 {
    let o = std::process::Command::new("date")
        .args(["-u", "+%Y"])
        .output()
        .expect("date runs");
    String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
}

/// Four projects: releases last year and this year, licences of four families, use cases
/// outside physics (one with markup in its domain, to check escaping).
fn seed_file(dir: &std::path::Path, y: u16) -> std::path::PathBuf {
    let p = y - 1;
    let projects = serde_json::json!([
        {
            "slug": "alpha", "name": "Alpha", "kind": "software",
            "unit": {"department": "EP", "group": "SFT"}, "licence": "Apache-2.0",
            "releases": [
                {"version": "1.0", "date": format!("{p}-03-01")},
                {"version": "1.1", "date": format!("{y}-02-01")},
                {"version": "1.2", "date": format!("{y}-06-15")}
            ],
            "use_cases": [{"domain": "medical imaging", "text": "Dose planning."}]
        },
        {
            "slug": "beta-board", "name": "Beta board", "kind": "hardware",
            "unit": {"department": "BE", "group": "CEM"}, "licence": "CERN-OHL-S-2.0",
            "releases": [{"version": "v1", "date": format!("{y}-04-04")}],
            "use_cases": [{"domain": "finance", "text": "Time stamping of trades."}]
        },
        {
            "slug": "gamma", "name": "Gamma", "kind": "software",
            "unit": {"department": "EP", "group": "SFT"}, "licence": "GPL-3.0-or-later OR MIT"
        },
        {
            "slug": "delta", "name": "Delta", "kind": "both",
            "releases": [{"version": "0.1"}],
            "use_cases": [{"domain": "<b>bold</b> & co", "text": "Escaping test."}]
        }
    ]);
    // `add` records the time of adding as created_at, whatever the file says.
    let mut projects = projects;
    for p in projects.as_array_mut().unwrap() {
        p["created_at"] = Value::from(format!("{y}-01-01T00:00:00Z"));
        p["updated_at"] = p["created_at"].clone();
    }
    let file = dir.join("projects.json");
    std::fs::write(&file, serde_json::to_string_pretty(&projects).unwrap()).unwrap();
    file
}

fn seed(db: &str, dir: &std::path::Path, y: u16) {
    let file = seed_file(dir, y);
    let o = run(&["catalogue", "--database", db, "add", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    seed_workflow_and_inventory(db, y);
}

fn ts(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

/// The workflow and the inventory, written through the catalogue's store (the same calls the
/// API makes), with the instants of each step chosen so the times are known:
///
/// - disclosures submitted in the year: five; decided: four, after 30 (approved), 10
///   (approved with conditions), 20 (declined) and 40 days (hardware, declined by KT); one is
///   still in review and one is a draft;
/// - contribution requests: three, two of them significant and advised to go ahead, one of
///   those to a project outside physics;
/// - services: two critical, one of them with a snapshot (this repository's Cargo.lock), and
///   one standard.
fn seed_workflow_and_inventory(db: &str, y: u16) {
    use ospo_catalogue::inventory::store::InputFile;
    use ospo_catalogue::{Catalogue, ContributionDraft, DisclosureDraft};
    use ospo_core::disclosure::{Affiliation, Contributor};
    use ospo_core::{
        Actor, AdviceVerdict, Criticality, DisclosureAction, Exposure, ExternalProject, IsoDate,
        LicenceExpression, ProjectKind, ProjectLink, Recommendation, Role, Service, Slug, Unit,
        Url,
    };
    let dev = Actor::new("dev1", "Dana Developer", [Role::Maintainer]);
    let ospo = Actor::new("ospo1", "Olga (OSPO)", [Role::OspoMember]);
    let kt = Actor::new("kt1", "Kim (KT)", [Role::KtReviewer]);
    let day = |md: &str| ts(&format!("{y}-{md}T09:00:00Z"));
    let licence = |l: &str| LicenceExpression::parse(l).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let cat = Catalogue::open(db).await.unwrap();
        let draft = |kind: ProjectKind| {
            let mut d = DisclosureDraft {
                title: "Fast track fitter".into(),
                kind: Some(kind),
                project: Some(ProjectLink::Repository(
                    Url::parse("https://gitlab.example.org/dev1/fitter").unwrap(),
                )),
                ..DisclosureDraft::default()
            };
            d.ambitions.why = "Share it with other experiments".into();
            d.contributors = vec![Contributor {
                name: "Dana Developer".into(),
                affiliation: Affiliation::Lab,
            }];
            d
        };
        /// Kind, day submitted, and the decision's day and step.
        type Case = (
            ProjectKind,
            &'static str,
            Option<(&'static str, DisclosureAction)>,
        );
        let cases: Vec<Case> = vec![
            (
                ProjectKind::Software,
                "01-10",
                Some((
                    "02-09",
                    DisclosureAction::Approve {
                        licence: licence("Apache-2.0"),
                    },
                )),
            ),
            (
                ProjectKind::Software,
                "03-01",
                Some((
                    "03-11",
                    DisclosureAction::ApproveWithConditions {
                        licence: licence("GPL-3.0-or-later"),
                        conditions: "remove the vendored code".into(),
                    },
                )),
            ),
            (
                ProjectKind::Software,
                "04-01",
                Some((
                    "04-21",
                    DisclosureAction::Decline {
                        reason: "third-party code of unknown origin".into(),
                    },
                )),
            ),
            (
                ProjectKind::Hardware,
                "05-01",
                Some((
                    "06-10",
                    DisclosureAction::Decline {
                        reason: "a patent application comes first".into(),
                    },
                )),
            ),
            (ProjectKind::Software, "11-01", None),
        ];
        for (kind, submitted, decided) in cases {
            let d = cat
                .create_disclosure(&dev, draft(kind), &day(submitted))
                .await
                .unwrap();
            let (mut d, _) = cat
                .disclosure_step(
                    &dev,
                    d.id,
                    d.version,
                    DisclosureAction::Submit,
                    &day(submitted),
                )
                .await
                .unwrap();
            if kind == ProjectKind::Software {
                let steps = [
                    DisclosureAction::StartReview,
                    DisclosureAction::Recommend(Recommendation {
                        licence: licence("Apache-2.0"),
                        reasons: vec!["permissive dependencies".into()],
                        computed: None,
                        override_reason: Some("the OSPO's choice for this seed".into()),
                    }),
                ];
                for step in steps {
                    d = cat
                        .disclosure_step(&ospo, d.id, d.version, step, &day(submitted))
                        .await
                        .unwrap()
                        .0;
                }
            }
            if let Some((when, action)) = decided {
                let who = if kind == ProjectKind::Hardware {
                    &kt
                } else {
                    &ospo
                };
                cat.disclosure_step(who, d.id, d.version, action, &day(when))
                    .await
                    .unwrap();
            }
        }
        cat.create_disclosure(&dev, draft(ProjectKind::Software), &day("12-01"))
            .await
            .unwrap();

        let requests = [
            ("02-01", true, true, AdviceVerdict::Go),
            ("03-01", true, false, AdviceVerdict::GoWithConditions),
            ("04-01", false, true, AdviceVerdict::Go),
        ];
        for (when, significant, outside_physics, verdict) in requests {
            let r = cat
                .request_contribution(
                    &dev,
                    ContributionDraft {
                        project: ExternalProject {
                            name: "scikit-image".into(),
                            url: Url::parse("https://github.com/scikit-image/scikit-image")
                                .unwrap(),
                            outside_physics,
                        },
                        licence: Some(licence("BSD-3-Clause")),
                        agreement: Default::default(),
                        copyright_assignment: false,
                        platform_terms: None,
                        description: "A faster watershed segmentation".into(),
                        significant,
                    },
                    &day(when),
                )
                .await
                .unwrap();
            cat.advise_contribution(
                &ospo,
                r.id,
                r.version,
                verdict,
                "Sign off each commit.",
                &day(when),
            )
            .await
            .unwrap();
        }

        for (slug, criticality) in [
            ("controls", Criticality::Critical),
            ("identity", Criticality::Critical),
            ("wiki", Criticality::Standard),
        ] {
            let service = Service {
                slug: Slug::parse(slug).unwrap(),
                name: slug.into(),
                owner: Unit::parse("IT-CDA").unwrap(),
                criticality,
                exposure: Exposure::Internal,
                description: String::new(),
                links: vec![],
                project: None,
            };
            cat.put_service(&ospo, &service, &day("01-02"))
                .await
                .unwrap();
        }
        let lock = std::fs::read(ospo_e2e::repo_root().join("Cargo.lock")).unwrap();
        cat.ingest(
            &ospo,
            "controls",
            &IsoDate::parse(&format!("{y}-03-01")).unwrap(),
            &[InputFile {
                name: "Cargo.lock".into(),
                bytes: lock,
            }],
            &day("03-01"),
        )
        .await
        .unwrap();
        cat.close().await;
    });
}

fn report(db: &str, year: u16, format: &str) -> String {
    let y = year.to_string();
    let o = run(&["report", "--year", &y, "--database", db, "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

fn kpi<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["kpis"].as_array().unwrap())
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no KPI {id} in {r}"))
}

fn rows(r: &Value, id: &str) -> Vec<(String, u64)> {
    kpi(r, id)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["label"].as_str().unwrap().to_owned(),
                row["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect()
}

/// The figures of the seed, computed by hand.
fn check_figures(r: &Value, y: u16) {
    let p = y - 1;
    assert_eq!(r["year"], y);
    assert_eq!(kpi(r, "catalogue.projects")["count"], 4);
    assert_eq!(kpi(r, "catalogue.new")["count"], 4);
    assert_eq!(
        rows(r, "catalogue.by-kind"),
        owned(&[("software", 2), ("hardware", 1), ("both", 1)])
    );
    assert_eq!(
        rows(r, "catalogue.by-unit"),
        owned(&[("EP-SFT", 2), ("BE-CEM", 1), ("none recorded", 1)])
    );
    // Apache-2.0 permissive; CERN-OHL-S strong copyleft; GPL OR MIT spans two families;
    // delta has no licence.
    assert_eq!(
        rows(r, "catalogue.by-licence-family"),
        owned(&[
            ("permissive", 1),
            ("strong-copyleft", 1),
            ("several families", 1),
            ("none recorded", 1)
        ])
    );
    assert_eq!(kpi(r, "releases.in-year")["count"], 3);
    assert_eq!(kpi(r, "releases.projects-releasing")["count"], 2);
    assert_eq!(
        rows(r, "releases.per-year"),
        owned(&[(&p.to_string(), 1), (&y.to_string(), 3)])
    );
    assert!(
        kpi(r, "releases.per-year")["source"]
            .as_str()
            .unwrap()
            .contains("1 release without a date is not counted")
    );
    let detectable = kpi(r, "licences.detectable");
    assert_eq!(
        (
            &detectable["count"],
            &detectable["of"],
            &detectable["percent"]
        ),
        (&Value::from(3), &Value::from(4), &Value::from(75.0))
    );
    assert_eq!(kpi(r, "licences.reuse-clean")["type"], "not-measured");
    assert_eq!(kpi(r, "disclosures.received")["count"], 5);
    assert_eq!(kpi(r, "disclosures.decided")["count"], 4);
    assert_eq!(
        rows(r, "disclosures.by-outcome"),
        owned(&[
            ("approved", 1),
            ("approved-with-conditions", 1),
            ("declined", 2)
        ])
    );
    // 10, 20, 30 and 40 days: nearest rank ceil(0.5 × 4) = 2 and ceil(0.9 × 4) = 4.
    let times = kpi(r, "disclosures.time-to-decision");
    assert_eq!(times["count"], 4);
    assert_eq!(times["median_seconds"], 20 * 86_400);
    assert_eq!(times["p90_seconds"], 40 * 86_400);
    assert_eq!(times["median_days"], 20.0);
    assert_eq!(times["p90_days"], 40.0);
    let critical = kpi(r, "inventory.critical-with-inventory");
    assert_eq!(
        (&critical["count"], &critical["of"], &critical["percent"]),
        (&Value::from(1), &Value::from(2), &Value::from(50.0))
    );
    assert_eq!(
        rows(r, "inventory.services-by-criticality"),
        owned(&[("critical", 2), ("standard", 1)])
    );
    assert_eq!(kpi(r, "contributions.requests")["count"], 3);
    assert_eq!(kpi(r, "contributions.significant")["count"], 2);
    let outside = kpi(r, "contributions.outside-physics");
    assert_eq!(
        (&outside["count"], &outside["of"]),
        (&Value::from(1), &Value::from(2))
    );
    let with = kpi(r, "use-cases.projects");
    assert_eq!(
        (&with["count"], &with["of"]),
        (&Value::from(3), &Value::from(4))
    );
    assert_eq!(kpi(r, "use-cases.count")["count"], 3);
    assert_eq!(
        rows(r, "use-cases.by-domain"),
        owned(&[
            ("<b>bold</b> & co", 1),
            ("finance", 1),
            ("medical imaging", 1)
        ])
    );
    for k in r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["kpis"].as_array().unwrap())
    {
        assert!(
            !k["source"].as_str().unwrap().is_empty(),
            "every figure names its source: {k}"
        );
    }
}

#[test]
fn the_report_of_a_seeded_year_on_sqlite_in_three_formats() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let db = db.to_str().unwrap();
    let y = this_year();
    seed(db, dir.path(), y);

    let json = report(db, y, "json");
    assert_eq!(
        json,
        report(db, y, "json"),
        "byte-identical on a second run"
    );
    let r: Value = serde_json::from_str(&json).unwrap();
    check_figures(&r, y);

    let md = report(db, y, "markdown");
    assert_eq!(md, report(db, y, "markdown"));
    assert!(
        md.starts_with(&format!("# Open source report {y}\n")),
        "{md}"
    );
    assert!(md.contains("### Projects with a detectable licence\n\n**3 of 4 (75.0 %)**"));
    assert!(md.contains("| software | 2 | 50.0 % |"), "{md}");
    assert!(
        md.contains("\\<b\\>bold\\</b\\> & co"),
        "markup is escaped: {md}"
    );

    let out = dir.path().join("report.html");
    let y_text = y.to_string();
    let o = run(&[
        "report",
        "--year",
        &y_text,
        "--database",
        db,
        "-f",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html, report(db, y, "html"), "the file and stdout agree");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<svg "), "charts");
    assert!(html.contains("3 of 4 (75.0 %)"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"));
    assert!(!html.contains("<b>bold"));

    // Bad input: a clear message, exit 2, nothing written.
    let bad = dir.path().join("bad.html");
    let o = run(&[
        "report",
        "--year",
        "26",
        "--database",
        db,
        "-o",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'26' is not a year"), "{}", stderr(&o));
    assert!(!bad.exists());
    let later = (y + 1).to_string();
    let o = run(&["report", "--year", &later, "--database", db]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!(
            "no data for {later}: there are reports for {} to {y}",
            y - 1
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_served_report_has_charts_and_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("served.db");
    let db = db.to_str().unwrap();
    let y = this_year();
    seed(db, dir.path(), y);
    let cli_json = report(db, y, "json");
    let s = Server::start(db);

    let index = s.get("/reports");
    assert_eq!(index.status, 200);
    assert!(index.body.contains(&format!("href=\"/reports/{y}\"")));
    assert!(index.body.contains(&format!("href=\"/reports/{}\"", y - 1)));

    let page = s.get(&format!("/reports/{y}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg "), "charts");
    assert!(page.body.contains("role=\"img\""));
    assert!(page.body.contains(
        "<desc id=\"kpi-catalogue-by-kind-desc\">software: 2; hardware: 1; both: 1</desc>"
    ));
    assert!(page.body.contains("3 of 4 (75.0 %)"));
    assert!(
        page.body
            .contains("median 20.0 days, 90th percentile 40.0 days (4 measured)")
    );
    assert!(page.body.contains("<desc id=\"kpi-disclosures-by-outcome-desc\">approved: 1; approved-with-conditions: 1; declined: 2</desc>"));
    assert!(
        page.body.contains("1 of 2 (50.0 %)"),
        "critical services with an inventory"
    );
    assert!(page.body.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"));
    assert!(!page.body.contains("<b>bold"));
    assert!(
        page.body.contains("href=\"/reports\""),
        "inside the site's layout"
    );

    let api = s.get(&format!("/api/reports/{y}"));
    assert_eq!(api.status, 200);
    assert_eq!(api.body, cli_json, "the API serves the CLI's bytes");
    let years = s.get("/api/reports").json();
    assert_eq!(years, serde_json::json!([y - 1, y]));

    let r = s.get("/reports/20x6");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("is not a year"), "{}", r.body);
    let r = s.get(&format!("/reports/{}", y + 1));
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains(&format!("no data for {}", y + 1)),
        "{}",
        r.body
    );
    let r = s.get("/api/reports/1969");
    assert_eq!(r.status, 400);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let r = s.get(&format!("/api/reports/{}", y + 1));
    assert_eq!(r.status, 404);
    assert!(r.json()["detail"].as_str().unwrap().contains("no data"));
}

#[test]
fn postgresql_gives_the_same_report_as_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let y = this_year();
    let pg = fresh_postgres();
    seed(&pg, dir.path(), y);
    let sqlite = dir.path().join("same.db");
    let sqlite = sqlite.to_str().unwrap();
    seed(sqlite, dir.path(), y);

    let json = report(&pg, y, "json");
    assert_eq!(json, report(&pg, y, "json"));
    check_figures(&serde_json::from_str(&json).unwrap(), y);
    assert_eq!(json, report(sqlite, y, "json"), "same data, same bytes");
    assert_eq!(report(&pg, y, "markdown"), report(sqlite, y, "markdown"));

    let s = Server::start(&pg);
    let page = s.get(&format!("/reports/{y}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg "));
    assert!(page.body.contains("3 of 4 (75.0 %)"));
    assert_eq!(s.get(&format!("/api/reports/{y}")).body, json);
}
