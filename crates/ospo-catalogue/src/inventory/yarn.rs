//! Yarn's `yarn.lock`: the classic format of Yarn 1 (`# yarn lockfile v1`, its own syntax) and
//! the YAML of Yarn 2 and later ("berry", with `__metadata`). Every resolved package is an npm
//! component; berry lists the workspaces and what they depend on, so it also gives direct and
//! transitive use (classic does not: the project's `package.json` says that).

use std::collections::{HashMap, HashSet};

use ospo_core::{Relation, Scope};
use serde_json::Value;

use super::npm::npm_purl;
use super::{Entry, Format, IngestError, Ingested, component};

/// Whether the text is a Yarn 1 lockfile.
pub(super) fn is_classic(head: &str) -> bool {
    head.contains("# yarn lockfile v1")
}

/// Whether the text is a Yarn 2+ lockfile.
pub(super) fn is_berry(head: &str) -> bool {
    head.contains("__metadata:") && (head.contains("cacheKey:") || head.contains("version:"))
}

/// The package name of a descriptor: `@babel/runtime@^7.24.0` → `@babel/runtime`.
fn descriptor_name(descriptor: &str) -> &str {
    let descriptor = descriptor.trim().trim_matches('"');
    match descriptor.char_indices().skip(1).find(|&(_, c)| c == '@') {
        Some((at, _)) => &descriptor[..at],
        None => descriptor,
    }
}

fn syntax(name: &str, line: usize, column: usize, message: &str) -> IngestError {
    IngestError::Syntax {
        name: name.to_owned(),
        format: "yarn.lock".into(),
        line,
        column,
        message: message.to_owned(),
    }
}

/// A classic entry as read: its descriptors, fields and dependencies, and its line.
#[derive(Default)]
struct Classic {
    line: usize,
    descriptors: Vec<String>,
    version: Option<String>,
    resolved: Option<String>,
    dependencies: Vec<String>,
    optional: bool,
}

/// Splits `key "value"` / `key value` at the first unquoted space, unquoting both.
fn key_value(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let (key, rest) = if let Some(quoted) = text.strip_prefix('"') {
        let end = quoted.find('"')?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        let end = text.find(' ').unwrap_or(text.len());
        (&text[..end], &text[end..])
    };
    Some((key.to_owned(), rest.trim().trim_matches('"').to_owned()))
}

/// Reads a Yarn 1 lockfile.
pub(super) fn read_classic(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::YarnLock);
    ingested.spec_version = Some("1".into());
    let mut entries: Vec<Classic> = Vec::new();
    let mut block: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = line.trim_end();
        if trimmed.trim_start().is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        let indent = trimmed.len() - trimmed.trim_start().len();
        if trimmed.matches('"').count() % 2 == 1 {
            let column = trimmed.rfind('"').unwrap_or(0) + 1;
            return Err(syntax(
                name,
                number,
                column,
                "a quoted string is never closed",
            ));
        }
        if indent == 0 {
            let Some(keys) = trimmed.strip_suffix(':') else {
                return Err(syntax(
                    name,
                    number,
                    trimmed.len() + 1,
                    "expected `descriptor[, descriptor…]:` starting an entry",
                ));
            };
            let descriptors: Vec<String> = keys
                .split(", ")
                .map(|d| d.trim().trim_matches('"').to_owned())
                .filter(|d| !d.is_empty())
                .collect();
            entries.push(Classic {
                line: number,
                descriptors,
                ..Classic::default()
            });
            block = None;
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(syntax(
                name,
                number,
                indent + 1,
                "an indented line before any entry",
            ));
        };
        let body = trimmed.trim_start();
        if indent <= 2 {
            if let Some(section) = body.strip_suffix(':') {
                block = Some(section.trim_matches('"').to_owned());
                continue;
            }
            block = None;
            let Some((key, value)) = key_value(body) else {
                return Err(syntax(name, number, indent + 1, "expected `key value`"));
            };
            match key.as_str() {
                "version" => entry.version = Some(value),
                "resolved" => entry.resolved = Some(value),
                "optional" => entry.optional = value == "true",
                _ => {}
            }
        } else if let Some(section) = &block
            && (section == "dependencies" || section == "optionalDependencies")
            && let Some((dep, range)) = key_value(body)
        {
            entry.dependencies.push(format!("{dep}@{range}"));
        }
    }
    for entry in entries {
        let at = format!("line {}", entry.line);
        let Some(first) = entry.descriptors.first() else {
            ingested.warn(at, "an entry without a descriptor; skipped");
            continue;
        };
        let package = descriptor_name(first).to_owned();
        if entry.version.is_none() {
            ingested.warn(&at, format!("'{package}' has no version"));
        }
        let mut c = component(package.clone(), entry.version.clone(), None);
        c.ecosystem = Some("npm".into());
        let from_registry = entry.resolved.as_deref().is_none_or(|r| {
            r.starts_with("https://registry.yarnpkg.com/")
                || r.starts_with("https://registry.npmjs.org/")
        });
        if from_registry {
            c.purl = npm_purl(&package, entry.version.as_deref());
        }
        ingested.entries.push(Entry {
            component: c,
            relation: None,
            scope: if entry.optional {
                Scope::Optional
            } else {
                Scope::Unspecified
            },
        });
    }
    Ok(ingested)
}

/// Reads a Yarn 2+ lockfile already parsed from YAML.
pub(super) fn read_berry(name: &str, lock: &Value) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::YarnLock);
    let Value::Object(lock) = lock else {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "/".into(),
            message: "a Yarn lockfile must be a mapping of descriptors to packages".into(),
        });
    };
    ingested.spec_version = lock
        .get("__metadata")
        .and_then(|m| m.get("version"))
        .map(|v| v.to_string().trim_matches('"').to_owned());
    // Each descriptor (`name@npm:^1.0.0`) to the entry that resolves it.
    let mut keys: Vec<(&str, &Value)> = Vec::new();
    let mut by_descriptor: HashMap<String, usize> = HashMap::new();
    for (key, value) in lock {
        if key == "__metadata" {
            continue;
        }
        let index = keys.len();
        keys.push((key, value));
        for descriptor in key.split(", ") {
            by_descriptor.insert(descriptor.trim().to_owned(), index);
        }
    }
    let deps_of = |i: usize| -> Vec<usize> {
        let mut out = Vec::new();
        for field in ["dependencies", "peerDependencies"] {
            if let Some(Value::Object(deps)) = keys[i].1.get(field) {
                for (dep, range) in deps {
                    let range = range.as_str().unwrap_or_default();
                    let range = if range.contains(':') {
                        range.to_owned()
                    } else {
                        format!("npm:{range}")
                    };
                    if let Some(&j) = by_descriptor.get(&format!("{dep}@{range}")) {
                        out.push(j);
                    }
                }
            }
        }
        out
    };
    let resolution = |i: usize| -> &str {
        keys[i]
            .1
            .get("resolution")
            .and_then(Value::as_str)
            .unwrap_or(keys[i].0)
    };
    let workspaces: Vec<usize> = (0..keys.len())
        .filter(|&i| resolution(i).contains("@workspace:"))
        .collect();
    let members: HashSet<usize> = workspaces.iter().copied().collect();
    let mut direct = HashSet::new();
    let mut optional_names = HashSet::new();
    for &w in &workspaces {
        direct.extend(deps_of(w).into_iter().filter(|d| !members.contains(d)));
        if let Some(Value::Object(meta)) = keys[w].1.get("dependenciesMeta") {
            for (dep, flags) in meta {
                if flags.get("optional").and_then(Value::as_bool) == Some(true) {
                    optional_names.insert(dep.clone());
                }
            }
        }
    }
    let mut reachable = HashSet::new();
    let mut todo: Vec<usize> = direct.iter().copied().collect();
    while let Some(i) = todo.pop() {
        if reachable.insert(i) {
            todo.extend(deps_of(i));
        }
    }
    if let [only] = workspaces.as_slice() {
        let package = descriptor_name(keys[*only].0);
        ingested.subject = Some(component(package.to_owned(), None, None));
    }
    for (i, (key, value)) in keys.iter().enumerate() {
        if members.contains(&i) {
            continue;
        }
        let at = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
        if !value.is_object() {
            ingested.warn(at, "an entry must be a mapping; skipped");
            continue;
        }
        let resolved = resolution(i);
        // A patched package is listed twice, as itself and patched: keep one.
        if resolved.contains("@patch:") {
            continue;
        }
        let package = descriptor_name(resolved).to_owned();
        let version = value.get("version").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let mut c = component(package.clone(), version.clone(), None);
        c.ecosystem = Some("npm".into());
        if resolved.contains("@npm:") {
            c.purl = npm_purl(&package, version.as_deref());
        }
        let relation = if direct.contains(&i) {
            Some(Relation::Direct)
        } else if reachable.contains(&i) || !workspaces.is_empty() {
            Some(Relation::Transitive)
        } else {
            None
        };
        let scope = if optional_names.contains(&package) {
            Scope::Optional
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
