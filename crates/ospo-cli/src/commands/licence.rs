//! `ospo licence check | explain | recommend | list | show`.

use super::Status;
use crate::cli::{CheckArgs, Format, LicenceCommand, ListArgs, RecommendArgs, ShowArgs};
use crate::output::{item, warnings, wrap};
use anyhow::{Context, bail};
use ospo_licence::{
    Check, CheckRequest, Citation, Engine, Expression, KnowledgeBase, LicenceProfile, Mode, Use,
    Verdict,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

pub fn run(cmd: LicenceCommand) -> anyhow::Result<Status> {
    match cmd {
        LicenceCommand::Check(args) => check(args, false),
        LicenceCommand::Explain(args) => check(args, true),
        LicenceCommand::Recommend(args) => recommend(args),
        LicenceCommand::List(args) => list(args),
        LicenceCommand::Show(args) => show(args),
    }
}

fn status(v: Verdict) -> Status {
    if v == Verdict::Yes {
        Status::Clean
    } else {
        Status::Findings
    }
}

fn check(args: CheckArgs, full: bool) -> anyhow::Result<Status> {
    let mode = if args.strict {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    if let Some(path) = &args.batch {
        return batch(path, args.use_, mode);
    }
    let outbound = args.outbound.as_deref().context("--outbound is required")?;
    let inbound: Vec<&str> = args.inbound.iter().map(String::as_str).collect();
    let report = Engine::new().check(&inbound, outbound, args.use_, mode)?;
    warnings(&report.warnings);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Text => out.write_all(render_check(&report, full).as_bytes())?,
    }
    Ok(status(report.verdict))
}

fn render_check(r: &Check, full: bool) -> String {
    let kb = KnowledgeBase::get();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} → {} ({})",
        r.verdict,
        Expression::join_and(&r.inbound),
        r.outbound,
        r.use_
    );
    if !full {
        s.push_str(&wrap(&r.explanation, "  ", 100));
    }
    if full {
        s.push_str(&wrap(&r.explanation, "  ", 100));
        let _ = writeln!(s, "\nfindings:");
        for f in &r.findings {
            let _ = writeln!(s, "  {} → {}: {}", f.inbound, f.outbound, f.verdict);
            s.push_str(&wrap(&f.explanation, "      ", 100));
            for c in &f.conditions {
                s.push_str(&item(&c.to_string(), "      ", 100));
            }
            for b in &f.basis {
                let _ = writeln!(s, "      basis: {}", cite(kb, b));
            }
            if let Some(d) = &f.disputed {
                s.push_str(&wrap(
                    &format!("disputed: {}", d.explanation),
                    "      ",
                    100,
                ));
                for b in &d.basis {
                    let _ = writeln!(s, "      basis: {}", cite(kb, b));
                }
            }
        }
        if !r.choices.is_empty() {
            let _ = writeln!(s, "\nchoices:");
            for c in &r.choices {
                s.push_str(&wrap(
                    &format!("{} → {}: {}", c.expression, c.chosen, c.reason),
                    "  ",
                    100,
                ));
            }
        }
    }
    if !r.conditions.is_empty() && r.verdict != Verdict::No {
        let _ = writeln!(s, "conditions:");
        for c in &r.conditions {
            s.push_str(&item(&c.to_string(), "  ", 100));
        }
    }
    if !r.fixes.is_empty() {
        let _ = writeln!(s, "fixes:");
        for f in &r.fixes {
            let what = if f.kind == "branch" {
                "take"
            } else {
                "outbound"
            };
            s.push_str(&item(
                &format!("{what} {} ({}): {}", f.take, f.verdict, f.reason),
                "  ",
                100,
            ));
        }
    }
    if full {
        let _ = writeln!(s, "\nsources:");
        for src in &r.sources {
            let _ = writeln!(
                s,
                "  {}: {} ({}) {}",
                src.key, src.title, src.version, src.url
            );
        }
    }
    s
}

fn cite(kb: &KnowledgeBase, c: &Citation) -> String {
    let title = kb
        .source(&c.source)
        .map(|s| format!("{} ({})", s.title, s.version))
        .unwrap_or_else(|| c.source.clone());
    let mut out = title;
    if let Some(clause) = &c.clause {
        out.push_str(&format!(", {clause}"));
    }
    if let Some(note) = &c.note {
        out.push_str(&format!(" [{note}]"));
    }
    out
}

/// The longest input line `--batch` reads (longer ones get an error line).
const MAX_LINE: usize = 1024 * 1024;

/// One line of `--batch` output.
#[derive(Serialize)]
struct BatchOut<'a> {
    line: usize,
    #[serde(flatten)]
    check: &'a Check,
}

#[derive(Serialize)]
struct BatchError {
    line: usize,
    verdict: &'static str,
    explanation: String,
}

fn batch(path: &std::path::Path, default_use: Use, mode: Mode) -> anyhow::Result<Status> {
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        )
    };
    let engine = Engine::new();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut findings, mut failures) = (false, 0usize);
    let mut input = BufReader::new(reader);
    let mut raw = Vec::new();
    for n in 0.. {
        raw.clear();
        // Read at most one line of MAX_LINE bytes (plus the newline); the rest of a longer
        // line is skipped, so one bad line cannot exhaust memory or stop the run.
        let read = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut raw)
            .with_context(|| format!("cannot read line {} of {}", n + 1, path.display()))?;
        if read == 0 {
            break;
        }
        let mut too_long = raw.len() > MAX_LINE && raw.last() != Some(&b'\n');
        if too_long {
            let mut skip = Vec::new();
            while !skip.ends_with(b"\n") {
                skip.clear();
                if (&mut input).take(64 * 1024).read_until(b'\n', &mut skip)? == 0 {
                    break;
                }
            }
        }
        too_long |= raw.len() > MAX_LINE + 1;
        let line = match (too_long, std::str::from_utf8(&raw)) {
            (true, _) => Err(format!("line {}: longer than {} bytes", n + 1, MAX_LINE)),
            (false, Err(e)) => Err(format!(
                "line {}: not UTF-8 (byte {})",
                n + 1,
                e.valid_up_to() + 1
            )),
            (false, Ok(text)) => Ok(text.trim_end_matches(['\n', '\r'])),
        };
        if line.as_ref().is_ok_and(|l| l.trim().is_empty()) {
            continue;
        }
        let result = line.and_then(|line| {
            serde_json::from_str::<CheckRequest>(line)
                .map_err(|e| {
                    format!(
                        "line {}: not a JSON object with inbound, outbound and use: {e}",
                        n + 1
                    )
                })?
                .run(&engine, default_use, mode == Mode::Strict)
                .map_err(|e| format!("line {}: {e}", n + 1))
        });
        match result {
            Ok(report) => {
                findings |= report.verdict != Verdict::Yes;
                serde_json::to_writer(
                    &mut out,
                    &BatchOut {
                        line: n + 1,
                        check: &report,
                    },
                )?;
            }
            Err(explanation) => {
                failures += 1;
                serde_json::to_writer(
                    &mut out,
                    &BatchError {
                        line: n + 1,
                        verdict: "error",
                        explanation,
                    },
                )?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if failures > 0 {
        bail!(
            "{failures} input line(s) could not be checked; their output lines carry \"verdict\": \"error\""
        );
    }
    Ok(if findings {
        Status::Findings
    } else {
        Status::Clean
    })
}

fn recommend(args: RecommendArgs) -> anyhow::Result<Status> {
    let inbound: Vec<&str> = args.inbound.iter().map(String::as_str).collect();
    let (recs, ws) = ospo_licence::recommend(&inbound, args.use_, args.prefer, args.kind)?;
    warnings(&ws);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &recs)?;
            writeln!(out)?;
        }
        Format::Text => {
            if recs.is_empty() {
                writeln!(
                    out,
                    "no outbound licence among the candidates accepts {} ({})",
                    inbound.join(" AND "),
                    args.use_
                )?;
            }
            for (i, r) in recs.iter().enumerate() {
                writeln!(out, "{}. {} ({})", i + 1, r.licence, r.verdict)?;
                out.write_all(wrap(&r.reason, "   ", 100).as_bytes())?;
                for c in &r.conditions {
                    out.write_all(item(&c.to_string(), "   ", 100).as_bytes())?;
                }
            }
        }
    }
    Ok(if recs.is_empty() {
        Status::Findings
    } else {
        Status::Clean
    })
}

fn list(args: ListArgs) -> anyhow::Result<Status> {
    let kb = KnowledgeBase::get();
    let mut items: Vec<&LicenceProfile> = kb
        .licences()
        .iter()
        .filter(|p| args.deprecated || !p.deprecated)
        .filter(|p| args.category.is_none_or(|c| p.category.value == c))
        .filter(|p| !args.osi || p.osi_approved.value)
        .filter(|p| !args.hardware || p.hardware.is_some())
        .collect();
    if args.exceptions || args.hardware {
        items.extend(
            kb.exceptions()
                .iter()
                .filter(|p| args.deprecated || !p.deprecated)
                .filter(|p| !args.hardware || p.hardware.is_some())
                .filter(|p| args.category.is_none_or(|c| p.category.value == c)),
        );
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        Format::Text => {
            for p in &items {
                let flags = format!(
                    "{}{}{}",
                    if p.osi_approved.value { " OSI" } else { "" },
                    if p.fsf_libre.value { " FSF" } else { "" },
                    if p.hardware.is_some() {
                        " hardware"
                    } else {
                        ""
                    }
                );
                writeln!(out, "{:<40} {:<22}{}", p.id, p.category.value, flags)?;
            }
            writeln!(
                out,
                "{} {}",
                items.len(),
                if items.len() == 1 { "entry" } else { "entries" }
            )?;
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

fn show(args: ShowArgs) -> anyhow::Result<Status> {
    let p = ospo_licence::licence(&args.id)?;
    let kb = KnowledgeBase::get();
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, p)?;
        writeln!(out)?;
        return Ok(Status::Clean);
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {}{}",
        p.id,
        p.name,
        if p.deprecated { " (deprecated)" } else { "" }
    );
    let fact = |s: &mut String, label: &str, value: String, basis: &[Citation]| {
        let _ = writeln!(s, "  {label:<14} {value}");
        for b in basis {
            let _ = writeln!(s, "  {:<14}   basis: {}", "", cite(kb, b));
        }
    };
    fact(
        &mut s,
        "category",
        p.category.value.to_string(),
        &p.category.basis,
    );
    fact(
        &mut s,
        "OSI approved",
        if p.osi_approved.value {
            "yes".to_owned()
        } else {
            "not marked approved on the SPDX list".to_owned()
        },
        &p.osi_approved.basis,
    );
    fact(
        &mut s,
        "FSF libre",
        if p.fsf_libre.value {
            "yes".to_owned()
        } else {
            "not marked free on the SPDX list".to_owned()
        },
        &p.fsf_libre.basis,
    );
    fact(
        &mut s,
        "patent grant",
        format!("{:?}", p.patent_grant.value).to_lowercase(),
        &p.patent_grant.basis,
    );
    fact(
        &mut s,
        "or later",
        format!("{:?}", p.or_later.value),
        &p.or_later.basis,
    );
    if let Some(h) = &p.hardware {
        fact(&mut s, "hardware", h.value.clone(), &h.basis);
    }
    let _ = writeln!(s, "  in OSADL's matrix: {}", yes_no(p.in_osadl_matrix));
    if !p.obligations.is_empty() {
        let _ = writeln!(s, "  obligations:");
        for o in &p.obligations {
            s.push_str(&item(&o.to_string(), "    ", 100));
        }
    }
    out.write_all(s.as_bytes())?;
    Ok(Status::Clean)
}

fn yes_no(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}
