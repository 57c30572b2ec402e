//! Engine throughput: pair look-ups, parsed-expression checks and full reports.
//!
//! `cargo bench -p ospo-licence --bench engine`; figures are quoted in docs/benchmarks.md.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ospo_licence::{Engine, Expression, Matrix, Mode, Term, Use};
use std::hint::black_box;

fn term(s: &str) -> Term {
    match Expression::parse(s).expect("valid id") {
        Expression::Term(t) => t,
        _ => unreachable!("one licence"),
    }
}

/// The 13,225 pairs of OSADL's matrix as (inbound, outbound) terms.
fn osadl_pairs() -> Vec<(Expression, Term)> {
    let names = Matrix::get().names();
    let mut v = Vec::with_capacity(names.len() * names.len());
    for out in names {
        for inb in names {
            v.push((Expression::parse(inb).expect("valid"), term(out)));
        }
    }
    v
}

/// Ten-term expressions with ORs, as found in real package metadata.
const EXPRESSIONS: &[&str] = &[
    "(MIT OR Apache-2.0) AND BSD-3-Clause AND (GPL-2.0-or-later OR LGPL-2.1-only) AND ISC AND Zlib AND (MPL-2.0 OR EPL-2.0) AND Unicode-DFS-2016 AND BSL-1.0",
    "Apache-2.0 WITH LLVM-exception OR MIT AND (BSD-2-Clause OR 0BSD) AND CC0-1.0 AND (LGPL-3.0-or-later OR GPL-3.0-only) AND OpenSSL AND curl AND (X11 OR NCSA)",
    "(GPL-2.0-only WITH Classpath-exception-2.0 OR CDDL-1.1) AND (MIT OR Unlicense) AND Python-2.0 AND (Apache-2.0 OR BSD-3-Clause) AND PostgreSQL AND Libpng AND ICU",
    "(AGPL-3.0-or-later OR GPL-3.0-or-later) AND (MIT OR ISC) AND (Apache-2.0 OR MPL-2.0) AND BSD-3-Clause AND Zlib AND (CC-BY-4.0 OR CC0-1.0) AND WTFPL",
];

fn pairs(c: &mut Criterion) {
    let engine = Engine::new();
    let pairs = osadl_pairs();
    let mut g = c.benchmark_group("pair look-up");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("13,225 OSADL pairs, merged", |b| {
        b.iter(|| {
            for (inb, out) in &pairs {
                black_box(engine.verdict(black_box(inb), black_box(out), Use::Merged));
            }
        })
    });
    g.bench_function("13,225 OSADL pairs, dynamic-link", |b| {
        b.iter(|| {
            for (inb, out) in &pairs {
                black_box(engine.verdict(black_box(inb), black_box(out), Use::DynamicLink));
            }
        })
    });
    g.finish();
}

fn expressions(c: &mut Criterion) {
    let engine = Engine::new();
    let outbound = term("GPL-3.0-or-later");
    let mut g = c.benchmark_group("parse and check");
    g.throughput(Throughput::Elements(EXPRESSIONS.len() as u64));
    g.bench_function("10-term expressions with ORs", |b| {
        b.iter(|| {
            for e in EXPRESSIONS {
                let parsed = Expression::parse(black_box(e)).expect("valid");
                black_box(engine.verdict(&parsed, &outbound, Use::DynamicLink));
            }
        })
    });
    let singles = ["MIT", "Apache-2.0", "GPL-2.0-only", "LGPL-2.1-or-later"];
    g.throughput(Throughput::Elements(singles.len() as u64));
    g.bench_function("single licence", |b| {
        b.iter(|| {
            for e in singles {
                let parsed = Expression::parse(black_box(e)).expect("valid");
                black_box(engine.verdict(&parsed, &outbound, Use::Merged));
            }
        })
    });
    g.finish();
}

fn reports(c: &mut Criterion) {
    let engine = Engine::new();
    let mut g = c.benchmark_group("full report");
    g.throughput(Throughput::Elements(1));
    g.bench_function(
        "10-term expression, lenient, with explanations and fixes",
        |b| {
            b.iter_batched(
                || EXPRESSIONS[0],
                |e| {
                    black_box(
                        engine
                            .check(&[e], "Apache-2.0", Use::DynamicLink, Mode::Lenient)
                            .expect("valid"),
                    )
                },
                BatchSize::SmallInput,
            )
        },
    );
    g.finish();
}

criterion_group!(benches, pairs, expressions, reports);
criterion_main!(benches);
