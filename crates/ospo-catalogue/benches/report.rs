//! The yearly report: how long computing and rendering it takes for a large catalogue, and
//! gathering it from a seeded SQLite catalogue.
//!
//! `cargo bench -p ospo-catalogue --bench report`
//! Data: the seed (the lab's flagship software and the OHWR registry, 213 projects) for the
//! SQLite figure; for the pure computation, those projects varied to 10,000 with releases over
//! five years, 2,000 disclosures through the workflow and 1,000 contribution requests.
//! Figures go to docs/benchmarks.md by hand, with the command.

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use ospo_catalogue::report::{self, ReportInput, ServiceInventory, render};
use ospo_catalogue::{Catalogue, seed};
use ospo_core::{
    Actor, Advice, AdviceVerdict, Agreement, ContributionRequest, Criticality, Disclosure,
    DisclosureAction, ExternalProject, IsoDate, LicenceExpression, Project, ProjectKind,
    ProjectLink, Recommendation, Release, Role, Slug, Timestamp, Url, UseCase,
};
use std::time::{Duration, Instant};

const RUNS: usize = 20;

fn at(day: i64) -> Timestamp {
    // Day 0 is 2022-01-01.
    Timestamp::from_unix_seconds(1_640_995_200 + day * 86_400 + 9 * 3600)
}

fn licence(text: &str) -> LicenceExpression {
    LicenceExpression::parse(text).unwrap()
}

/// Median and 90th percentile (nearest rank) of `RUNS` timings of `f`.
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    runs.sort();
    let rank = |p: usize| runs[(p * RUNS).div_ceil(100) - 1];
    (rank(50), rank(90))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn projects(real: &[Project], count: usize) -> Vec<Project> {
    let licences = [
        "MIT",
        "Apache-2.0",
        "GPL-3.0-or-later",
        "LGPL-2.1-or-later OR MIT",
        "CERN-OHL-S-2.0",
        "LicenseRef-internal",
    ];
    (0..count)
        .map(|i| {
            let mut p = real[i % real.len()].clone();
            p.slug = Slug::parse(&format!("p{i}")).unwrap();
            p.created_at = at((i % 1800) as i64);
            p.licence = Some(licence(licences[i % licences.len()]));
            p.releases = (0..(i % 4))
                .map(|r| Release {
                    version: format!("{r}.0"),
                    date: Some(at(((i * 7 + r * 97) % 1800) as i64).date()),
                    url: None,
                })
                .collect();
            if i % 5 == 0 {
                p.use_cases.push(UseCase {
                    domain: format!("domain {}", i % 12),
                    text: "Used outside physics.".into(),
                });
            }
            p
        })
        .collect()
}

fn disclosures(count: usize) -> Vec<Disclosure> {
    let dev = Actor::new("dev", "Developer", [Role::Maintainer]);
    let ospo = Actor::new("ospo", "OSPO", [Role::OspoMember]);
    (0..count)
        .map(|i| {
            let day = (i % 1700) as i64;
            let mut d = Disclosure::new("Work", ProjectKind::Software, "dev", at(day));
            d.project = Some(ProjectLink::Repository(
                Url::parse("https://gitlab.example.org/dev/work").unwrap(),
            ));
            d.ambitions.why = "Reuse".into();
            d.contributors = vec![ospo_core::disclosure::Contributor {
                name: "Developer".into(),
                affiliation: ospo_core::disclosure::Affiliation::Lab,
            }];
            d.apply(DisclosureAction::Submit, &dev, at(day)).unwrap();
            if i % 10 != 0 {
                d.apply(DisclosureAction::StartReview, &ospo, at(day + 1))
                    .unwrap();
                let r = Recommendation {
                    licence: licence("Apache-2.0"),
                    reasons: vec!["permissive".into()],
                    computed: None,
                    override_reason: None,
                };
                d.apply(DisclosureAction::Recommend(r), &ospo, at(day + 2))
                    .unwrap();
                let decision = match i % 3 {
                    0 => DisclosureAction::Approve {
                        licence: licence("Apache-2.0"),
                    },
                    1 => DisclosureAction::Decline {
                        reason: "risk".into(),
                    },
                    _ => DisclosureAction::SendToKt {
                        note: String::new(),
                    },
                };
                d.apply(decision, &ospo, at(day + 3 + (i % 90) as i64))
                    .unwrap();
            }
            d
        })
        .collect()
}

fn contributions(count: usize) -> Vec<ContributionRequest> {
    (0..count)
        .map(|i| ContributionRequest {
            id: i as u64,
            version: 1,
            requester: "dev".into(),
            project: ExternalProject {
                name: "scikit-image".into(),
                url: Url::parse("https://github.com/scikit-image/scikit-image").unwrap(),
                outside_physics: i % 2 == 0,
            },
            licence: None,
            agreement: Agreement::Dco,
            copyright_assignment: false,
            platform_terms: None,
            description: String::new(),
            significant: i % 3 != 0,
            advice: Some(Advice {
                by: "ospo".into(),
                at: at((i % 1800) as i64),
                verdict: AdviceVerdict::Go,
                text: String::new(),
            }),
            created_at: at((i % 1800) as i64),
        })
        .collect()
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let (real, gathered) = rt.block_on(async {
        let cat = Catalogue::open(db.to_str().unwrap()).await.unwrap();
        seed::seed(&cat, &at(1780)).await.unwrap();
        let real = cat.all().await.unwrap();
        let year = 2026;
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            std::hint::black_box(cat.report(year).await.unwrap());
            runs.push(t.elapsed());
        }
        runs.sort();
        (
            real,
            (runs[RUNS / 2 - 1], runs[(9 * RUNS).div_ceil(10) - 1]),
        )
    });
    println!("# ospo report: {RUNS} runs each, median / p90 in ms\n");
    println!(
        "SQLite, {} projects (the seed): gather + compute, {} / {}",
        real.len(),
        ms(gathered.0),
        ms(gathered.1)
    );

    let input = ReportInput {
        projects: projects(&real, 10_000),
        disclosures: Some(disclosures(2_000)),
        contributions: Some(contributions(1_000)),
        services: Some(
            (0..500)
                .map(|i| ServiceInventory {
                    slug: Slug::parse(&format!("s{i}")).unwrap(),
                    criticality: [
                        Criticality::Critical,
                        Criticality::Important,
                        Criticality::Standard,
                    ][i % 3],
                    snapshots: (0..(i % 3))
                        .map(|k| IsoDate::parse(&format!("202{}-0{}-01", 3 + k, 1 + k)).unwrap())
                        .collect(),
                })
                .collect(),
        ),
    };
    println!(
        "In memory: 10,000 projects, 2,000 disclosures, 1,000 contribution requests, 500 services"
    );
    let (m, p) = time(|| report::compute(&input, 2026));
    println!("  compute: {} / {}", ms(m), ms(p));
    let r = report::compute(&input, 2026);
    for (name, format) in [
        ("html", render::Format::Html),
        ("markdown", render::Format::Markdown),
        ("json", render::Format::Json),
    ] {
        let (m, p) = time(|| render::render(&r, format));
        let bytes = render::render(&r, format).len();
        println!("  render {name}: {} / {} ({bytes} bytes)", ms(m), ms(p));
    }
}
