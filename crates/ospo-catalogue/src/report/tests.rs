//! The report of a fixture year, figures checked against hand-computed values, and its
//! renderings snapshotted.

use super::render::{self, Format};
use super::*;
use ospo_core::{
    Actor, Advice, AdviceVerdict, Agreement, DisclosureAction, ExternalProject, LicenceExpression,
    ProjectKind, ProjectLink, Recommendation, Release, Role, Unit, Url, UseCase,
};

fn ts(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn day(text: &str) -> Timestamp {
    ts(&format!("{text}T09:00:00Z"))
}

fn project(
    slug: &str,
    kind: ProjectKind,
    unit: Option<&str>,
    licence: Option<&str>,
    created: &str,
    releases: &[Option<&str>],
    use_cases: &[&str],
) -> Project {
    let mut p = Project::new(Slug::parse(slug).unwrap(), slug, kind, ts(created));
    p.unit = unit.map(|u| Unit::parse(u).unwrap());
    p.licence = licence.map(|l| LicenceExpression::parse(l).unwrap());
    p.releases = releases
        .iter()
        .enumerate()
        .map(|(i, d)| Release {
            version: format!("v{i}"),
            date: d.map(|d| IsoDate::parse(d).unwrap()),
            url: None,
        })
        .collect();
    p.use_cases = use_cases
        .iter()
        .map(|d| UseCase {
            domain: (*d).to_owned(),
            text: format!("Used in {d}."),
        })
        .collect();
    p
}

fn submitter() -> Actor {
    Actor::new("dev1", "Developer", [Role::Maintainer])
}

fn ospo() -> Actor {
    Actor::new("ospo1", "OSPO member", [Role::OspoMember])
}

fn licence(text: &str) -> LicenceExpression {
    LicenceExpression::parse(text).unwrap()
}

/// A disclosure submitted on `submitted` and, if `decided` is given, reviewed and decided by
/// `decision` on that day.
fn disclosure(
    kind: ProjectKind,
    submitted: Option<&str>,
    decided: Option<(&str, DisclosureAction)>,
) -> Disclosure {
    let mut d = Disclosure::new("Fitter", kind, "dev1", day("2025-06-01"));
    d.project = Some(ProjectLink::Repository(
        Url::parse("https://gitlab.example.org/dev1/fitter").unwrap(),
    ));
    d.ambitions.why = "Share with other experiments".into();
    d.contributors = vec![ospo_core::disclosure::Contributor {
        name: "Developer".into(),
        affiliation: ospo_core::disclosure::Affiliation::Lab,
    }];
    let Some(submitted) = submitted else {
        return d;
    };
    d.apply(DisclosureAction::Submit, &submitter(), day(submitted))
        .unwrap();
    let Some((decided, action)) = decided else {
        return d;
    };
    if kind.includes_hardware() {
        // Sent to KT on submission; KT's outcome is the decision.
        d.apply(action, &ospo(), day(decided)).unwrap();
        return d;
    }
    d.apply(DisclosureAction::StartReview, &ospo(), day(submitted))
        .unwrap();
    let r = Recommendation {
        licence: licence("Apache-2.0"),
        reasons: vec!["permissive dependencies".into()],
        computed: None,
        override_reason: None,
    };
    d.apply(DisclosureAction::Recommend(r), &ospo(), day(submitted))
        .unwrap();
    d.apply(action, &ospo(), day(decided)).unwrap();
    d
}

fn contribution(
    created: &str,
    significant: bool,
    outside_physics: bool,
    verdict: Option<AdviceVerdict>,
) -> ContributionRequest {
    ContributionRequest {
        id: 0,
        version: 0,
        requester: "dev1".into(),
        project: ExternalProject {
            name: "scikit-image".into(),
            url: Url::parse("https://github.com/scikit-image/scikit-image").unwrap(),
            outside_physics,
        },
        licence: Some(licence("BSD-3-Clause")),
        agreement: Agreement::Dco,
        copyright_assignment: false,
        platform_terms: None,
        description: "A faster watershed".into(),
        significant,
        advice: verdict.map(|verdict| Advice {
            by: "ospo1".into(),
            at: day(created),
            verdict,
            text: "Conditions apply.".into(),
        }),
        created_at: day(created),
    }
}

fn service(slug: &str, criticality: Criticality, snapshots: &[&str]) -> ServiceInventory {
    ServiceInventory {
        slug: Slug::parse(slug).unwrap(),
        criticality,
        snapshots: snapshots
            .iter()
            .map(|d| IsoDate::parse(d).unwrap())
            .collect(),
    }
}

/// The fixture: what a catalogue might hold at the start of 2027.
pub(crate) fn fixture() -> ReportInput {
    use ProjectKind::*;
    let approve = || DisclosureAction::Approve {
        licence: licence("Apache-2.0"),
    };
    ReportInput {
        projects: vec![
            project(
                "root",
                Software,
                Some("EP-SFT"),
                Some("LGPL-2.1-or-later"),
                "2024-03-01T10:00:00Z",
                &[
                    Some("2024-06-01"),
                    Some("2025-05-20"),
                    Some("2026-02-10"),
                    Some("2026-09-01"),
                ],
                &["medical imaging"],
            ),
            project(
                "white-rabbit-switch",
                Hardware,
                Some("BE-CEM"),
                Some("CERN-OHL-W-2.0"),
                "2025-01-10T10:00:00Z",
                &[Some("2026-04-01")],
                &["telecommunications", "Finance"],
            ),
            project(
                "fmc-adc",
                Both,
                Some("BE-CEM"),
                Some("CERN-OHL-S-2.0 AND GPL-2.0-or-later"),
                "2026-05-05T10:00:00Z",
                &[None],
                &[],
            ),
            project(
                "indico",
                Software,
                Some("IT-CDA"),
                Some("MIT"),
                "2025-06-01T10:00:00Z",
                &[Some("2025-11-01"), Some("2027-01-15")],
                &[],
            ),
            project(
                "internal-tool",
                Software,
                None,
                Some("LicenseRef-lab-internal"),
                "2026-01-02T10:00:00Z",
                &[],
                &[],
            ),
            // 31 December 23:30 at UTC-1 is 2027 in UTC: not in the 2026 catalogue.
            project(
                "late-entry",
                Software,
                Some("EP-SFT"),
                Some("GPL-2.0-or-later OR MIT"),
                "2026-12-31T23:30:00-01:00",
                &[Some("2026-03-03")],
                &["finance"],
            ),
            project(
                "old-board",
                Hardware,
                None,
                None,
                "2023-01-01T10:00:00Z",
                &[],
                &["Medical imaging", "medical imaging"],
            ),
        ],
        disclosures: Some(vec![
            disclosure(
                Software,
                Some("2026-01-10"),
                Some(("2026-02-09", approve())),
            ),
            disclosure(
                Software,
                Some("2026-03-01"),
                Some((
                    "2026-03-11",
                    DisclosureAction::ApproveWithConditions {
                        licence: licence("GPL-3.0-or-later"),
                        conditions: "remove vendored code".into(),
                    },
                )),
            ),
            disclosure(
                Software,
                Some("2026-04-01"),
                Some((
                    "2026-06-30",
                    DisclosureAction::Decline {
                        reason: "third-party code".into(),
                    },
                )),
            ),
            disclosure(
                Hardware,
                Some("2026-05-01"),
                Some((
                    "2026-05-21",
                    DisclosureAction::Publish {
                        project: Slug::parse("white-rabbit-switch").unwrap(),
                        licence: Some(licence("CERN-OHL-W-2.0")),
                    },
                )),
            ),
            disclosure(
                Software,
                Some("2025-12-20"),
                Some(("2026-01-04", approve())),
            ),
            disclosure(Software, Some("2026-11-01"), None),
            disclosure(Software, None, None),
        ]),
        contributions: Some(vec![
            contribution("2026-02-01", true, true, Some(AdviceVerdict::Go)),
            contribution(
                "2026-03-01",
                true,
                false,
                Some(AdviceVerdict::GoWithConditions),
            ),
            contribution("2026-04-01", true, true, Some(AdviceVerdict::NoGo)),
            contribution("2026-05-01", false, true, Some(AdviceVerdict::Go)),
            contribution("2025-05-01", true, true, Some(AdviceVerdict::Go)),
        ]),
        services: Some(vec![
            service(
                "accelerator-controls",
                Criticality::Critical,
                &["2026-03-01"],
            ),
            service("identity", Criticality::Critical, &[]),
            service("safety", Criticality::Critical, &["2027-01-05"]),
            service("indico", Criticality::Important, &["2025-01-01"]),
            service("wiki", Criticality::Standard, &[]),
        ]),
    }
}

fn kpi<'a>(r: &'a Report, id: &str) -> &'a KpiValue {
    &r.sections
        .iter()
        .flat_map(|s| &s.kpis)
        .find(|k| k.id == id)
        .unwrap_or_else(|| panic!("no KPI {id}"))
        .value
}

fn count(r: &Report, id: &str) -> u64 {
    match kpi(r, id) {
        KpiValue::Count { count } => *count,
        other => panic!("{id} is {other:?}"),
    }
}

fn dist(r: &Report, id: &str) -> Vec<(String, u64)> {
    match kpi(r, id) {
        KpiValue::Distribution { rows, .. } => {
            rows.iter().map(|r| (r.label.clone(), r.count)).collect()
        }
        other => panic!("{id} is {other:?}"),
    }
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect()
}

#[test]
fn figures_match_the_hand_computed_values() {
    let r = compute(&fixture(), 2026);
    // late-entry is 2027 in UTC; the other six were created by the end of 2026.
    assert_eq!(count(&r, "catalogue.projects"), 6);
    assert_eq!(count(&r, "catalogue.new"), 2);
    assert_eq!(
        dist(&r, "catalogue.by-kind"),
        pairs(&[("software", 3), ("hardware", 2), ("both", 1)])
    );
    assert_eq!(
        dist(&r, "catalogue.by-unit"),
        pairs(&[
            ("BE-CEM", 2),
            ("none recorded", 2),
            ("EP-SFT", 1),
            ("IT-CDA", 1)
        ])
    );
    assert_eq!(
        dist(&r, "catalogue.by-licence-family"),
        pairs(&[
            ("permissive", 1),
            ("weak-copyleft", 2),
            ("strong-copyleft", 1),
            ("unknown", 1),
            ("none recorded", 1)
        ])
    );
    // root 2026-02-10 and 2026-09-01, white-rabbit-switch 2026-04-01; late-entry's release
    // is left out with its project, indico's 2027 release with its year.
    assert_eq!(count(&r, "releases.in-year"), 3);
    assert_eq!(count(&r, "releases.projects-releasing"), 2);
    assert_eq!(
        dist(&r, "releases.per-year"),
        pairs(&[("2024", 1), ("2025", 2), ("2026", 3)])
    );
    assert_eq!(kpi(&r, "licences.detectable"), &KpiValue::share(4, 6));
    assert!(matches!(
        kpi(&r, "licences.reuse-clean"),
        KpiValue::NotMeasured { .. }
    ));
    assert_eq!(count(&r, "disclosures.received"), 5);
    assert_eq!(count(&r, "disclosures.decided"), 5);
    assert_eq!(
        dist(&r, "disclosures.by-outcome"),
        pairs(&[
            ("approved", 2),
            ("approved-with-conditions", 1),
            ("declined", 1),
            ("published via KT", 1)
        ])
    );
    // 10, 15, 20, 30, 90 days: rank ceil(2.5) = 3 and ceil(4.5) = 5.
    assert_eq!(
        kpi(&r, "disclosures.time-to-decision"),
        &KpiValue::Durations {
            count: 5,
            median_seconds: Some(20 * 86_400),
            p90_seconds: Some(90 * 86_400),
            median_days: Some(20.0),
            p90_days: Some(90.0),
        }
    );
    assert_eq!(
        kpi(&r, "inventory.critical-with-inventory"),
        &KpiValue::share(1, 3)
    );
    assert_eq!(count(&r, "contributions.requests"), 4);
    assert_eq!(count(&r, "contributions.significant"), 2);
    assert_eq!(
        kpi(&r, "contributions.outside-physics"),
        &KpiValue::share(1, 2)
    );
    assert_eq!(kpi(&r, "use-cases.projects"), &KpiValue::share(3, 6));
    assert_eq!(count(&r, "use-cases.count"), 5);
    assert_eq!(
        dist(&r, "use-cases.by-domain"),
        pairs(&[
            ("medical imaging", 2),
            ("finance", 1),
            ("telecommunications", 1)
        ])
    );
}

#[test]
fn an_earlier_year_sees_the_catalogue_as_it_stood() {
    let r = compute(&fixture(), 2025);
    assert_eq!(count(&r, "catalogue.projects"), 4);
    assert_eq!(count(&r, "releases.in-year"), 2);
    assert_eq!(
        dist(&r, "releases.per-year"),
        pairs(&[("2024", 1), ("2025", 2)])
    );
    assert_eq!(count(&r, "disclosures.received"), 1);
    assert_eq!(count(&r, "disclosures.decided"), 0);
    assert_eq!(
        kpi(&r, "disclosures.time-to-decision"),
        &KpiValue::durations(vec![])
    );
    assert_eq!(
        kpi(&r, "inventory.critical-with-inventory"),
        &KpiValue::share(0, 3)
    );
    assert_eq!(
        years_with_data_in(&fixture()),
        vec![2023, 2024, 2025, 2026, 2027]
    );
}

#[test]
fn missing_data_is_not_measured_rather_than_zero() {
    let input = ReportInput {
        projects: fixture().projects,
        ..ReportInput::default()
    };
    let r = compute(&input, 2026);
    for id in [
        "disclosures.received",
        "disclosures.time-to-decision",
        "inventory.critical-with-inventory",
        "contributions.significant",
        "contributions.outside-physics",
    ] {
        assert!(
            matches!(kpi(&r, id), KpiValue::NotMeasured { .. }),
            "{id}: {:?}",
            kpi(&r, id)
        );
    }
    let md = render::markdown(&r);
    assert!(md.contains("not measured: the catalogue does not store disclosures yet"));
}

#[test]
fn percentiles_are_nearest_rank_and_rounding_is_fixed() {
    assert_eq!(nearest_rank(&[], 50), None);
    assert_eq!(nearest_rank(&[7], 90), Some(7));
    assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
    assert_eq!(nearest_rank(&[1, 2, 3, 4], 90), Some(4));
    let ten: Vec<i64> = (1..=10).collect();
    assert_eq!(nearest_rank(&ten, 90), Some(9));
    assert_eq!(percent(1, 3), Some(33.3));
    assert_eq!(percent(2, 3), Some(66.7));
    assert_eq!(percent(1, 8), Some(12.5));
    assert_eq!(percent(0, 0), None);
    assert_eq!(days(129_600), 1.5);
    assert_eq!(days(4_319), 0.0);
    assert_eq!(days(4_320), 0.1);
}

#[test]
fn years_are_four_digits_in_range() {
    assert_eq!(parse_year("2026").unwrap(), 2026);
    for bad in ["26", "20266", "year", "1969", "+202", "0999", ""] {
        let e = parse_year(bad).unwrap_err().to_string();
        assert!(e.contains("is not a year"), "{bad}: {e}");
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let a = compute(&fixture(), 2026);
    let b = compute(&fixture(), 2026);
    for format in [Format::Html, Format::Markdown, Format::Json] {
        assert_eq!(
            render::render(&a, format).as_bytes(),
            render::render(&b, format).as_bytes()
        );
    }
    // Input order does not matter either.
    let mut shuffled = fixture();
    shuffled.projects.reverse();
    if let Some(d) = shuffled.disclosures.as_mut() {
        d.reverse();
    }
    if let Some(s) = shuffled.services.as_mut() {
        s.reverse();
    }
    let c = compute(&shuffled, 2026);
    assert_eq!(render::json(&a), render::json(&c));
}

#[test]
fn json_reads_back_into_the_same_report() {
    let r = compute(&fixture(), 2026);
    let back: Report = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(back, r);
}

#[test]
fn html_has_a_chart_and_a_table_per_distribution_and_escapes_text() {
    let mut input = fixture();
    input.projects[0].unit = Some(Unit {
        department: "<script>alert(1)</script>".into(),
        group: None,
    });
    let r = compute(&input, 2026);
    let html = render::html(&r);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.ends_with("</html>\n"));
    assert!(!html.contains("<script>"), "text is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let distributions = r
        .sections
        .iter()
        .flat_map(|s| &s.kpis)
        .filter(|k| matches!(&k.value, KpiValue::Distribution { rows, .. } if !rows.is_empty()))
        .count();
    assert_eq!(html.matches("<svg ").count(), distributions);
    assert_eq!(html.matches("<table>").count(), distributions);
    assert!(
        html.contains("aria-labelledby=\"kpi-catalogue-by-kind-title kpi-catalogue-by-kind-desc\"")
    );
    assert!(html.contains(
        "<desc id=\"kpi-catalogue-by-kind-desc\">software: 3; hardware: 2; both: 1</desc>"
    ));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(render::markdown(&compute(&fixture(), 2026)));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(render::json(&compute(&fixture(), 2026)));
}
