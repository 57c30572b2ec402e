//! Inventory benchmarks, on SQLite and on PostgreSQL (when `OSPO_TEST_POSTGRES` names a server):
//!
//! 1. the real SBOM corpus (`../shared/data/sboms`, override with `OSPO_BENCH_SBOMS`): parsing
//!    time, then storing every accepted file as a snapshot of its own service (throughput);
//! 2. a synthetic inventory of 10,000 services × 100 components = 1,000,000 usage edges (set
//!    `OSPO_BENCH_SERVICES` to change the size), ingested through the same path from generated
//!    CycloneDX files: where-used p50/p99 over 1,000 packages drawn uniformly, and "critical
//!    services with strong copyleft";
//! 3. the same questions as users would otherwise ask: plain SQL over a flat, naive table
//!    (one row per snapshot and component, licence as text, an index on the name) in the same
//!    database, and `grep` / `jq` over the generated SBOM files.
//!
//! `cargo bench -p ospo-catalogue --bench inventory`; figures go to docs/benchmarks.md by hand.
//! `OSPO_BENCH_ONLY=sqlite|postgres` runs one backend, `OSPO_BENCH_SKIP_CORPUS=1` skips part 1,
//! `OSPO_BENCH_INGEST_SERVICES=N` sets how many services go through the ingest path (500).

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use ospo_catalogue::Catalogue;
use ospo_catalogue::inventory::query::ServiceFilter;
use ospo_catalogue::inventory::store::InputFile;
use ospo_core::{Actor, Criticality, Exposure, IsoDate, Role, Service, Slug, Timestamp, Unit};
use ospo_licence::Category;
use std::path::{Path, PathBuf};
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

/// A small deterministic generator (xorshift64*), so every run builds the same inventory.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

async fn fresh_postgres(base: &str, name: &str) -> String {
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(base)
        .await
        .unwrap();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&admin)
            .await
            .unwrap();
    }
    admin.close().await;
    let (prefix, query) = base.split_once('?').unwrap_or((base, ""));
    format!("{}/{name}?{query}", prefix.rsplit_once('/').unwrap().0)
}

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            corpus_files(&p, out);
        } else if !matches!(
            p.file_name().and_then(|n| n.to_str()),
            Some("MANIFEST.tsv" | "SOURCE")
        ) {
            out.push(p);
        }
    }
}

fn service(slug: &str, criticality: Criticality, exposure: Exposure) -> Service {
    Service {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        owner: Unit::parse("IT-CDA").unwrap(),
        criticality,
        exposure,
        description: String::new(),
        links: vec![],
        project: None,
    }
}

async fn corpus(url: &str, backend: &str) {
    let dir = std::env::var_os("OSPO_BENCH_SBOMS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sboms")
        });
    let mut paths = Vec::new();
    corpus_files(&dir, &mut paths);
    let files: Vec<InputFile> = paths
        .iter()
        .map(|p| InputFile {
            name: p.display().to_string(),
            bytes: std::fs::read(p).unwrap(),
        })
        .collect();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    // Parsing alone.
    let start = Instant::now();
    let mut accepted = Vec::new();
    let mut components = 0;
    for f in &files {
        if let Ok(i) = ospo_catalogue::inventory::read(&f.name, &f.bytes) {
            components += i.entries.len();
            accepted.push(f.clone());
        }
    }
    let parse = start.elapsed();
    println!(
        "[{backend}] corpus: {} files ({:.1} MiB), {} accepted, {components} components; parsing {:.0} ms",
        files.len(),
        bytes as f64 / 1048576.0,
        accepted.len(),
        ms(parse)
    );
    let cat = Catalogue::open(url).await.unwrap();
    let a = actor();
    for i in 0..accepted.len() {
        let s = service(
            &format!("corpus-{i}"),
            Criticality::Standard,
            Exposure::Internal,
        );
        cat.put_service(&a, &s, &now()).await.unwrap();
    }
    let date = IsoDate::parse("2026-11-25").unwrap();
    let start = Instant::now();
    let mut stored = 0;
    for (i, f) in accepted.iter().enumerate() {
        let r = cat
            .ingest(
                &a,
                &format!("corpus-{i}"),
                &date,
                std::slice::from_ref(f),
                &now(),
            )
            .await
            .unwrap();
        stored += r.snapshot.usages;
    }
    let total = start.elapsed();
    println!(
        "[{backend}] corpus: ingest (parse + store) {:.2} s, {stored} usages, {:.0} usages/s; storing alone ≈ {:.2} s",
        total.as_secs_f64(),
        stored as f64 / total.as_secs_f64(),
        (total - parse.min(total)).as_secs_f64()
    );
    cat.close().await;
}

const LICENCES: &[(&str, f64)] = &[
    ("MIT", 0.40),
    ("Apache-2.0", 0.25),
    ("BSD-3-Clause", 0.12),
    ("ISC", 0.06),
    ("MPL-2.0", 0.03),
    ("LGPL-2.1-or-later", 0.03),
    ("GPL-2.0-only", 0.02),
    ("GPL-3.0-or-later", 0.015),
    ("AGPL-3.0-only", 0.005),
    ("NOASSERTION", 0.05),
];

struct Package {
    ecosystem: &'static str,
    name: String,
    versions: Vec<String>,
    licence: &'static str,
}

fn packages(n: usize, rng: &mut Rng) -> Vec<Package> {
    let ecosystems = ["npm", "pypi", "cargo", "maven"];
    (0..n)
        .map(|i| {
            let mut x = rng.unit();
            let mut licence = "MIT";
            for (l, p) in LICENCES {
                if x < *p {
                    licence = l;
                    break;
                }
                x -= p;
            }
            let versions = (0..1 + rng.below(4))
                .map(|v| format!("{}.{}.{}", 1 + v, rng.below(20), rng.below(10)))
                .collect();
            Package {
                ecosystem: ecosystems[i % 4],
                name: format!("pkg{i}"),
                versions,
                licence,
            }
        })
        .collect()
}

/// A package drawn by popularity (Zipf, s = 1): a few packages are used by most services.
fn zipf(rng: &mut Rng, harmonic: &[f64]) -> usize {
    let target = rng.unit() * harmonic[harmonic.len() - 1];
    harmonic.partition_point(|&h| h < target)
}

fn sbom(pkgs: &[Package], picks: &[(usize, usize)]) -> String {
    let components: Vec<serde_json::Value> = picks
        .iter()
        .map(|&(p, v)| {
            let p = &pkgs[p];
            let version = &p.versions[v];
            let group = if p.ecosystem == "maven" {
                "org.example/"
            } else {
                ""
            };
            serde_json::json!({
                "type": "library",
                "name": p.name,
                "version": version,
                "purl": format!("pkg:{}/{group}{}@{version}", p.ecosystem, p.name),
                "licenses": [{"expression": p.licence}],
            })
        })
        .collect();
    serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": components})
        .to_string()
}

/// The services of the synthetic inventory: context and the (package, version) pairs used.
struct Plan {
    slug: String,
    criticality: Criticality,
    exposure: Exposure,
    picks: Vec<(usize, usize)>,
}

fn plan(services: usize, pkgs: &[Package], rng: &mut Rng) -> Vec<Plan> {
    let per_service = 100;
    let mut harmonic = Vec::with_capacity(pkgs.len());
    let mut h = 0.0;
    for i in 0..pkgs.len() {
        h += 1.0 / (i + 1) as f64;
        harmonic.push(h);
    }
    (0..services)
        .map(|i| {
            let criticality = match rng.below(100) {
                0..5 => Criticality::Critical,
                5..20 => Criticality::Important,
                _ => Criticality::Standard,
            };
            let exposure = if rng.below(100) < 20 {
                Exposure::External
            } else {
                Exposure::Internal
            };
            let mut picks: Vec<(usize, usize)> = Vec::with_capacity(per_service);
            while picks.len() < per_service {
                let p = zipf(rng, &harmonic);
                if picks.iter().any(|(q, _)| *q == p) {
                    continue;
                }
                let v = rng.below(pkgs[p].versions.len() as u64) as usize;
                picks.push((p, v));
            }
            Plan {
                slug: format!("svc-{i}"),
                criticality,
                exposure,
                picks,
            }
        })
        .collect()
}

/// Ingest throughput through the real path (generated CycloneDX files, one transaction per
/// service), on the first `n` services of the plan; the files are kept for grep and jq.
async fn ingest_throughput(
    url: &str,
    backend: &str,
    plans: &[Plan],
    pkgs: &[Package],
    sbom_dir: &Path,
) {
    if plans.is_empty() {
        return;
    }
    let cat = Catalogue::open(url).await.unwrap();
    let a = actor();
    let date = IsoDate::parse("2026-11-25").unwrap();
    let start = Instant::now();
    let mut edges = 0;
    for p in plans {
        cat.put_service(&a, &service(&p.slug, p.criticality, p.exposure), &now())
            .await
            .unwrap();
        let text = sbom(pkgs, &p.picks);
        std::fs::write(sbom_dir.join(format!("{}.cdx.json", p.slug)), &text).unwrap();
        let r = cat
            .ingest(
                &a,
                &p.slug,
                &date,
                &[InputFile {
                    name: format!("{}.cdx.json", p.slug),
                    bytes: text.into_bytes(),
                }],
                &now(),
            )
            .await
            .unwrap();
        edges += r.snapshot.usages;
    }
    let load = start.elapsed();
    println!(
        "[{backend}] ingest path: {} services, {edges} usage edges in {:.1} s ({:.0} edges/s, {:.1} ms per service)",
        plans.len(),
        load.as_secs_f64(),
        edges as f64 / load.as_secs_f64(),
        ms(load) / plans.len() as f64
    );
    cat.close().await;
}

/// Loads the whole plan into the inventory's tables with multi-row INSERTs in one transaction
/// (the rows the ingest path writes: services, components, one snapshot per service, usages,
/// current edges), so the query figures are measured at full size.
async fn bulk_load(url: &str, plans: &[Plan], pkgs: &[Package]) {
    use ospo_catalogue::inventory::store::licence_category;
    let cat = Catalogue::open(url).await.unwrap();
    cat.close().await;
    macro_rules! load {
        ($pool:expr) => {{
            let pool = $pool;
            let mut tx = pool.begin().await.unwrap();
            let mut ids = std::collections::HashMap::new();
            let mut next = 1i64;
            let mut rows: Vec<(i64, usize, usize)> = Vec::new();
            for (p, pkg) in pkgs.iter().enumerate() {
                for v in 0..pkg.versions.len() {
                    ids.insert((p, v), next);
                    rows.push((next, p, v));
                    next += 1;
                }
            }
            let mut categories = std::collections::HashMap::new();
            for &(id, p, _) in &rows {
                let l = pkgs[p].licence;
                categories.insert(id, licence_category((l != "NOASSERTION").then_some(l)).as_str());
            }
            for chunk in rows.chunks(2000) {
                let mut sql = String::from("INSERT INTO inventory_components (id, fingerprint, package, name, name_key, version, ecosystem, purl, declared_expression, declared_how, declared_raw, declared_confidence, licence, category) VALUES ");
                let mut first = true;
                for &(id, p, v) in chunk {
                    let pkg = &pkgs[p];
                    let group = if pkg.ecosystem == "maven" { "org.example/" } else { "" };
                    let package = format!("pkg:{}/{group}{}", pkg.ecosystem, pkg.name);
                    let (expr, how, conf) = if pkg.licence == "NOASSERTION" { ("NULL".to_owned(), "'no-assertion'", 0) } else { (format!("'{}'", pkg.licence), "'spdx'", 100) };
                    let category = licence_category((pkg.licence != "NOASSERTION").then_some(pkg.licence));
                    if !first { sql.push_str(", "); }
                    first = false;
                    sql.push_str(&format!("({id}, 'bulk-{id}', '{package}', '{n}', '{n}', '{ver}', '{eco}', '{package}@{ver}', {expr}, {how}, '{raw}', {conf}, {expr}, '{cat}')",
                        n = pkg.name, ver = pkg.versions[v], eco = pkg.ecosystem, raw = pkg.licence, cat = category.as_str()));
                }
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap();
            }
            for chunk in plans.chunks(500) {
                let mut services = String::from("INSERT INTO inventory_services (id, slug, name, owner, criticality, exposure, description, links, created_at, updated_at) VALUES ");
                let mut snapshots = String::from("INSERT INTO inventory_snapshots (id, service_id, taken_on, ingested_at, actor, sources, warnings, usages) VALUES ");
                for (k, p) in chunk.iter().enumerate() {
                    let id: i64 = p.slug[4..].parse::<i64>().unwrap() + 1;
                    if k > 0 { services.push_str(", "); snapshots.push_str(", "); }
                    services.push_str(&format!("({id}, '{s}', '{s}', 'IT-CDA', '{c}', '{e}', '', '[]', '2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z')", s = p.slug, c = p.criticality, e = p.exposure));
                    snapshots.push_str(&format!("({id}, {id}, '2026-11-25', '2026-11-25T12:00:00Z', 'bench', '[]', '[]', {})", p.picks.len()));
                }
                sqlx::query(sqlx::AssertSqlSafe(services)).execute(&mut *tx).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(snapshots)).execute(&mut *tx).await.unwrap();
                for table in ["inventory_usages (snapshot_id, component_id, relation, scope)", "inventory_current (service_id, snapshot_id, component_id, relation, scope, category, criticality, exposure, service_slug, service_name, taken_on)"] {
                    let current = table.starts_with("inventory_current");
                    let mut sql = format!("INSERT INTO {table} VALUES ");
                    let mut first = true;
                    for p in chunk {
                        let id: i64 = p.slug[4..].parse::<i64>().unwrap() + 1;
                        for &(q, v) in &p.picks {
                            if !first { sql.push_str(", "); }
                            first = false;
                            let c = ids[&(q, v)];
                            if current {
                                sql.push_str(&format!(
                                    "({id}, {id}, {c}, 'direct', 'runtime', '{}', '{}', '{}', '{s}', '{s}', '2026-11-25')",
                                    categories[&c], p.criticality, p.exposure, s = p.slug
                                ));
                            } else {
                                sql.push_str(&format!("({id}, {c}, 'direct', 'runtime')"));
                            }
                        }
                    }
                    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap();
                }
            }
            tx.commit().await.unwrap();
            // Statistics for the planners, and on PostgreSQL the visibility map that index-only
            // scans rely on, as autovacuum leaves them after a bulk insert.
            let maintain = if url.starts_with("postgres") { "VACUUM ANALYZE" } else { "ANALYZE" };
            sqlx::query(maintain).execute(&pool).await.unwrap();
            pool.close().await;
        }};
    }
    if url.starts_with("postgres") {
        load!(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .unwrap()
        );
    } else {
        load!(
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(url))
                .await
                .unwrap()
        );
    }
}

async fn synthetic(url: &str, ingest_url: &str, backend: &str, sbom_dir: &Path) {
    let services: usize = std::env::var("OSPO_BENCH_SERVICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let through_ingest: usize = std::env::var("OSPO_BENCH_INGEST_SERVICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pkgs = packages(20_000, &mut rng);
    let plans = plan(services, &pkgs, &mut rng);
    ingest_throughput(
        ingest_url,
        backend,
        &plans[..through_ingest.min(services)],
        &pkgs,
        sbom_dir,
    )
    .await;
    let start = Instant::now();
    bulk_load(url, &plans, &pkgs).await;
    let critical = plans
        .iter()
        .filter(|p| p.criticality == Criticality::Critical)
        .count();
    let edges: usize = plans.iter().map(|p| p.picks.len()).sum();
    println!(
        "[{backend}] synthetic: {services} services ({critical} critical), {edges} usage edges bulk-loaded in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let cat = Catalogue::open(url).await.unwrap();
    let a = actor();
    // Where-used: 1,000 packages drawn uniformly, by name, with a range in their syntax.
    let range_of = |eco: &str| match eco {
        "npm" => ">=1.0.0 <3",
        "pypi" => ">=1.0,<3",
        "cargo" => ">=1.0.0, <3",
        _ => "[1.0,3.0)",
    };
    let mut times = Vec::new();
    let mut answered = 0usize;
    let queries: Vec<usize> = (0..1000)
        .map(|_| rng.below(pkgs.len() as u64) as usize)
        .collect();
    for &q in &queries {
        let p = &pkgs[q];
        let t = Instant::now();
        let w = cat
            .where_used(&a, &p.name, Some(p.ecosystem), Some(range_of(p.ecosystem)))
            .await
            .unwrap();
        times.push(t.elapsed());
        answered += w.services.len();
    }
    times.sort();
    println!(
        "[{backend}] where-used (1,000 packages, uniform): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {answered} service answers",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1])
    );
    let t = Instant::now();
    let w = cat
        .where_used(&a, &pkgs[0].name, Some(pkgs[0].ecosystem), None)
        .await
        .unwrap();
    println!(
        "[{backend}] where-used of the most used package: {:.2} ms, {} services",
        ms(t.elapsed()),
        w.services.len()
    );
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let d = cat
            .dependents(&a, &[Category::StrongCopyleft], ServiceFilter::Critical)
            .await
            .unwrap();
        times.push(t.elapsed());
        found = d.len();
    }
    times.sort();
    println!(
        "[{backend}] critical services with strong copyleft: median {:.2} ms, p99 {:.2} ms (20 runs), {found} services",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    cat.close().await;
    naive(url, backend, &pkgs, &queries).await;
}

/// The baseline: one flat table as an export of the SBOMs would give (service, its context,
/// component name, version, licence text), with an index on the name, queried with plain SQL.
async fn naive(url: &str, backend: &str, pkgs: &[Package], queries: &[usize]) {
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            let setup = [
                "DROP TABLE IF EXISTS naive_usages",
                "CREATE TABLE naive_usages AS SELECT s.slug AS service, s.criticality, s.exposure, sn.taken_on, comp.name, comp.ecosystem, comp.version, COALESCE(comp.declared_raw, '') AS licence \
                 FROM inventory_usages u JOIN inventory_snapshots sn ON sn.id = u.snapshot_id JOIN inventory_services s ON s.id = sn.service_id JOIN inventory_components comp ON comp.id = u.component_id",
                "CREATE INDEX naive_by_name ON naive_usages (name)",
                "CREATE INDEX naive_by_service ON naive_usages (service, taken_on)",
            ];
            for sql in setup {
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            let mut times = Vec::new();
            for &q in queries {
                let p = &pkgs[q];
                let t = Instant::now();
                // Latest snapshot per service, by name; the version range cannot be expressed
                // in SQL (string comparison is wrong for 1.10 vs 1.9), so it is filtered after.
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT n.service, n.version FROM naive_usages n WHERE n.name = $1 AND n.ecosystem = $2 \
                     AND n.taken_on = (SELECT MAX(m.taken_on) FROM naive_usages m WHERE m.service = n.service)",
                )
                .bind(&p.name)
                .bind(p.ecosystem)
                .fetch_all(&pool)
                .await
                .unwrap();
                let _kept = rows.iter().filter(|(_, v)| v.as_str() >= "1" && v.as_str() < "3").count();
                times.push(t.elapsed());
            }
            times.sort();
            println!(
                "[{backend}] naive SQL where-used: p50 {:.2} ms, p99 {:.2} ms",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            );
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..5 {
                let t = Instant::now();
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT DISTINCT n.service FROM naive_usages n WHERE n.criticality = 'critical' \
                     AND (n.licence LIKE '%GPL%' AND n.licence NOT LIKE '%LGPL%') \
                     AND n.taken_on = (SELECT MAX(m.taken_on) FROM naive_usages m WHERE m.service = n.service)",
                )
                .fetch_all(&pool)
                .await
                .unwrap();
                times.push(t.elapsed());
                n = rows.len();
            }
            times.sort();
            println!(
                "[{backend}] naive SQL critical services with GPL (LIKE): median {:.2} ms, {n} services (AGPL counted as strong, exceptions and OR choices not understood)",
                ms(percentile(&times, 0.5))
            );
            sqlx::query("DROP TABLE naive_usages").execute(&pool).await.unwrap();
        }};
    }
    if url.starts_with("postgres") {
        run!(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .unwrap()
        );
    } else {
        run!(
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(url))
                .await
                .unwrap()
        );
    }
}

/// What someone with a folder of SBOMs would run: `grep -l` for the name, and `jq` for the
/// components of one name.
fn files_baseline(dir: &Path, name: &str) {
    let t = Instant::now();
    let o = std::process::Command::new("grep")
        .args([
            "-rl",
            &format!("\"name\":\"{name}\""),
            dir.to_str().unwrap(),
        ])
        .output();
    let grep = t.elapsed();
    let hits = o
        .map(|o| {
            o.stdout
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .count()
        })
        .unwrap_or(0);
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let t = Instant::now();
    let o = std::process::Command::new("jq")
        .arg("-c")
        .arg(format!(
            "[.components[] | select(.name == \"{name}\") | .version] | select(length > 0) | [input_filename, .]"
        ))
        .args(&files)
        .output();
    let jq = t.elapsed();
    let jq_hits = o
        .map(|o| {
            o.stdout
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .count()
        })
        .unwrap_or(0);
    println!(
        "files: grep -rl over {} SBOMs: {:.0} ms ({hits} files); jq over them: {:.0} ms ({jq_hits} files)",
        files.len(),
        ms(grep),
        ms(jq)
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sboms = dir.path().join("sboms");
    std::fs::create_dir_all(&sboms).unwrap();
    rt.block_on(async {
        let only = std::env::var("OSPO_BENCH_ONLY").unwrap_or_default();
        let mut backends = vec![("sqlite", dir.path().join("inv.db").display().to_string())];
        if let Ok(base) = std::env::var("OSPO_TEST_POSTGRES") {
            backends.push((
                "postgres",
                fresh_postgres(&base, "ospo_bench_inventory").await,
            ));
        }
        for (backend, url) in &backends {
            if !only.is_empty() && only != *backend {
                continue;
            }
            let corpus_url = if *backend == "sqlite" {
                dir.path().join("corpus.db").display().to_string()
            } else {
                fresh_postgres(
                    &std::env::var("OSPO_TEST_POSTGRES").unwrap(),
                    "ospo_bench_corpus",
                )
                .await
            };
            if std::env::var_os("OSPO_BENCH_SKIP_CORPUS").is_none() {
                corpus(&corpus_url, backend).await;
            }
            let ingest_url = if *backend == "sqlite" {
                dir.path().join("ingest.db").display().to_string()
            } else {
                fresh_postgres(
                    &std::env::var("OSPO_TEST_POSTGRES").unwrap(),
                    "ospo_bench_ingest",
                )
                .await
            };
            synthetic(url, &ingest_url, backend, &sboms).await;
        }
    });
    files_baseline(&sboms, "pkg0");
    files_baseline(&sboms, "pkg4321");
}
