//! The licences OSADL lacks get cited verdicts against the common outbound licences: never
//! `unknown` where a licence text or published guidance decides it, and every verdict cites
//! its basis.

use ospo_licence::{Engine, Mode, Use, Verdict};

const INBOUND: &[&str] = &[
    "CERN-OHL-1.1",
    "CERN-OHL-1.2",
    "CERN-OHL-P-2.0",
    "CERN-OHL-W-2.0",
    "CERN-OHL-S-2.0",
    "CC0-1.0",
    "MIT-0",
    "Unicode-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "OFL-1.1",
    "Apache-2.0 WITH LLVM-exception",
    "GPL-3.0-only WITH GCC-exception-3.1",
    "GPL-2.0-only WITH Classpath-exception-2.0",
];

const OUTBOUND: &[&str] = &[
    "MIT",
    "BSD-3-Clause",
    "Apache-2.0",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "EUPL-1.2",
    "CERN-OHL-P-2.0",
    "CERN-OHL-W-2.0",
    "CERN-OHL-S-2.0",
];

/// Pairs where no licence text or published guidance decides the question; the engine must
/// say `unknown` there rather than guess (see data/knowledge.json's notes).
const NO_BASIS: &[(&str, &str, Use)] = &[
    (
        "Apache-2.0 WITH LLVM-exception",
        "LGPL-2.1-only",
        Use::StaticLink,
    ),
    (
        "Apache-2.0 WITH LLVM-exception",
        "LGPL-2.1-only",
        Use::DynamicLink,
    ),
    ("CC-BY-SA-4.0", "GPL-2.0-only", Use::DynamicLink),
    // OSADL's own answer for Apache-2.0 into EUPL-1.2 is "Unknown"; the exception changes nothing.
    ("Apache-2.0 WITH LLVM-exception", "EUPL-1.2", Use::Merged),
    // EUPL-1.2 reaches network use, so the network question is the merged one above.
    ("Apache-2.0 WITH LLVM-exception", "EUPL-1.2", Use::Network),
];

#[test]
fn section_three_licences_have_cited_verdicts_against_common_outbound_licences() {
    let engine = Engine::new();
    let mut unknown = Vec::new();
    let mut uncited = Vec::new();
    let mut counts = [0usize; 4];
    for inbound in INBOUND {
        for outbound in OUTBOUND {
            for use_ in [
                Use::Merged,
                Use::StaticLink,
                Use::DynamicLink,
                Use::Separate,
                Use::Network,
            ] {
                let r = engine
                    .check(&[inbound], outbound, use_, Mode::Strict)
                    .unwrap();
                counts[match r.verdict {
                    Verdict::Yes => 0,
                    Verdict::Depends => 1,
                    Verdict::Unknown => 2,
                    Verdict::No => 3,
                }] += 1;
                if r.verdict == Verdict::Unknown && !NO_BASIS.contains(&(*inbound, *outbound, use_))
                {
                    unknown.push(format!(
                        "{inbound} -> {outbound} ({use_}): {}",
                        r.explanation
                    ));
                }
                if r.findings.iter().any(|f| f.basis.is_empty()) || r.sources.is_empty() {
                    uncited.push(format!("{inbound} -> {outbound} ({use_})"));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "{} unknown verdicts:\n{}",
        unknown.len(),
        unknown.join("\n")
    );
    assert!(
        uncited.is_empty(),
        "verdicts without a basis:\n{}",
        uncited.join("\n")
    );
    assert!(
        counts[0] > 0 && counts[1] > 0 && counts[3] > 0,
        "yes/depends/unknown/no: {counts:?}"
    );
}
