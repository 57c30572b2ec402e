//! npm's `package-lock.json` (lockfile versions 1–3). Versions 2 and 3 list every installed
//! package under `packages` by its `node_modules/…` path, the root (`""`) naming the direct
//! dependencies; version 1 nests them under `dependencies`.

use std::collections::HashSet;

use ospo_core::{PackageUrl, Relation, Scope};
use serde_json::Value;

use super::{Entry, Format, IngestError, Ingested, component, licence, purl_segment, text_field};

/// Reads a `package-lock.json`.
pub(super) fn read(name: &str, lock: &Value) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::PackageLock);
    let version = lock.get("lockfileVersion").and_then(Value::as_u64);
    ingested.spec_version = version.map(|v| v.to_string());
    match (version, lock.get("packages"), lock.get("dependencies")) {
        (Some(2 | 3), Some(Value::Object(packages)), _) => {
            read_packages(packages, &mut ingested);
        }
        (Some(1), _, Some(Value::Object(deps))) => {
            read_tree(deps, "/dependencies", true, &mut ingested);
        }
        (Some(1), _, None) => {}
        (Some(v), _, _) if v > 3 => {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: "/lockfileVersion".into(),
                message: format!("lockfile version {v} is newer than the 1–3 this reads"),
            });
        }
        _ => {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: "/".into(),
                message: "expected lockfileVersion 1 with `dependencies`, or 2–3 with `packages`"
                    .into(),
            });
        }
    }
    if let Some(root) = lock.get("name").and_then(Value::as_str) {
        let version = lock.get("version").and_then(Value::as_str);
        ingested.subject = Some(component(root.to_owned(), version.map(str::to_owned), None));
    }
    Ok(ingested)
}

/// `pkg:npm/%40scope/name@version`.
pub(super) fn npm_purl(name: &str, version: Option<&str>) -> Option<PackageUrl> {
    let (namespace, base) = match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, base)) => (Some(scope), base),
        None => (None, name),
    };
    let mut text = String::from("pkg:npm/");
    if let Some(scope) = namespace {
        text.push_str("%40");
        text.push_str(&purl_segment(scope));
        text.push('/');
    }
    text.push_str(&purl_segment(base));
    if let Some(v) = version {
        text.push('@');
        text.push_str(&purl_segment(v));
    }
    PackageUrl::parse(&text).ok()
}

fn scope_of(package: &Value) -> Scope {
    let flag = |key: &str| package.get(key).and_then(Value::as_bool) == Some(true);
    if flag("dev") || flag("devOptional") {
        Scope::Development
    } else if flag("optional") {
        Scope::Optional
    } else {
        Scope::Runtime
    }
}

fn read_packages(packages: &serde_json::Map<String, Value>, ingested: &mut Ingested) {
    let root = packages.get("");
    let mut direct: HashSet<&str> = HashSet::new();
    for key in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(Value::Object(deps)) = root.and_then(|r| r.get(key)) {
            direct.extend(deps.keys().map(String::as_str));
        }
    }
    for (path, package) in packages {
        if path.is_empty() {
            continue;
        }
        let at = format!("/packages/{}", path.replace('~', "~0").replace('/', "~1"));
        if !package.is_object() {
            ingested.warn(at, "a package must be an object; skipped");
            continue;
        }
        let Some((prefix, from_path)) = path.rsplit_once("node_modules/") else {
            // A workspace member's own folder (`packages/app`): part of the project.
            continue;
        };
        if package.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let name = text_field(package, "name", &at, ingested).unwrap_or_else(|| from_path.into());
        let version = text_field(package, "version", &at, ingested);
        let mut c = component(name.clone(), version.clone(), None);
        c.purl = npm_purl(&name, version.as_deref());
        c.ecosystem = Some("npm".into());
        c.declared_licence = licence_field(package, &at, ingested);
        let relation = if prefix.is_empty() && direct.contains(from_path) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        ingested.entries.push(Entry {
            component: c,
            relation: Some(relation),
            scope: scope_of(package),
        });
    }
}

/// Version 1: `dependencies` nested by where npm installed them; the top level holds direct
/// and hoisted dependencies alike, so the relation is not known.
fn read_tree(deps: &serde_json::Map<String, Value>, at: &str, top: bool, ingested: &mut Ingested) {
    for (name, package) in deps {
        let at = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
        if !package.is_object() {
            ingested.warn(at, "a dependency must be an object; skipped");
            continue;
        }
        let version = text_field(package, "version", &at, ingested);
        let mut c = component(name.clone(), version.clone(), None);
        c.purl = npm_purl(name, version.as_deref());
        c.ecosystem = Some("npm".into());
        c.declared_licence = licence_field(package, &at, ingested);
        ingested.entries.push(Entry {
            component: c,
            relation: (!top).then_some(Relation::Transitive),
            scope: scope_of(package),
        });
        if let Some(Value::Object(nested)) = package.get("dependencies") {
            read_tree(nested, &format!("{at}/dependencies"), false, ingested);
        }
    }
}

fn licence_field(
    package: &Value,
    at: &str,
    ingested: &mut Ingested,
) -> Option<ospo_core::ComponentLicence> {
    let raw = text_field(package, "license", at, ingested)?;
    Some(licence(&raw, &format!("{at}/license"), ingested))
}
