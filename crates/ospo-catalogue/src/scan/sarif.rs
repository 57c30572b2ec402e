//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) of a scan: one result per
//! diagnostic, for the code-scanning pages of forges. Here rather than in a frontend so that the
//! CLI, the server and the Python bindings give the same document.

use super::{Report, Severity};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Where the codes are documented.
const HELP_URI: &str = "https://github.com/ospo-toolkit/ospo/blob/main/docs/scan.md";

/// What each diagnostic code means, for SARIF rules.
pub fn rule_text(code: &str) -> &'static str {
    match code {
        "reuse/missing-licence" => "File without licensing information (REUSE)",
        "reuse/missing-copyright" => "File without copyright information (REUSE)",
        "reuse/missing-licence-file" => "Licence used without its text in LICENSES/ (REUSE)",
        "reuse/unused-licence-file" => "Licence text in LICENSES/ that no file uses (REUSE)",
        "reuse/bad-licence-file" => "Badly named file in LICENSES/ (REUSE)",
        "reuse/invalid-annotations" => "REUSE.toml or .reuse/dep5 could not be read",
        "licence/invalid-expression" => "Licence tag that is not a valid SPDX expression",
        "licence/invalid-snippet-expression" => {
            "Snippet licence tag that is not a valid SPDX expression"
        }
        "licence/unidentified-text" => "Licence file whose text matches no SPDX licence",
        "manifest/invalid-licence" => "Manifest licence field that is not a licence expression",
        "manifest/unreadable" => "Manifest that could not be parsed",
        "declared/missing" => "No declared licence",
        "declared/mismatch" => "Licence file that differs from the declared licence",
        "compat/incompatible" => "Licence incompatible with the outbound licence",
        "compat/unknown" => "Licence whose compatibility with the outbound licence is unknown",
        "compat/conditional" => "Licence compatible with the outbound licence only on conditions",
        "scan/skipped" => "File not read (binary, too large, link, unreadable)",
        "scan/unreadable" => "Path that could not be walked",
        other => super::ready::title_of(other).unwrap_or("Scan finding"),
    }
}

/// A path as a relative URI reference (RFC 3986: unreserved characters and `/` kept).
fn uri(path: &str) -> String {
    let mut s = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s
}

/// The SARIF 2.1.0 log of a scan: the rules met (with the rule each readiness check comes
/// from), one result per diagnostic, paths relative to `SRCROOT` (the scanned root).
pub fn sarif(report: &Report) -> Value {
    let mut codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| {
            let mut rule = json!({
                "id": c,
                "shortDescription": {"text": rule_text(c)},
                "helpUri": HELP_URI,
            });
            if let Some(source) = super::ready::rule_of(c) {
                rule["fullDescription"] = json!({"text": format!("From: {source}")});
            }
            rule
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut res = json!({
                "ruleId": d.code,
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                "message": {"text": d.message},
            });
            if let Some(p) = &d.path {
                let mut loc = json!({"artifactLocation": {"uri": uri(p), "uriBaseId": "SRCROOT"}});
                if let Some(l) = d.line {
                    loc["region"] = json!({"startLine": l});
                }
                res["locations"] = json!([{"physicalLocation": loc}]);
            }
            res
        })
        .collect();
    let base = std::fs::canonicalize(&report.root)
        .map(|p| format!("file://{}/", uri(&p.to_string_lossy())))
        .unwrap_or_default();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ospo scan",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/ospo-toolkit/ospo",
                "rules": rules,
            }},
            "originalUriBaseIds": {"SRCROOT": {"uri": base}},
            "results": results,
        }]
    })
}
