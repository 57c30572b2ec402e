//! CycloneDX 1.2–1.7, JSON: `components` (nested ones included), `metadata.component` as the
//! subject, and `dependencies` for direct and transitive use.

use std::collections::HashMap;

use ospo_core::{ComponentLicence, LicenceExpression, Normalisation, Scope};
use serde_json::Value;

use super::{
    Entry, Format, IngestError, Ingested, array_field, component, licence, purl, text_field,
};

/// Reads a CycloneDX JSON document.
pub(super) fn read(name: &str, bom: &Value) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::CycloneDxJson);
    if !bom.is_object() {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "/".into(),
            message: "a CycloneDX document must be a JSON object".into(),
        });
    }
    ingested.spec_version = text_field(bom, "specVersion", "", &mut ingested);
    match ingested.spec_version.as_deref() {
        Some("1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7") => {}
        Some(other) => {
            let other = other.to_owned();
            ingested.warn(
                "/specVersion",
                format!("specVersion {other} is not 1.2–1.7; read as 1.7"),
            )
        }
        None => ingested.warn("/specVersion", "no specVersion; read as 1.7"),
    }
    let mut refs: Vec<Option<String>> = Vec::new();
    let mut root_ref = None;
    if let Some(metadata) = bom.get("metadata")
        && let Some(subject) = metadata.get("component")
        && subject.is_object()
    {
        root_ref = text_field(subject, "bom-ref", "/metadata/component", &mut ingested);
        ingested.subject = one(subject, "/metadata/component", &mut ingested).map(|e| e.component);
    }
    let mut stack: Vec<(String, &Value)> = array_field(bom, "components", "", &mut ingested)
        .iter()
        .enumerate()
        .rev()
        .map(|(i, c)| (format!("/components/{i}"), c))
        .collect();
    while let Some((at, value)) = stack.pop() {
        if !value.is_object() {
            ingested.warn(&at, "a component must be an object; skipped");
            continue;
        }
        let bom_ref = text_field(value, "bom-ref", &at, &mut ingested);
        if let Some(entry) = one(value, &at, &mut ingested) {
            refs.push(bom_ref);
            ingested.entries.push(entry);
        }
        let nested = array_field(value, "components", &at, &mut ingested);
        for (i, c) in nested.iter().enumerate().rev() {
            stack.push((format!("{at}/components/{i}"), c));
        }
    }
    relations(bom, root_ref, &refs, &mut ingested);
    Ok(ingested)
}

/// One component; `None` (with a warning) when it has no name.
fn one(value: &Value, at: &str, ingested: &mut Ingested) -> Option<Entry> {
    let Some(name) = text_field(value, "name", at, ingested) else {
        ingested.warn(at, "a component without a name; skipped");
        return None;
    };
    let version = text_field(value, "version", at, ingested);
    let purl_text = text_field(value, "purl", at, ingested);
    let purl = purl(purl_text, &format!("{at}/purl"), ingested);
    let mut component = component(name, version, purl);
    if let Some(group) = text_field(value, "group", at, ingested)
        && component.purl.is_none()
    {
        component.name = format!("{group}/{}", component.name);
    }
    component.supplier = value
        .get("supplier")
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| text_field(value, "publisher", at, ingested))
        .or_else(|| text_field(value, "author", at, ingested));
    component.declared_licence = licences(value, at, ingested);
    let scope = match text_field(value, "scope", at, ingested).as_deref() {
        None => Scope::Unspecified,
        Some("required") => Scope::Runtime,
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Build,
        Some(other) => {
            let message = format!("unknown scope '{other}'; read as unspecified");
            ingested.warn(format!("{at}/scope"), message);
            Scope::Unspecified
        }
    };
    Some(Entry {
        component,
        relation: None,
        scope,
    })
}

/// The `licenses` array: `{license: {id | name | url | text}}` or `{expression}` items,
/// several joined with AND.
fn licences(value: &Value, at: &str, ingested: &mut Ingested) -> Option<ComponentLicence> {
    let items = array_field(value, "licenses", at, ingested);
    let mut found = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{at}/licenses/{i}");
        if let Some(expression) = text_field(item, "expression", &at, ingested) {
            found.push(licence(&expression, &format!("{at}/expression"), ingested));
            continue;
        }
        let Some(inner) = item.get("license").filter(|l| l.is_object()) else {
            ingested.warn(&at, "neither a license nor an expression; ignored");
            continue;
        };
        let at = format!("{at}/license");
        let text = inner
            .get("text")
            .and_then(|t| t.get("content").or(Some(t)))
            .and_then(Value::as_str)
            .filter(|_| {
                let encoded = inner
                    .get("text")
                    .and_then(|t| t.get("encoding"))
                    .and_then(Value::as_str);
                encoded.is_none()
            })
            .map(str::to_owned);
        // Tools put a name the list does not know beside a URL it does: the first that
        // resolves wins; when none does, the first is kept for review.
        let candidates: Vec<String> = ["id", "name", "url"]
            .iter()
            .filter_map(|key| text_field(inner, key, &at, ingested))
            .chain(text)
            .collect();
        let resolved = candidates.iter().find_map(|raw| {
            let (licence, _) = super::normalise_licence(raw);
            licence.expression.is_some().then_some(licence)
        });
        match (resolved, candidates.first()) {
            (Some(resolved), _) => found.push(resolved),
            (None, Some(raw)) => found.push(licence(raw, &at, ingested)),
            (None, None) => ingested.warn(&at, "a license with no id, name, url or text; ignored"),
        }
    }
    combine(found)
}

/// Several licences of one component as one: all of them apply.
pub(super) fn combine(mut found: Vec<ComponentLicence>) -> Option<ComponentLicence> {
    if found.len() <= 1 {
        return found.pop();
    }
    let raw = found
        .iter()
        .map(|l| l.raw.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let resolved: Vec<&ComponentLicence> =
        found.iter().filter(|l| l.expression.is_some()).collect();
    if resolved.len() < found.len() {
        // Part of it unknown: the whole is for review.
        let any_unmatched = found
            .iter()
            .any(|l| l.normalisation == Normalisation::Unmatched);
        let all_empty = resolved.is_empty() && !any_unmatched;
        return Some(ComponentLicence {
            raw,
            expression: None,
            normalisation: if all_empty {
                Normalisation::NoAssertion
            } else {
                Normalisation::Unmatched
            },
            confidence: 0,
        });
    }
    let parts: Vec<String> = resolved
        .iter()
        .filter_map(|l| l.expression.as_ref())
        .map(|e| {
            let e = e.to_string();
            if e.contains(" OR ") {
                format!("({e})")
            } else {
                e
            }
        })
        .collect();
    let weakest = resolved
        .iter()
        .min_by_key(|l| l.confidence)
        .map(|l| (l.normalisation, l.confidence))
        .unwrap_or((Normalisation::Spdx, 100));
    Some(ComponentLicence {
        raw,
        expression: LicenceExpression::parse(&parts.join(" AND ")).ok(),
        normalisation: weakest.0,
        confidence: weakest.1,
    })
}

/// Direct and transitive use from the `dependencies` graph, when it starts at the subject.
fn relations(bom: &Value, root: Option<String>, refs: &[Option<String>], ingested: &mut Ingested) {
    let Some(root) = root else { return };
    let mut graph: HashMap<&str, Vec<&str>> = HashMap::new();
    let deps = match bom.get("dependencies") {
        Some(Value::Array(deps)) => deps,
        _ => return,
    };
    for dep in deps {
        if let Some(from) = dep.get("ref").and_then(Value::as_str) {
            let to = dep
                .get("dependsOn")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                .unwrap_or_default();
            graph.entry(from).or_default().extend(to);
        }
    }
    let relations = super::Relations::from_graph(&graph, &root);
    for (entry, bom_ref) in ingested.entries.iter_mut().zip(refs) {
        entry.relation = bom_ref.as_deref().and_then(|r| relations.of(r));
    }
}
