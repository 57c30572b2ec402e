//! The data-driven suite: each `tests/cases/*.case` file is one question with its expected
//! verdict and key words of the explanation. Adding a case is adding a file.
//!
//! Keys: `inbound` (repeatable), `outbound`, `use`, `verdict`, and optionally `explanation`
//! (comma-separated words the summary must contain), `source` (a source key that must be
//! cited), `chosen` (the OR branch taken), `failing` (a failing term), `condition` (words of
//! a condition), `warning` (words of a lenient-reading warning), `disputed` (`yes`).

#![allow(
    clippy::disallowed_methods,
    reason = "the test harness reads its case files; the engine does not"
)]

use ospo_licence::{Engine, Mode, Use, Verdict};
use std::path::Path;

fn run_case(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut inbound = Vec::new();
    let mut fields = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("line {}: expected 'key: value'", n + 1))?;
        let (k, v) = (k.trim(), v.trim().to_owned());
        const KEYS: &[&str] = &[
            "inbound",
            "outbound",
            "use",
            "verdict",
            "explanation",
            "source",
            "chosen",
            "failing",
            "condition",
            "warning",
            "disputed",
        ];
        if !KEYS.contains(&k) {
            return Err(format!(
                "line {}: unknown key '{k}' (known: {})",
                n + 1,
                KEYS.join(", ")
            ));
        }
        if k == "inbound" {
            inbound.push(v);
        } else if fields.insert(k.to_owned(), v).is_some() {
            return Err(format!("line {}: '{k}' given twice", n + 1));
        }
    }
    let get = |k: &str| fields.get(k).ok_or_else(|| format!("missing '{k}'"));
    let use_: Use = get("use")?.parse()?;
    let expected: Verdict = get("verdict")?.parse()?;
    let refs: Vec<&str> = inbound.iter().map(String::as_str).collect();
    let r = Engine::new()
        .check(&refs, get("outbound")?, use_, Mode::Lenient)
        .map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    if r.verdict != expected {
        problems.push(format!("verdict {} instead of {expected}", r.verdict));
    }
    let lower = r.explanation.to_lowercase();
    for word in fields
        .get("explanation")
        .map(|s| s.split(',').collect())
        .unwrap_or_else(Vec::new)
    {
        if !lower.contains(&word.trim().to_lowercase()) {
            problems.push(format!("explanation lacks '{}'", word.trim()));
        }
    }
    if let Some(src) = fields.get("source")
        && !r.sources.iter().any(|s| &s.key == src)
    {
        problems.push(format!(
            "source '{src}' not cited (cited: {:?})",
            r.sources.iter().map(|s| &s.key).collect::<Vec<_>>()
        ));
    }
    if let Some(chosen) = fields.get("chosen")
        && !r.choices.iter().any(|c| &c.chosen == chosen)
    {
        problems.push(format!("branch '{chosen}' not chosen"));
    }
    if let Some(f) = fields.get("failing")
        && !r.failing.contains(f)
    {
        problems.push(format!("'{f}' not among the failing terms {:?}", r.failing));
    }
    if let Some(c) = fields.get("condition")
        && !r
            .conditions
            .iter()
            .any(|x| x.to_lowercase().contains(&c.to_lowercase()))
    {
        problems.push(format!("no condition mentions '{c}'"));
    }
    if let Some(w) = fields.get("warning")
        && !r
            .warnings
            .iter()
            .any(|x| x.to_string().contains(w.as_str()))
    {
        problems.push(format!("no warning mentions '{w}'"));
    }
    if fields.get("disputed").is_some_and(|d| d == "yes")
        && !r.findings.iter().any(|f| f.disputed.is_some())
    {
        problems.push("no disputed view recorded".to_owned());
    }
    if r.verdict != Verdict::Unknown && r.sources.is_empty() {
        problems.push("a verdict without sources".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n    explanation: {}",
            problems.join("; "),
            r.explanation
        ))
    }
}

#[test]
fn every_case_file_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "only {} cases", paths.len());
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            run_case(p)
                .err()
                .map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
