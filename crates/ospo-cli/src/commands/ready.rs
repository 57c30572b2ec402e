//! `ospo ready PATH`: the readiness checks for a first public release, from the catalogue
//! crate's scan, as text, JSON or SARIF.

use super::Status;
use crate::cli::{ReadyArgs, ScanFormat};
use anyhow::Context;
use ospo_catalogue::scan::{Options, Outcome, Readiness, Severity, scan};
use std::fmt::Write as _;
use std::io::Write;

pub fn run(args: ReadyArgs) -> anyhow::Result<Status> {
    let options = Options {
        max_file_size: args.max_file_size,
        threads: args.threads,
        ignore_files: !args.no_ignore,
        readiness: true,
        holder: args.holder.clone(),
        checksums: matches!(
            args.format,
            ScanFormat::SpdxJson | ScanFormat::CyclonedxJson
        ),
        ..Options::default()
    };
    let (progress, counter) = super::progress::Progress::start("scanning");
    let options = Options {
        progress: counter,
        ..options
    };
    let mut report = scan(&args.path, &options)
        .with_context(|| format!("could not scan {}", args.path.display()))?;
    progress.finish();
    let ready = report
        .readiness
        .clone()
        .context("the scan returned no readiness report")?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ScanFormat::Text => {
            let _ = writeln!(out, "{}", report.root);
            out.write_all(text(&ready).as_bytes())?;
            // Where each credential is, by line (the value itself is never printed).
            for d in report
                .diagnostics
                .iter()
                .filter(|d| d.code == "ready/secrets")
            {
                let _ = writeln!(out, "  {}", super::scan::line(d));
            }
        }
        ScanFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        other => {
            // SARIF of the readiness findings only, so that a forge shows them.
            if other == ScanFormat::Sarif {
                report.diagnostics.retain(|d| d.code.starts_with("ready/"));
            }
            super::scan::write_format(&mut out, &report, other)?;
        }
    }
    Ok(if ready.ready {
        Status::Clean
    } else {
        Status::Findings
    })
}

/// The readiness report as a maintainer reads it: one line per check, what to do under each
/// failing one, the rule it comes from.
pub(super) fn text(r: &Readiness) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Readiness for a first public release: {}",
        if r.ready {
            "ready".to_owned()
        } else {
            format!(
                "not ready ({} error(s), {} warning(s))",
                r.errors, r.warnings
            )
        }
    );
    for c in &r.checks {
        let mark = match (c.outcome, c.severity) {
            (Outcome::Pass, _) => "ok  ",
            (Outcome::Fail, Severity::Error) => "FAIL",
            (Outcome::Fail, _) => "warn",
        };
        let _ = writeln!(s, "  {mark} {:24} {}: {}", c.code, c.title, c.detail);
        if let Some(fix) = &c.fix {
            let _ = writeln!(s, "       fix: {fix}");
            let more: Vec<&String> = c.paths.iter().take(10).collect();
            if !more.is_empty() {
                let _ = writeln!(
                    s,
                    "       files: {}{}",
                    more.iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if c.paths.len() > 10 {
                        format!(", and {} more", c.paths.len() - 10)
                    } else {
                        String::new()
                    }
                );
            }
            let _ = writeln!(s, "       rule: {}", c.rule);
        }
    }
    s
}
