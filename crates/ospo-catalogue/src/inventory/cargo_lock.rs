//! Cargo's `Cargo.lock` (versions 1–4): every locked package. Packages without a `source` are
//! the workspace's own; what they depend on is direct, the rest transitive.

use std::collections::{HashMap, HashSet};

use ospo_core::{PackageUrl, Relation, Scope};
use toml::Value;

use super::{Entry, Format, IngestError, Ingested, component, line_column, purl_segment};

/// Reads a `Cargo.lock`.
pub(super) fn read(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::CargoLock);
    let lock: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |s| line_column(text.as_bytes(), s.start));
        IngestError::Syntax {
            name: name.to_owned(),
            format: "TOML".into(),
            line,
            column,
            message: e.message().to_owned(),
        }
    })?;
    ingested.spec_version = Some(match lock.get("version") {
        Some(Value::Integer(v)) => v.to_string(),
        // Version 1 files have no `version` key and list checksums in `[metadata]`.
        _ => "1".to_owned(),
    });
    let packages = match lock.get("package") {
        Some(Value::Array(packages)) => packages.as_slice(),
        None => &[],
        Some(_) => {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: "package".into(),
                message: "`package` must be an array of tables ([[package]])".into(),
            });
        }
    };
    let mut workspace: Vec<usize> = Vec::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut keys = Vec::new();
    for (i, package) in packages.iter().enumerate() {
        let at = format!("[[package]] #{}", i + 1);
        let name = package.get("name").and_then(Value::as_str);
        let version = package.get("version").and_then(Value::as_str);
        let Some(name) = name else {
            ingested.warn(at, "a package without a name; skipped");
            keys.push(None);
            continue;
        };
        by_name.entry(name).or_default().push(i);
        keys.push(Some((name, version)));
        let source = package.get("source").and_then(Value::as_str);
        if source.is_none() {
            workspace.push(i);
        }
    }
    // Dependencies are written `name`, `name version` or `name version (source)`.
    let resolve = |dep: &str| -> Option<usize> {
        let mut parts = dep.split(' ');
        let name = parts.next()?;
        let version = parts.next();
        let candidates = by_name.get(name)?;
        candidates
            .iter()
            .copied()
            .find(|&i| version.is_none() || keys[i].and_then(|k| k.1) == version)
    };
    let deps_of = |i: usize| -> Vec<usize> {
        packages[i]
            .get("dependencies")
            .and_then(Value::as_array)
            .map(|deps| {
                deps.iter()
                    .filter_map(Value::as_str)
                    .filter_map(resolve)
                    .collect()
            })
            .unwrap_or_default()
    };
    let members: HashSet<usize> = workspace.iter().copied().collect();
    let direct: HashSet<usize> = workspace
        .iter()
        .flat_map(|&i| deps_of(i))
        .filter(|i| !members.contains(i))
        .collect();
    let mut reachable = HashSet::new();
    let mut todo: Vec<usize> = direct.iter().copied().collect();
    while let Some(i) = todo.pop() {
        if reachable.insert(i) {
            todo.extend(deps_of(i));
        }
    }
    if let [only] = workspace.as_slice()
        && let Some((name, version)) = keys[*only]
    {
        ingested.subject = Some(component(name.to_owned(), version.map(str::to_owned), None));
    }
    for (i, package) in packages.iter().enumerate() {
        let Some((name, version)) = keys[i] else {
            continue;
        };
        if members.contains(&i) {
            continue;
        }
        let at = format!("[[package]] #{} ({name})", i + 1);
        let source = package.get("source").and_then(Value::as_str).unwrap_or("");
        let purl = if source.starts_with("registry+https://github.com/rust-lang/crates.io-index")
            || source == "sparse+https://index.crates.io/"
        {
            let text = match version {
                Some(v) => format!("pkg:cargo/{}@{}", purl_segment(name), purl_segment(v)),
                None => format!("pkg:cargo/{}", purl_segment(name)),
            };
            PackageUrl::parse(&text).ok()
        } else {
            None
        };
        if version.is_none() {
            ingested.warn(&at, "a package without a version");
        }
        let mut c = component(name.to_owned(), version.map(str::to_owned), purl);
        c.ecosystem = Some("cargo".into());
        let relation = if direct.contains(&i) {
            Some(Relation::Direct)
        } else if reachable.contains(&i) || !workspace.is_empty() {
            Some(Relation::Transitive)
        } else {
            None
        };
        ingested.entries.push(Entry {
            component: c,
            relation,
            scope: Scope::Unspecified,
        });
    }
    Ok(ingested)
}
