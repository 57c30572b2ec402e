//! pip's `requirements.txt`, as pinned by `pip freeze` or `pip-compile` (`name==version`).
//! Unpinned lines are kept without a version, with a warning; options and includes are noted.

use ospo_core::{PackageUrl, Scope};

use super::{Entry, Format, Ingested, component, purl_segment};

/// Reads a `requirements.txt`.
pub(super) fn read(text: &str) -> Ingested {
    let mut ingested = Ingested::new(Format::Requirements);
    let mut logical = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        if logical.is_empty() {
            start = i + 1;
        }
        // A `#` at the start of a line or after whitespace starts a comment.
        let line = match line
            .find(" #")
            .or_else(|| line.starts_with('#').then_some(0))
        {
            Some(at) => &line[..at],
            None => line,
        };
        match line.trim_end().strip_suffix('\\') {
            Some(continued) => {
                logical.push_str(continued);
                logical.push(' ');
            }
            None => {
                logical.push_str(line);
                requirement(logical.trim(), start, &mut ingested);
                logical.clear();
            }
        }
    }
    if !logical.trim().is_empty() {
        requirement(logical.trim(), start, &mut ingested);
    }
    ingested
}

fn requirement(line: &str, number: usize, ingested: &mut Ingested) {
    let at = format!("line {number}");
    if line.is_empty() {
        return;
    }
    if let Some(option) = line.strip_prefix('-') {
        let option = option.trim_start_matches('-');
        if ["r ", "c ", "requirement", "constraint"]
            .iter()
            .any(|o| option.starts_with(o))
        {
            ingested.warn(
                at,
                format!("'{line}' names another file, which is not read"),
            );
        } else if option.starts_with("e ") || option.starts_with("editable") {
            ingested.warn(at, format!("editable install '{line}' skipped"));
        }
        return;
    }
    // Drop environment markers and per-requirement options (`--hash=...`).
    let spec = line.split(';').next().unwrap_or(line);
    let spec = spec.split(" --").next().unwrap_or(spec).trim();
    let name_end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..name_end];
    if name.is_empty() {
        ingested.warn(at, format!("'{line}' is not a requirement; skipped"));
        return;
    }
    let mut rest = spec[name_end..].trim_start();
    if rest.starts_with('[')
        && let Some(close) = rest.find(']')
    {
        rest = rest[close + 1..].trim_start();
    }
    let version = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && !v.contains(['*', ',', ' ']));
    if version.is_none() && !rest.is_empty() {
        ingested.warn(
            &at,
            format!("'{name}' is not pinned ('{rest}'); read without a version"),
        );
    } else if version.is_none() {
        ingested.warn(&at, format!("'{name}' has no version; read without one"));
    }
    let purl = pypi_purl(name, version.as_deref());
    let mut c = component(name.to_owned(), version, purl);
    c.ecosystem = Some("pypi".into());
    ingested.entries.push(Entry {
        component: c,
        relation: None,
        scope: Scope::Unspecified,
    });
}

/// `pkg:pypi/name@version`, the name normalised as PEP 503 says (lowercased, runs of `-`, `_`
/// and `.` as one `-`), as the purl specification asks for PyPI.
pub(super) fn pypi_purl(name: &str, version: Option<&str>) -> Option<PackageUrl> {
    let mut normalised = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !normalised.ends_with('-') {
                normalised.push('-');
            }
        } else {
            normalised.push(c.to_ascii_lowercase());
        }
    }
    let purl = match version {
        Some(v) => format!("pkg:pypi/{}@{}", purl_segment(&normalised), purl_segment(v)),
        None => format!("pkg:pypi/{}", purl_segment(&normalised)),
    };
    PackageUrl::parse(&purl).ok()
}
