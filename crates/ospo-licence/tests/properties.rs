//! Property tests: AND/OR evaluation agrees with brute-force enumeration of every OR choice,
//! and no input makes the parser panic.

use ospo_licence::{Engine, Expression, Mode, Term, Use, Verdict};
use proptest::prelude::*;

const LICENCES: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "GPL-2.0-only",
    "GPL-3.0-or-later",
    "LGPL-2.1-only",
    "MPL-2.0",
    "AGPL-3.0-only",
    "BSD-4-Clause",
    "CC0-1.0",
    "CDDL-1.0",
    "EUPL-1.2",
    "CC-BY-SA-4.0",
    "LicenseRef-lab-internal",
];

fn expression() -> impl Strategy<Value = Expression> {
    let leaf = proptest::sample::select(LICENCES).prop_map(|id| Expression::parse(id).unwrap());
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4).prop_map(Expression::And),
            proptest::collection::vec(inner, 2..4).prop_map(Expression::Or),
        ]
    })
}

/// Every way of resolving the ORs: a list of alternatives, each a list of terms that all apply.
fn alternatives(e: &Expression) -> Vec<Vec<Term>> {
    match e {
        Expression::Term(t) => vec![vec![t.clone()]],
        Expression::Or(items) => items.iter().flat_map(alternatives).collect(),
        Expression::And(items) => items.iter().fold(vec![vec![]], |acc, item| {
            let alts = alternatives(item);
            acc.iter()
                .flat_map(|a| {
                    alts.iter()
                        .map(move |b| a.iter().chain(b).cloned().collect())
                })
                .collect()
        }),
    }
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Yes => 0,
        Verdict::Depends => 1,
        Verdict::Unknown => 2,
        Verdict::No => 3,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn or_and_evaluation_matches_brute_force(
        e in expression(),
        out in proptest::sample::select(&LICENCES[..12]),
        use_ in proptest::sample::select(&Use::ALL[..]),
    ) {
        let engine = Engine::new();
        let out_term = match Expression::parse(out).unwrap() { Expression::Term(t) => t, _ => unreachable!() };
        let fast = engine.verdict(&e, &out_term, use_);
        let single = |t: &Term| engine.verdict(&Expression::Term(t.clone()), &out_term, use_);
        let brute = alternatives(&e)
            .iter()
            .map(|alt| alt.iter().map(single).max_by_key(|v| rank(*v)).unwrap_or(Verdict::Yes))
            .min_by_key(|v| rank(*v))
            .unwrap();
        prop_assert_eq!(fast, brute, "{} -> {} ({})", e, out, use_);
        // The full report agrees with the fast path, and round-trips through its text.
        let report = engine.report(vec![e.clone()], Expression::Term(out_term.clone()), use_, vec![]);
        prop_assert_eq!(report.verdict, fast);
        let reparsed = Expression::parse(&e.to_string()).unwrap();
        prop_assert_eq!(engine.verdict(&reparsed, &out_term, use_), fast);
    }

    #[test]
    fn parser_never_panics_and_errors_point_inside_the_input(s in "\\PC{0,40}") {
        for mode in [Mode::Strict, Mode::Lenient] {
            if let Err(err) = Expression::parse_with(&s, mode) {
                prop_assert!(err.offset <= s.len());
                prop_assert!(err.column <= s.chars().count() + 1);
                prop_assert!(!err.to_string().is_empty());
            }
        }
    }

    #[test]
    fn parser_never_panics_on_expression_like_noise(
        parts in proptest::collection::vec(prop_oneof![
            Just("AND"), Just("OR"), Just("WITH"), Just("("), Just(")"), Just("+"), Just("and"), Just("/"),
            Just("MIT"), Just("GPL-2.0"), Just("Classpath-exception-2.0"), Just("LicenseRef-x"), Just("Apache 2.0"),
        ], 0..12)
    ) {
        let s = parts.join(" ");
        for mode in [Mode::Strict, Mode::Lenient] {
            match Expression::parse_with(&s, mode) {
                Ok((e, _)) => {
                    // What parses prints back to something that parses to the same thing.
                    let again = Expression::parse(&e.to_string());
                    prop_assert!(again.is_ok(), "{} printed as {}", s, e);
                    prop_assert_eq!(again.unwrap(), e);
                }
                Err(err) => prop_assert!(err.offset <= s.len()),
            }
        }
    }
}
