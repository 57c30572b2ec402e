//! Python lockfiles: Poetry's `poetry.lock`, uv's `uv.lock` and Pipenv's `Pipfile.lock`.
//! Every locked package becomes a PyPI component (`pkg:pypi/…`, the name normalised as
//! PEP 503 says); uv's lockfile names the project's own packages and what they depend on, so
//! it also gives direct and transitive use.

use std::collections::{HashMap, HashSet};

use ospo_core::{Relation, Scope};
use serde_json::Value as Json;
use toml::Value;

use super::requirements::pypi_purl;
use super::{Entry, Format, IngestError, Ingested, component, line_column};

/// Parses TOML, refusing it with the line and column of the first error.
pub(super) fn parse_toml(name: &str, text: &str) -> Result<toml::Table, IngestError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |s| line_column(text.as_bytes(), s.start));
        IngestError::Syntax {
            name: name.to_owned(),
            format: "TOML".into(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })
}

fn packages<'a>(name: &str, lock: &'a toml::Table) -> Result<&'a [Value], IngestError> {
    match lock.get("package") {
        Some(Value::Array(packages)) => Ok(packages),
        None => Ok(&[]),
        Some(_) => Err(IngestError::Content {
            name: name.to_owned(),
            location: "package".into(),
            message: "`package` must be an array of tables ([[package]])".into(),
        }),
    }
}

fn text<'a>(table: &'a Value, key: &str) -> Option<&'a str> {
    table.get(key).and_then(Value::as_str)
}

/// Reads a `poetry.lock` (Poetry 1.x and 2.x).
pub(super) fn read_poetry(name: &str, text_: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::PoetryLock);
    let lock = parse_toml(name, text_)?;
    ingested.spec_version = lock
        .get("metadata")
        .and_then(|m| m.get("lock-version"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    for (i, package) in packages(name, &lock)?.iter().enumerate() {
        let at = format!("[[package]] #{}", i + 1);
        let Some(package_name) = text(package, "name") else {
            ingested.warn(at, "a package without a name; skipped");
            continue;
        };
        let version = text(package, "version");
        if version.is_none() {
            ingested.warn(&at, "a package without a version");
        }
        let source = package.get("source");
        let source_type = source.and_then(|s| text(s, "type"));
        let mut c = component(package_name.to_owned(), version.map(str::to_owned), None);
        c.ecosystem = Some("pypi".into());
        // Git, directory and file sources are not PyPI releases: no package URL for them.
        if matches!(source_type, None | Some("legacy")) {
            c.purl = pypi_purl(package_name, version);
        }
        // Poetry 2 lists `groups`; Poetry 1 wrote `category = "main" | "dev"`.
        let groups: Vec<&str> = match package.get("groups") {
            Some(Value::Array(groups)) => groups.iter().filter_map(Value::as_str).collect(),
            _ => text(package, "category").into_iter().collect(),
        };
        let optional = package.get("optional").and_then(Value::as_bool) == Some(true);
        let scope = if optional {
            Scope::Optional
        } else if groups.contains(&"main") {
            Scope::Runtime
        } else if groups.is_empty() {
            Scope::Unspecified
        } else {
            Scope::Development
        };
        ingested.entries.push(Entry {
            component: c,
            relation: None,
            scope,
        });
    }
    Ok(ingested)
}

/// Reads a `uv.lock`: packages whose source is `virtual` or `editable` are the project's own
/// (the subject when there is one); what they depend on is direct, the rest transitive.
pub(super) fn read_uv(name: &str, text_: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::UvLock);
    let lock = parse_toml(name, text_)?;
    ingested.spec_version = lock.get("version").map(|v| match v {
        Value::Integer(n) => n.to_string(),
        other => other.to_string(),
    });
    let packages = packages(name, &lock)?;
    let mut own = Vec::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, package) in packages.iter().enumerate() {
        if let Some(n) = text(package, "name") {
            by_name.entry(n).or_default().push(i);
        }
        let source = package.get("source");
        if source.is_some_and(|s| s.get("virtual").is_some() || s.get("editable").is_some()) {
            own.push(i);
        }
    }
    // A dependency is `{ name = "x" }`, with a `version` when several are locked.
    let resolve = |dep: &Value| -> Option<usize> {
        let candidates = by_name.get(text(dep, "name")?)?;
        let version = text(dep, "version");
        candidates
            .iter()
            .copied()
            .find(|&i| version.is_none() || text(&packages[i], "version") == version)
    };
    let deps_of = |i: usize, dev: bool| -> Vec<usize> {
        let package = &packages[i];
        let mut out: Vec<usize> = Vec::new();
        let lists: Vec<&Value> = if dev {
            ["dev-dependencies"]
                .iter()
                .filter_map(|k| package.get(*k))
                .flat_map(|groups| groups.as_table().into_iter().flat_map(|t| t.values()))
                .collect()
        } else {
            let mut lists: Vec<&Value> = package.get("dependencies").into_iter().collect();
            if let Some(Value::Table(extras)) = package.get("optional-dependencies") {
                lists.extend(extras.values());
            }
            lists
        };
        for list in lists {
            if let Value::Array(deps) = list {
                out.extend(deps.iter().filter_map(resolve));
            }
        }
        out
    };
    let members: HashSet<usize> = own.iter().copied().collect();
    let mut direct = HashSet::new();
    let mut dev_direct = HashSet::new();
    for &i in &own {
        direct.extend(
            deps_of(i, false)
                .into_iter()
                .filter(|d| !members.contains(d)),
        );
        dev_direct.extend(
            deps_of(i, true)
                .into_iter()
                .filter(|d| !members.contains(d)),
        );
    }
    // What production use reaches, and what only development use reaches.
    let reach = |start: &HashSet<usize>| -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut todo: Vec<usize> = start.iter().copied().collect();
        while let Some(i) = todo.pop() {
            if seen.insert(i) {
                todo.extend(deps_of(i, false));
            }
        }
        seen
    };
    let runtime = reach(&direct);
    let development = reach(&dev_direct);
    if let [only] = own.as_slice() {
        let p = &packages[*only];
        if let Some(n) = text(p, "name") {
            ingested.subject = Some(component(
                n.to_owned(),
                text(p, "version").map(str::to_owned),
                None,
            ));
        }
    }
    for (i, package) in packages.iter().enumerate() {
        if members.contains(&i) {
            continue;
        }
        let at = format!("[[package]] #{}", i + 1);
        let Some(package_name) = text(package, "name") else {
            ingested.warn(at, "a package without a name; skipped");
            continue;
        };
        let version = text(package, "version");
        let from_registry = package
            .get("source")
            .is_some_and(|s| s.get("registry").is_some());
        let mut c = component(package_name.to_owned(), version.map(str::to_owned), None);
        c.ecosystem = Some("pypi".into());
        if from_registry {
            c.purl = pypi_purl(package_name, version);
        }
        let relation = if direct.contains(&i) || dev_direct.contains(&i) {
            Some(Relation::Direct)
        } else if runtime.contains(&i) || development.contains(&i) {
            Some(Relation::Transitive)
        } else {
            None
        };
        let scope = if runtime.contains(&i) {
            Scope::Runtime
        } else if development.contains(&i) {
            Scope::Development
        } else {
            Scope::Unspecified
        };
        ingested.entries.push(Entry {
            component: c,
            relation,
            scope,
        });
    }
    Ok(ingested)
}

/// Reads a `Pipfile.lock` (JSON): `default` is what runs, `develop` what develops.
pub(super) fn read_pipfile(name: &str, lock: &Json) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::PipfileLock);
    ingested.spec_version = lock
        .pointer("/_meta/pipfile-spec")
        .map(|v| v.to_string().trim_matches('"').to_owned());
    let mut any = false;
    for (section, scope) in [("default", Scope::Runtime), ("develop", Scope::Development)] {
        let Some(packages) = lock.get(section) else {
            continue;
        };
        let Json::Object(packages) = packages else {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: format!("/{section}"),
                message: format!("`{section}` must be an object of packages"),
            });
        };
        any = true;
        for (package_name, package) in packages {
            let at = format!(
                "/{section}/{}",
                package_name.replace('~', "~0").replace('/', "~1")
            );
            let raw = package.get("version").and_then(Json::as_str);
            let version = raw.and_then(|v| v.strip_prefix("==")).map(str::trim);
            let mut c = component(package_name.clone(), version.map(str::to_owned), None);
            c.ecosystem = Some("pypi".into());
            if package.get("git").is_some() || package.get("path").is_some() {
                ingested.warn(
                    &at,
                    "not from a package index (git or path); no package URL",
                );
            } else {
                c.purl = pypi_purl(package_name, version);
            }
            if version.is_none() && package.get("git").is_none() && package.get("path").is_none() {
                ingested.warn(&at, "no pinned `==` version; read without one");
            }
            ingested.entries.push(Entry {
                component: c,
                relation: None,
                scope,
            });
        }
    }
    if !any {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "/".into(),
            message: "a Pipfile.lock has `default` and `develop` sections; neither is here".into(),
        });
    }
    Ok(ingested)
}
