//! Storage on SQLite and PostgreSQL: optimistic concurrency, transactions, audit log,
//! authorisation, search with facets. Every test runs on both backends.

mod support;

use ospo_catalogue::{Catalogue, CatalogueError, Query, TextSearch};
use ospo_core::{
    Actor, AuditAction, FieldName, LicenceExpression, ProjectKind, Provenance, Role, Slug, UseCase,
};
use support::{Backend, curator, fresh, fresh_url, later, maintainer_of, now, project};

on_both_backends!(
    created_projects_read_back_whole,
    a_stale_update_is_refused_and_loses_nothing,
    the_audit_log_records_every_change,
    a_failed_import_leaves_nothing_behind,
    reimport_updates_never_duplicates_and_keeps_curation,
    writes_are_authorised_by_role_and_ownership,
    search_ranks_marks_and_counts_facets,
    delete_needs_the_current_version,
    the_database_text_index_agrees_with_the_memory_one,
    every_fixture_file_imports_and_reimports_without_duplicates,
    concurrent_edits_of_one_version_let_exactly_one_through,
    an_import_failing_midway_rolls_back_what_it_wrote,
    callers_cannot_rewrite_provenance,
    search_refuses_unknown_facets_and_handles_any_text,
    facet_counts_agree_with_counting_every_project,
    a_repeated_search_never_outlives_a_change,
);

async fn created_projects_read_back_whole(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let mut p = project("white-rabbit", "White Rabbit", ProjectKind::Hardware);
    p.licence = Some(LicenceExpression::parse("CERN-OHL-W-2.0").unwrap());
    p.topics = vec!["timing".into(), "Ethernet".into()];
    let stored = cat.create(&curator(), p.clone(), &now()).await.unwrap();
    assert_eq!(stored.version, 1);
    let back = cat.get("white-rabbit").await.unwrap().expect("stored");
    assert_eq!(back, stored);
    assert_eq!(
        back.provenance.get(&FieldName::Licence),
        Some(&Provenance::Curation)
    );
    let again = cat.create(&curator(), p, &now()).await;
    assert!(matches!(again, Err(CatalogueError::Exists(_))), "{again:?}");
    assert!(cat.get("nothing-here").await.unwrap().is_none());
}

async fn a_stale_update_is_refused_and_loses_nothing(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    cat.create(
        &curator(),
        project("rucio", "Rucio", ProjectKind::Software),
        &now(),
    )
    .await
    .unwrap();
    // Two people open version 1.
    let mut alice = cat.get("rucio").await.unwrap().unwrap();
    let mut bob = alice.clone();
    alice.summary = "Scientific data management".into();
    bob.summary = "Bob's summary".into();
    let saved = cat.update(&curator(), alice, &later(), "").await.unwrap();
    assert_eq!(saved.version, 2);
    let err = cat.update(&curator(), bob, &later(), "").await.unwrap_err();
    match &err {
        CatalogueError::Stale {
            expected, current, ..
        } => assert_eq!((*expected, *current), (1, 2)),
        other => panic!("expected a stale-update refusal, got {other:?}"),
    }
    assert!(err.to_string().contains("reload it"), "{err}");
    let now_stored = cat.get("rucio").await.unwrap().unwrap();
    assert_eq!(now_stored.summary, "Scientific data management");
    assert_eq!(now_stored.version, 2);
}

async fn the_audit_log_records_every_change(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let p = cat
        .create(
            &curator(),
            project("cvmfs", "CernVM-FS", ProjectKind::Software),
            &now(),
        )
        .await
        .unwrap();
    let mut edit = p.clone();
    edit.licence = Some(LicenceExpression::parse("BSD-3-Clause").unwrap());
    edit.summary = "Software distribution".into();
    cat.update(&curator(), edit, &later(), "licence checked")
        .await
        .unwrap();
    let log = cat.audit(Some("cvmfs")).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, AuditAction::Create);
    assert_eq!(log[1].action, AuditAction::Update);
    assert_eq!(log[1].actor, "ospo-anna");
    assert_eq!(log[1].at, later());
    assert_eq!(log[1].comment, "licence checked");
    let licence = log[1].change("licence").expect("licence change recorded");
    assert_eq!(licence.new, ospo_core::Value::Text("BSD-3-Clause".into()));
    assert_eq!(licence.old, ospo_core::Value::Null);
    assert!(log[1].change("summary").is_some());
    assert!(
        log[1].change("name").is_none(),
        "unchanged fields are not logged"
    );
}

async fn a_failed_import_leaves_nothing_behind(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let good = project("good-one", "Good", ProjectKind::Software);
    let mut bad = project("bad-one", "Bad", ProjectKind::Software);
    bad.licence = Some(LicenceExpression::parse("MIT AND (").unwrap_or_else(|_| {
        // The model only checks that the text is non-empty; the catalogue parses it.
        LicenceExpression::parse("MIT AND NOT-A-LICENCE").unwrap()
    }));
    let err = cat
        .import(
            &curator(),
            vec![good, bad],
            &Provenance::Import {
                source: "test".into(),
            },
            &now(),
            "test",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, CatalogueError::Licence { .. }), "{err:?}");
    assert!(err.to_string().contains("bad-one"), "{err}");
    assert!(
        cat.get("good-one").await.unwrap().is_none(),
        "nothing of the import may be written"
    );
    assert!(cat.audit(None).await.unwrap().is_empty());
    assert_eq!(cat.stats().await.unwrap().projects, 0);
}

async fn reimport_updates_never_duplicates_and_keeps_curation(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let origin = Provenance::Manifest;
    let mut p = project("fmc-tdc", "FMC TDC", ProjectKind::Hardware);
    p.licence = Some(LicenceExpression::parse("CERN-OHL-W-2.0").unwrap());
    let first = cat
        .import(&curator(), vec![p.clone()], &origin, &now(), "manifest")
        .await
        .unwrap();
    assert_eq!(first.created, vec!["fmc-tdc"]);
    let second = cat
        .import(&curator(), vec![p.clone()], &origin, &now(), "manifest")
        .await
        .unwrap();
    assert_eq!(second.unchanged, vec!["fmc-tdc"]);
    assert_eq!(cat.stats().await.unwrap().projects, 1);
    // The OSPO curates the summary; a later manifest sync must not overwrite it.
    let mut curated = cat.get("fmc-tdc").await.unwrap().unwrap();
    curated.summary = "Curated summary".into();
    cat.update(&curator(), curated, &later(), "").await.unwrap();
    p.summary = "Manifest summary".into();
    p.topics = vec!["TDC".into()];
    let third = cat
        .import(&curator(), vec![p], &origin, &later(), "manifest")
        .await
        .unwrap();
    assert_eq!(third.updated, vec!["fmc-tdc"]);
    assert_eq!(third.kept, vec!["fmc-tdc.summary"]);
    let stored = cat.get("fmc-tdc").await.unwrap().unwrap();
    assert_eq!(stored.summary, "Curated summary");
    assert_eq!(stored.topics, vec!["TDC"]);
    let log = cat.audit(Some("fmc-tdc")).await.unwrap();
    assert_eq!(log.last().unwrap().action, AuditAction::Sync);
}

async fn writes_are_authorised_by_role_and_ownership(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    cat.create(
        &curator(),
        project("indico", "Indico", ProjectKind::Software),
        &now(),
    )
    .await
    .unwrap();
    cat.create(
        &curator(),
        project("invenio", "Invenio", ProjectKind::Software),
        &now(),
    )
    .await
    .unwrap();
    let public = Actor::anonymous();
    let dev = maintainer_of("indico");
    let err = cat
        .create(&public, project("x", "X", ProjectKind::Software), &now())
        .await
        .unwrap_err();
    assert!(matches!(err, CatalogueError::Denied(_)), "{err:?}");
    let mut own = cat.get("indico").await.unwrap().unwrap();
    own.summary = "Event management".into();
    let saved = cat
        .update(&dev, own, &later(), "")
        .await
        .expect("a maintainer edits their project");
    assert_eq!(
        saved.provenance.get(&FieldName::Summary),
        Some(&Provenance::Maintainer)
    );
    let mut other = cat.get("invenio").await.unwrap().unwrap();
    other.summary = "Not mine".into();
    let err = cat.update(&dev, other, &later(), "").await.unwrap_err();
    assert!(matches!(err, CatalogueError::Denied(_)), "{err:?}");
    assert_ne!(
        cat.get("invenio").await.unwrap().unwrap().summary,
        "Not mine"
    );
    let kt = Actor::new("kt", "KT", [Role::KtReviewer]);
    assert!(
        cat.import(&kt, vec![], &Provenance::Manifest, &now(), "x")
            .await
            .is_err()
    );
}

async fn search_ranks_marks_and_counts_facets(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let mut wr = project("white-rabbit", "White Rabbit switch", ProjectKind::Hardware);
    wr.summary = "Sub-nanosecond timing over Ethernet".into();
    wr.licence = Some(LicenceExpression::parse("CERN-OHL-W-2.0").unwrap());
    wr.topics = vec!["timing".into()];
    wr.use_cases = vec![UseCase {
        domain: "finance".into(),
        text: "Time stamping for stock exchanges".into(),
    }];
    let mut root = project("root", "ROOT", ProjectKind::Software);
    root.summary = "Data analysis framework".into();
    root.licence = Some(LicenceExpression::parse("LGPL-2.1-or-later").unwrap());
    root.languages = vec!["C++".into()];
    let mut fd = project("fine-delay", "Fine Delay", ProjectKind::Hardware);
    fd.summary = "Timing pulses with picosecond delays".into();
    fd.licence = Some(LicenceExpression::parse("GPL-3.0-or-later OR CERN-OHL-S-2.0").unwrap());
    for p in [wr, root, fd] {
        cat.create(&curator(), p, &now()).await.unwrap();
    }
    let r = cat
        .search(&Query {
            text: "timing".into(),
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 2, "{r:?}");
    let slugs: Vec<&str> = r.hits.iter().map(|h| h.project.slug.as_str()).collect();
    assert!(slugs.contains(&"white-rabbit") && slugs.contains(&"fine-delay"));
    assert!(r.hits[0].score >= r.hits[1].score);
    let marked: Vec<&str> = r
        .hits
        .iter()
        .flat_map(|h| &h.summary_marked)
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect();
    assert!(
        marked
            .iter()
            .all(|m| m.to_lowercase().starts_with("timing")),
        "{marked:?}"
    );
    // Text in the use cases is found too (through the body).
    let r = cat
        .search(&Query {
            text: "stock exchanges".into(),
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(
        r.hits
            .iter()
            .map(|h| h.project.slug.as_str())
            .collect::<Vec<_>>(),
        vec!["white-rabbit"]
    );
    // Facets: no text, filter on kind; counts for the other facets follow the filter.
    let r = cat
        .search(&Query {
            filters: vec![("kind".into(), "hardware".into())],
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 2);
    let kinds = &r.facets["kind"];
    assert!(
        kinds
            .iter()
            .any(|f| f.value == "software" && f.count == 1 && !f.selected),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|f| f.value == "hardware" && f.count == 2 && f.selected),
        "{kinds:?}"
    );
    let families = &r.facets["licence-family"];
    assert!(
        families
            .iter()
            .any(|f| f.value == "weak-copyleft" && f.count == 1),
        "{families:?}"
    );
    assert!(
        families
            .iter()
            .any(|f| f.value == "strong-copyleft" && f.count == 1),
        "{families:?}"
    );
    // Two values of one facet are alternatives; facets combine with AND.
    let r = cat
        .search(&Query {
            filters: vec![
                ("licence".into(), "LGPL-2.1-or-later".into()),
                ("licence".into(), "CERN-OHL-S-2.0".into()),
                ("kind".into(), "hardware".into()),
            ],
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(
        r.hits
            .iter()
            .map(|h| h.project.slug.as_str())
            .collect::<Vec<_>>(),
        vec!["fine-delay"]
    );
    // Without text, results come by name.
    let r = cat
        .search(&Query {
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    let names: Vec<&str> = r.hits.iter().map(|h| h.project.name.as_str()).collect();
    assert_eq!(names, vec!["Fine Delay", "ROOT", "White Rabbit switch"]);
    // Query syntax from users is not interpreted as FTS syntax.
    let r = cat
        .search(&Query {
            text: "\"timing\" OR NEAR(x*)".into(),
            limit: 10,
            ..Query::default()
        })
        .await;
    assert!(r.is_ok(), "{r:?}");
}

async fn delete_needs_the_current_version(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let p = cat
        .create(
            &curator(),
            project("davix", "Davix", ProjectKind::Software),
            &now(),
        )
        .await
        .unwrap();
    let mut e = p.clone();
    e.summary = "HTTP client".into();
    cat.update(&curator(), e, &later(), "").await.unwrap();
    let slug = Slug::parse("davix").unwrap();
    assert!(matches!(
        cat.delete(&curator(), &slug, 1, &later()).await,
        Err(CatalogueError::Stale { .. })
    ));
    cat.delete(&curator(), &slug, 2, &later()).await.unwrap();
    assert!(cat.get("davix").await.unwrap().is_none());
    let r = cat
        .search(&Query {
            text: "davix".into(),
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 0, "deleted projects leave the search index");
    assert_eq!(
        cat.audit(Some("davix"))
            .await
            .unwrap()
            .last()
            .unwrap()
            .action,
        AuditAction::Delete
    );
}

async fn the_database_text_index_agrees_with_the_memory_one(b: Backend) {
    let (url, _dir) = fresh_url(b).await;
    let memory = Catalogue::open(&url)
        .await
        .unwrap()
        .with_text_search(TextSearch::Memory);
    let database = Catalogue::open(&url)
        .await
        .unwrap()
        .with_text_search(TextSearch::Database);
    let texts = [
        (
            "xrootd",
            "XRootD",
            "Scalable data access",
            "C++ storage protocol",
        ),
        ("eos", "EOS", "Disk storage for physics", "large scale data"),
        (
            "indico",
            "Indico",
            "Event management",
            "conferences and meetings used by the UN",
        ),
        (
            "reana",
            "REANA",
            "Reproducible analyses",
            "workflows on Kubernetes",
        ),
    ];
    for (slug, name, summary, description) in texts {
        let mut p = project(slug, name, ProjectKind::Software);
        p.summary = summary.into();
        p.description = description.into();
        memory.create(&curator(), p, &now()).await.unwrap();
    }
    for q in [
        "storage",
        "data",
        "stor",
        "UN",
        "meetings conferences",
        "kubernetes",
        "nothing",
    ] {
        let query = Query {
            text: q.into(),
            limit: 10,
            ..Query::default()
        };
        let slugs = |r: ospo_catalogue::SearchResults| {
            let mut v: Vec<String> = r.hits.into_iter().map(|h| h.project.slug).collect();
            v.sort();
            v
        };
        let m = slugs(memory.search(&query).await.unwrap());
        let d = slugs(database.search(&query).await.unwrap());
        assert_eq!(m, d, "{q:?}: memory {m:?}, database {d:?}");
    }
    let r = memory
        .search(&Query {
            text: "storage".into(),
            limit: 10,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(
        r.hits[0].project.slug, "eos",
        "a summary match outranks a description match"
    );
}

/// Every real fixture imports into the catalogue on this backend, once: re-importing the
/// same files changes nothing and duplicates nothing.
async fn every_fixture_file_imports_and_reimports_without_duplicates(b: Backend) {
    use ospo_catalogue::formats;
    let (cat, _dir) = fresh(b).await;
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("OSPO_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| here.join("../../../shared/data"));
    let files = [
        here.join("tests/formats/real/ohwr-config.yaml"),
        here.join("tests/formats/real/fmc-tdc.ohwr.yaml"),
        here.join("tests/formats/real/spec.ohwr.yaml"),
        here.join("tests/formats/real/publiccode.yml"),
        here.join("tests/formats/real/publiccode.minimal.yml"),
        here.join("tests/formats/codemeta/codemeta-v2.json"),
        here.join("tests/formats/codemeta/codemetapy.json"),
        here.join("tests/formats/codemeta/rucio-v3.json"),
        here.join("tests/formats/citation/pyhf.cff"),
        here.join("tests/formats/citation/awkward.cff"),
        here.join("tests/formats/citation/root.cff"),
        shared.join("catalogue/code-gov-doe.json"),
    ];
    let mut expected = std::collections::BTreeSet::new();
    for pass in 0..2 {
        for path in &files {
            let name = path.file_name().unwrap().to_str().unwrap();
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let format = formats::Format::detect(name, &text).unwrap();
            let imported =
                formats::parse(format, name, &text, now()).unwrap_or_else(|e| panic!("{e}"));
            let count = imported.projects.len();
            expected.extend(imported.projects.iter().map(|p| p.slug.to_string()));
            let origin = format.provenance();
            let projects = imported.projects;
            let r = cat
                .import(&curator(), projects.clone(), &origin, &now(), name)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                r.created.len() + r.updated.len() + r.unchanged.len(),
                count,
                "{name}"
            );
            if pass == 1 {
                // Files may describe the same project differently (two versions of one
                // publiccode.yml): the later one wins, but nothing is ever duplicated.
                assert!(
                    r.created.is_empty(),
                    "{name}: a second pass creates nothing"
                );
                let again = cat
                    .import(&curator(), projects, &origin, &now(), name)
                    .await
                    .unwrap();
                assert_eq!(
                    again.unchanged.len(),
                    count,
                    "{name}: the same file twice in a row changes nothing"
                );
            }
        }
    }
    assert!(
        expected.len() > 5_900,
        "{} distinct projects",
        expected.len()
    );
    assert_eq!(cat.stats().await.unwrap().projects, expected.len());
}

async fn concurrent_edits_of_one_version_let_exactly_one_through(b: Backend) {
    let (url, _dir) = fresh_url(b).await;
    let cat = std::sync::Arc::new(Catalogue::open(&url).await.unwrap());
    cat.create(
        &curator(),
        project("eos", "EOS", ProjectKind::Software),
        &now(),
    )
    .await
    .unwrap();
    let base = cat.get("eos").await.unwrap().unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let cat = cat.clone();
        let mut edit = base.clone();
        edit.summary = format!("edit {i}");
        tasks.push(tokio::spawn(async move {
            cat.update(&curator(), edit, &later(), "").await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(CatalogueError::Stale { .. }) => {}
            Err(other) => {
                panic!("a concurrent edit must be refused as stale, not fail otherwise: {other}")
            }
        }
    }
    assert_eq!(ok, 1, "exactly one edit of version 1 wins");
    assert_eq!(cat.get("eos").await.unwrap().unwrap().version, 2);
}

async fn an_import_failing_midway_rolls_back_what_it_wrote(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    // Curated as software: a later import that adds a readiness level (hardware only) makes
    // the synced project invalid, after the import has already written another project.
    let created = cat
        .create(
            &curator(),
            project("wrpc", "WR PTP core", ProjectKind::Hardware),
            &now(),
        )
        .await
        .unwrap();
    let mut curated = created.clone();
    curated.kind = ProjectKind::Software;
    cat.update(&curator(), curated, &now(), "it is software")
        .await
        .unwrap();
    let fresh_one = project("brand-new", "Brand new", ProjectKind::Hardware);
    let mut conflicting = project("wrpc", "WR PTP core", ProjectKind::Hardware);
    conflicting.readiness_level = Some(ospo_core::ReadinessLevel::new(9).unwrap());
    let err = cat
        .import(
            &curator(),
            vec![fresh_one, conflicting],
            &Provenance::Import {
                source: "registry".into(),
            },
            &later(),
            "registry",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
    assert!(
        cat.get("brand-new").await.unwrap().is_none(),
        "the project written before the failure is rolled back"
    );
    assert_eq!(cat.get("wrpc").await.unwrap().unwrap().version, 2);
    assert_eq!(
        cat.audit(None).await.unwrap().len(),
        2,
        "only the create and the curation are logged"
    );
}

async fn callers_cannot_rewrite_provenance(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let mut p = project("acts", "ACTS", ProjectKind::Software);
    p.licence = Some(LicenceExpression::parse("MPL-2.0").unwrap());
    cat.create(&curator(), p, &now()).await.unwrap();
    let mut edit = cat.get("acts").await.unwrap().unwrap();
    edit.summary = "Track reconstruction".into();
    edit.provenance.clear();
    edit.provenance
        .insert(FieldName::Name, Provenance::Manifest);
    let saved = cat
        .update(&maintainer_of("acts"), edit, &later(), "")
        .await
        .unwrap();
    assert_eq!(
        saved.provenance.get(&FieldName::Licence),
        Some(&Provenance::Curation),
        "curation marks stay"
    );
    assert_eq!(
        saved.provenance.get(&FieldName::Name),
        Some(&Provenance::Curation)
    );
    assert_eq!(
        saved.provenance.get(&FieldName::Summary),
        Some(&Provenance::Maintainer)
    );
}

async fn search_refuses_unknown_facets_and_handles_any_text(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let mut p = project("cafe", "Café détecteur", ProjectKind::Hardware);
    p.summary = "検出器 for the café".into();
    cat.create(&curator(), p, &now()).await.unwrap();
    for text in ["café", "検出器", "détect", "(\"", "x*", ""] {
        let r = cat
            .search(&Query {
                text: text.into(),
                limit: 5,
                ..Query::default()
            })
            .await;
        assert!(r.is_ok(), "{text:?}: {r:?}");
    }
    let r = cat
        .search(&Query {
            text: "café".into(),
            limit: 5,
            ..Query::default()
        })
        .await
        .unwrap();
    assert_eq!(r.total, 1);
    let err = cat
        .search(&Query {
            filters: vec![("bogus".into(), "x".into())],
            ..Query::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unknown facet 'bogus'"), "{err}");
    let r = cat
        .search(&Query {
            offset: usize::MAX,
            limit: 5,
            ..Query::default()
        })
        .await
        .unwrap();
    assert!(r.hits.is_empty());
}

/// The facet counts of the index (bitset popcounts for small facets, list walks for large
/// ones) against counting by hand over every project of the real seed: each facet counted over
/// the projects that match the text and every *other* facet's filters.
async fn facet_counts_agree_with_counting_every_project(b: Backend) {
    use ospo_catalogue::facets::facet_values;
    use std::collections::{BTreeMap, BTreeSet};
    let (cat, _dir) = fresh(b).await;
    ospo_catalogue::seed::seed_if_empty(&cat, &now())
        .await
        .unwrap();
    let all = cat.all().await.unwrap();
    assert!(all.len() > 200);
    let queries: &[(&str, &[(&str, &str)])] = &[
        ("", &[("kind", "hardware")]),
        (
            "",
            &[("kind", "software"), ("licence-family", "permissive")],
        ),
        ("timing", &[]),
        ("timing", &[("kind", "hardware"), ("kind", "software")]),
        ("data", &[("licence-family", "strong-copyleft")]),
        ("", &[("topic", "timing"), ("kind", "hardware")]),
        ("board", &[("licence", "CERN-OHL-W-2.0")]),
    ];
    for (text, filters) in queries {
        let hits = |text: &str| {
            let cat = &cat;
            let text = text.to_owned();
            async move {
                cat.search(&Query {
                    text,
                    limit: 1000,
                    ..Query::default()
                })
                .await
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.project.slug)
                .collect::<BTreeSet<String>>()
            }
        };
        let by_text = hits(text).await;
        let q = Query {
            text: (*text).to_owned(),
            filters: filters
                .iter()
                .map(|(f, v)| ((*f).to_owned(), (*v).to_owned()))
                .collect(),
            limit: 1000,
            offset: 0,
        };
        let got = cat.search(&q).await.unwrap();
        let values: BTreeMap<&str, BTreeSet<(&'static str, String)>> = all
            .iter()
            .map(|p| (p.slug.as_str(), facet_values(p).into_iter().collect()))
            .collect();
        let passes = |slug: &str, skip: Option<&str>| {
            let mut wanted: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (f, v) in filters.iter() {
                wanted.entry(f).or_default().push(v);
            }
            wanted.iter().all(|(f, vs)| {
                Some(*f) == skip
                    || vs
                        .iter()
                        .any(|v| values[slug].contains(&(*f, (*v).to_owned())))
            })
        };
        let expected_total = by_text.iter().filter(|s| passes(s, None)).count();
        assert_eq!(got.total, expected_total, "{text:?} {filters:?}");
        // Every value some remaining project has is shown (up to the display limit).
        for facet in ospo_catalogue::facets::FACETS {
            let mut expected: BTreeMap<String, usize> = BTreeMap::new();
            for slug in by_text.iter().filter(|s| passes(s, Some(facet))) {
                for (f, v) in &values[slug.as_str()] {
                    if f == facet {
                        *expected.entry(v.clone()).or_default() += 1;
                    }
                }
            }
            let shown: BTreeMap<String, usize> = got
                .facets
                .get(*facet)
                .into_iter()
                .flatten()
                .filter(|fc| fc.count > 0)
                .map(|fc| (fc.value.clone(), fc.count))
                .collect();
            if expected.len() <= ospo_catalogue::store::FACET_VALUES_SHOWN {
                assert_eq!(shown, expected, "{text:?} {filters:?}: facet {facet}");
            }
        }
        for (facet, shown) in &got.facets {
            for fc in shown {
                let expected = by_text
                    .iter()
                    .filter(|s| passes(s, Some(facet.as_str())))
                    .filter(|s| {
                        values[s.as_str()]
                            .iter()
                            .any(|(f, v)| f == facet && *v == fc.value)
                    })
                    .count();
                assert_eq!(
                    fc.count, expected,
                    "{text:?} {filters:?}: {facet}={}",
                    fc.value
                );
            }
        }
    }
}

/// Searches are remembered per index; a write through this catalogue or through another one on
/// the same database (another server) must still show in the next search.
async fn a_repeated_search_never_outlives_a_change(b: Backend) {
    let (url, _dir) = fresh_url(b).await;
    let cat = Catalogue::open(&url).await.unwrap();
    let other = Catalogue::open(&url).await.unwrap();
    let mut p = project("fine-delay", "Fine Delay", ProjectKind::Hardware);
    p.summary = "Picosecond pulses".into();
    cat.create(&curator(), p, &now()).await.unwrap();
    let q = Query {
        text: "timing".into(),
        limit: 10,
        ..Query::default()
    };
    for _ in 0..3 {
        assert_eq!(cat.search(&q).await.unwrap().total, 0);
    }
    let mut p = cat.get("fine-delay").await.unwrap().unwrap();
    p.summary = "Timing pulses with picosecond delays".into();
    let p = cat.update(&curator(), p, &later(), "").await.unwrap();
    assert_eq!(cat.search(&q).await.unwrap().total, 1, "own write");
    assert_eq!(other.search(&q).await.unwrap().total, 1);
    let mut p2 = p.clone();
    p2.summary = "Picosecond pulses again".into();
    other.update(&curator(), p2, &later(), "").await.unwrap();
    // The other server's write is seen once the generation is checked again.
    tokio::time::sleep(ospo_catalogue::store::GENERATION_CHECK * 2).await;
    assert_eq!(
        cat.search(&q).await.unwrap().total,
        0,
        "another server's write"
    );
}
