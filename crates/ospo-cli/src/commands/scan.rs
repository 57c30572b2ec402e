//! `ospo scan PATH`: prints the catalogue crate's scan report as text, JSON or SARIF.

use super::Status;
use crate::cli::{ScanArgs, ScanFormat};
use crate::output::wrap;
use anyhow::Context;
use ospo_catalogue::scan::{
    Diagnostic, Method, Options, Report, Severity, cyclonedx, sarif, scan, spdx,
};
use std::fmt::Write as _;
use std::io::Write;

pub fn run(args: ScanArgs) -> anyhow::Result<Status> {
    let options = Options {
        max_file_size: args.max_file_size,
        outbound: args.outbound.clone(),
        use_: args.use_,
        threads: args.threads,
        ignore_files: !args.no_ignore,
        readiness: args.readiness,
        holder: args.holder.clone(),
        checksums: matches!(
            args.format,
            ScanFormat::SpdxJson | ScanFormat::CyclonedxJson
        ),
        progress: None,
        durations: args.durations,
    };
    let (progress, counter) = super::progress::Progress::start("scanning");
    let options = Options {
        progress: counter,
        ..options
    };
    let report = scan(&args.path, &options)
        .with_context(|| format!("could not scan {}", args.path.display()))?;
    progress.finish();
    if !report.durations.is_empty() {
        let mut err = std::io::stderr().lock();
        writeln!(err, "slowest files:")?;
        for d in &report.durations {
            let size = d.bytes.map(|b| format!(", {b} bytes")).unwrap_or_default();
            writeln!(err, "  {:>9.3} s  {}{size}", d.seconds, d.path)?;
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ScanFormat::Text => out.write_all(text(&report, args.files).as_bytes())?,
        other => write_format(&mut out, &report, other)?,
    }
    Ok(if report.is_clean() {
        Status::Clean
    } else {
        Status::Findings
    })
}

/// Writes a report in a machine-readable format.
pub(super) fn write_format(
    out: &mut impl Write,
    report: &Report,
    format: ScanFormat,
) -> anyhow::Result<()> {
    match format {
        ScanFormat::Json | ScanFormat::Text => serde_json::to_writer_pretty(&mut *out, report)?,
        ScanFormat::Sarif => serde_json::to_writer_pretty(&mut *out, &sarif(report))?,
        ScanFormat::SpdxJson => serde_json::to_writer_pretty(&mut *out, &spdx(report, &created()))?,
        ScanFormat::CyclonedxJson => {
            serde_json::to_writer_pretty(&mut *out, &cyclonedx(report, &created()))?
        }
    }
    writeln!(out)?;
    Ok(())
}

/// The creation time of a document: `SOURCE_DATE_EPOCH` when set (reproducible builds), else
/// now.
fn created() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(ospo_core::Timestamp::from_unix_seconds)
        .unwrap_or_else(ospo_catalogue::now)
        .to_string()
}

/// A short name for how a fact was found.
fn method(m: Method) -> &'static str {
    match m {
        Method::SpdxTag => "SPDX tag",
        Method::CompanionFile => ".license file",
        Method::ReuseToml => "REUSE.toml",
        Method::Dep5 => "dep5",
        Method::LicenceText => "licence text",
        Method::LicenceNotice => "licence notice",
        Method::Manifest => "manifest",
        Method::CopyrightStatement => "statement",
    }
}

/// Up to `n` paths, then how many more.
fn some(paths: &[String], n: usize) -> String {
    let mut s = paths.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if paths.len() > n {
        let _ = write!(s, ", and {} more", paths.len() - n);
    }
    s
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn text(r: &Report, files: bool) -> String {
    let s_ = &r.summary;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} ({} read, {} skipped)",
        r.root,
        plural(s_.files, "file"),
        s_.files_read,
        s_.files - s_.files_read
    );
    if files {
        let _ = writeln!(s, "\nFiles");
        for f in &r.files {
            let how: Vec<String> = f
                .licence_findings
                .iter()
                .map(|l| match l.confidence {
                    Some(c) => format!("{} {:.0}%", method(l.found_by.method), c * 100.0),
                    None => method(l.found_by.method).to_owned(),
                })
                .collect();
            let holders: Vec<&str> = f
                .copyrights
                .iter()
                .filter_map(|c| c.holder.as_deref())
                .collect();
            let _ = writeln!(
                s,
                "  {}  {}{}{}{}",
                f.path,
                f.licences.as_deref().unwrap_or("-"),
                if how.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", how.join(", "))
                },
                if holders.is_empty() {
                    String::new()
                } else {
                    format!("  © {}", holders.join("; "))
                },
                f.skipped
                    .as_deref()
                    .map(|w| format!("  (skipped: {w})"))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(s, "\nLicences found");
    if s_.licences.is_empty() {
        let _ = writeln!(s, "  none");
    }
    let width = s_.licences.keys().map(String::len).max().unwrap_or(0);
    for (l, where_) in &s_.licences {
        let _ = writeln!(
            s,
            "  {l:width$}  {:>9}  {}",
            plural(where_.len(), "file"),
            some(where_, 3)
        );
    }
    if !s_.holders.is_empty() {
        let _ = writeln!(s, "\nCopyright holders");
        let mut holders: Vec<(&String, &usize)> = s_.holders.iter().collect();
        holders.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (h, n) in holders.iter().take(10) {
            let _ = writeln!(s, "  {h} ({})", plural(**n, "file"));
        }
        if holders.len() > 10 {
            let _ = writeln!(s, "  and {} more", holders.len() - 10);
        }
    }
    let _ = writeln!(
        s,
        "\nWithout licence: {}; without copyright: {}",
        s_.without_licence.len(),
        s_.without_copyright.len()
    );
    let _ = writeln!(s);
    match &s_.declared {
        Some(d) => {
            let _ = writeln!(
                s,
                "Declared licence: {} ({}{}{}, {})",
                d.expression,
                d.found_by.source,
                d.found_by.line.map(|l| format!(":{l}")).unwrap_or_default(),
                d.found_by
                    .detail
                    .as_deref()
                    .filter(|_| d.found_by.method == Method::Manifest)
                    .map(|f| format!(" {f}"))
                    .unwrap_or_default(),
                method(d.found_by.method)
            );
        }
        None => {
            let _ = writeln!(s, "Declared licence: none found");
        }
    }
    if let Some(o) = &s_.outbound {
        let _ = writeln!(s, "Outbound licence: {o}");
    }
    if let Some(c) = &s_.compatibility {
        let _ = writeln!(s, "Compatibility: {}", c.verdict.as_str());
        s.push_str(&wrap(&c.explanation, "  ", 100));
        for f in c.findings.iter().filter(|f| c.failing.contains(&f.inbound)) {
            let _ = writeln!(
                s,
                "  - {} with {}: {}",
                f.inbound,
                f.outbound,
                f.verdict.as_str()
            );
            s.push_str(&wrap(&f.explanation, "    ", 100));
        }
        for fix in &c.fixes {
            let _ = writeln!(
                s,
                "  fix: take {} ({}): {}",
                fix.take,
                fix.verdict.as_str(),
                fix.reason
            );
        }
    }
    let v = &r.reuse;
    let _ = writeln!(
        s,
        "REUSE: {}",
        if v.compliant {
            "compliant".to_owned()
        } else {
            format!(
                "not compliant ({} without licence, {} without copyright, {} licence file(s) missing, {} unused, {} bad expression(s))",
                v.missing_licence.len(),
                v.missing_copyright.len(),
                v.missing_licence_files.len(),
                v.unused_licence_files.len(),
                v.bad_expressions.len()
            )
        }
    );
    if let Some(ready) = &r.readiness {
        s.push('\n');
        s.push_str(&super::ready::text(ready));
    }
    let (findings, notes): (Vec<&Diagnostic>, Vec<&Diagnostic>) = r
        .diagnostics
        .iter()
        .partition(|d| d.severity != Severity::Note);
    if !findings.is_empty() {
        let _ = writeln!(s, "\nFindings ({})", findings.len());
        for d in findings {
            let _ = writeln!(s, "  {}", line(d));
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(s, "\nNotes ({})", notes.len());
        for d in notes {
            let _ = writeln!(s, "  {}", line(d));
        }
    }
    s
}

/// `severity code path:line: message`
pub(super) fn line(d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let at = match (&d.path, d.line) {
        (Some(p), Some(l)) => format!("{p}:{l}: "),
        (Some(p), None) => format!("{p}: "),
        _ => String::new(),
    };
    format!("{sev:7} {:28} {at}{}", d.code, d.message)
}
