//! Catalogue benchmarks: importing real catalogues, and faceted search at 10,000 projects,
//! on SQLite and on PostgreSQL (when `OSPO_TEST_POSTGRES` names a server).
//!
//! `cargo bench -p ospo-catalogue --bench catalogue`
//! Data: `../shared/data/catalogue/code-gov-doe.json` (5,832 entries; override with
//! `OSPO_BENCH_CODE_JSON`) and the OHWR registry from the seed. Figures go to
//! docs/benchmarks.md by hand, with the command.

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use ospo_catalogue::formats::{self, Format};
use ospo_catalogue::{Catalogue, Query, seed};
use ospo_core::{Actor, Project, ProjectKind, Provenance, Role, Slug, Timestamp};
use std::time::{Duration, Instant};

fn now() -> Timestamp {
    Timestamp::parse("2026-11-25T12:00:00Z").unwrap()
}

fn actor() -> Actor {
    Actor::new("bench", "bench", [Role::OspoMember])
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn fresh_postgres(base: &str, name: &str) -> String {
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(base)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&admin)
    .await
    .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let (prefix, query) = base.split_once('?').unwrap_or((base, ""));
    format!("{}/{name}?{query}", prefix.rsplit_once('/').unwrap().0)
}

/// Synthetic variants of real projects, so that the catalogue reaches `target` projects with
/// the real distribution of words, facets and licences.
fn pad_to(real: &[Project], count: usize) -> Vec<Project> {
    let kinds = [
        ProjectKind::Software,
        ProjectKind::Hardware,
        ProjectKind::Both,
    ];
    let licences = [
        "MIT",
        "Apache-2.0",
        "GPL-3.0-or-later",
        "LGPL-2.1-or-later",
        "CERN-OHL-S-2.0",
        "BSD-3-Clause",
        "MPL-2.0",
    ];
    (0..count)
        .map(|i| {
            let mut p = real[i % real.len()].clone();
            p.slug = Slug::parse(&format!(
                "{}-v{i}",
                p.slug.as_str()[..p.slug.as_str().len().min(50)].trim_end_matches('-')
            ))
            .unwrap();
            p.kind = kinds[i % 3];
            if p.kind == ProjectKind::Software {
                p.readiness_level = None;
            }
            p.licence =
                Some(ospo_core::LicenceExpression::parse(licences[i % licences.len()]).unwrap());
            p.topics.push(format!("topic-{}", i % 40));
            p.provenance.clear();
            p
        })
        .collect()
}

async fn bench_backend(label: &str, url: &str, code_json: &str) {
    println!("\n## {label}");
    let cat = Catalogue::open(url).await.expect("open");
    let t = Instant::now();
    let code = formats::parse(Format::CodeJson, "code-gov-doe.json", code_json, now())
        .expect("code.json parses");
    let parse_code = t.elapsed();
    let t = Instant::now();
    let ohwr = formats::parse(
        Format::OhwrRegistry,
        "ohwr-config.yaml",
        seed::OHWR_REGISTRY,
        now(),
    )
    .expect("OHWR parses");
    let parse_ohwr = t.elapsed();
    let n_code = code.projects.len();
    let real: Vec<Project> = code.projects.clone();
    let t = Instant::now();
    let r = cat
        .import(
            &actor(),
            code.projects,
            &Provenance::Import {
                source: "code.json".into(),
            },
            &now(),
            "code.json",
        )
        .await
        .expect("import code.json");
    let import_code = t.elapsed();
    let t = Instant::now();
    cat.import(
        &actor(),
        ohwr.projects,
        &Provenance::Import {
            source: "ohwr-registry".into(),
        },
        &now(),
        "ohwr",
    )
    .await
    .expect("import OHWR");
    let import_ohwr = t.elapsed();
    println!(
        "import: code.json {n_code} entries ({} created): parse {:.0} ms, store {:.2} s ({:.0}/s); OHWR 187: parse {:.1} ms, store {:.0} ms",
        r.created.len(),
        ms(parse_code),
        import_code.as_secs_f64(),
        n_code as f64 / import_code.as_secs_f64(),
        ms(parse_ohwr),
        ms(import_ohwr)
    );
    let current = cat.stats().await.unwrap().projects;
    let pad = pad_to(&real, 10_000 - current);
    let t = Instant::now();
    cat.import(
        &actor(),
        pad,
        &Provenance::Import {
            source: "synthetic".into(),
        },
        &now(),
        "synthetic",
    )
    .await
    .expect("pad");
    let total = cat.stats().await.unwrap().projects;
    println!(
        "padded to {total} projects in {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    cat.search(&Query {
        limit: 20,
        ..Query::default()
    })
    .await
    .unwrap();
    println!(
        "first search after the writes (index rebuild): {:.1} ms",
        ms(t.elapsed())
    );

    let texts = [
        "",
        "",
        "simulation",
        "data analysis",
        "climate model",
        "python",
        "fluid",
        "timing",
        "neutron",
        "solver",
        "gpu",
        "energy grid",
        "white rabbit",
        "genome",
        "mesh",
        "x",
    ];
    let facets: &[&[(&str, &str)]] = &[
        &[],
        &[("kind", "hardware")],
        &[("licence-family", "permissive")],
        &[("licence-family", "strong-copyleft"), ("kind", "software")],
        &[("language", "Python"), ("language", "C++")],
        &[("licence", "Apache-2.0"), ("status", "production")],
        &[("topic", "topic-7")],
    ];
    let mut lat = Vec::new();
    let iterations = 2_000;
    let start = Instant::now();
    for i in 0..iterations {
        let q = Query {
            text: texts[i % texts.len()].to_owned(),
            filters: facets[(i / texts.len()) % facets.len()]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            limit: 20,
            offset: (i % 3) * 20,
        };
        let t = Instant::now();
        let r = cat.search(&q).await.unwrap();
        lat.push(t.elapsed());
        std::hint::black_box(r);
    }
    let wall = start.elapsed();
    // Per text query, the median: where the time goes.
    let mut by_text: Vec<(String, Duration)> = texts
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut v: Vec<Duration> = lat
                .iter()
                .enumerate()
                .filter(|(i, _)| i % texts.len() == k)
                .map(|(_, d)| *d)
                .collect();
            v.sort();
            (format!("{t:?}"), percentile(&v, 0.5))
        })
        .collect();
    by_text.dedup_by(|a, b| a.0 == b.0);
    println!(
        "median by text: {}",
        by_text
            .iter()
            .map(|(t, d)| format!("{t} {:.2} ms", ms(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    lat.sort();
    println!(
        "faceted search at {total} projects, {iterations} queries (text x facet filters x pages): p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {:.0} queries/s on one connection",
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.95)),
        ms(percentile(&lat, 0.99)),
        ms(*lat.last().unwrap()),
        iterations as f64 / wall.as_secs_f64()
    );
    cat.close().await;
}

fn main() {
    // Accept and ignore the arguments cargo bench passes (e.g. --bench).
    let path = std::env::var("OSPO_BENCH_CODE_JSON").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/catalogue/code-gov-doe.json"
        )
        .to_owned()
    });
    let code_json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (set OSPO_BENCH_CODE_JSON)"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = dir.path().join("bench.db");
        bench_backend(
            "SQLite (embedded file)",
            sqlite.to_str().unwrap(),
            &code_json,
        )
        .await;
        match std::env::var("OSPO_TEST_POSTGRES") {
            Ok(base) => {
                let url = fresh_postgres(&base, "ospo_bench").await;
                bench_backend("PostgreSQL 15 (loopback)", &url, &code_json).await;
            }
            Err(_) => {
                println!("\nPostgreSQL skipped: set OSPO_TEST_POSTGRES=$(scripts/postgres.sh)")
            }
        }
    });
}
