//! SPDX 2.x documents, JSON or YAML (the same fields): `packages` with their declared and
//! concluded licences, the described package as the subject, and `relationships` for direct
//! and transitive use.

use std::collections::HashMap;

use serde_json::Value;

use super::{
    Entry, Format, IngestError, Ingested, Relations, array_field, component, licence, party, purl,
    text_field,
};
use ospo_core::Scope;

/// Reads an SPDX 2.x document already parsed into a JSON value.
pub(super) fn read(name: &str, doc: &Value, format: Format) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(format);
    if !doc.is_object() {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "/".into(),
            message: "an SPDX document must be an object".into(),
        });
    }
    ingested.spec_version = text_field(doc, "spdxVersion", "", &mut ingested);
    match ingested.spec_version.as_deref() {
        Some("SPDX-2.2" | "SPDX-2.3") => {}
        Some(v) if v.starts_with("SPDX-2.") => {
            let message = format!("{v} is older than SPDX-2.2; read as 2.3");
            ingested.warn("/spdxVersion", message);
        }
        Some(v) => {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: "/spdxVersion".into(),
                message: format!("{v} is not SPDX 2.x; SPDX-2.2 and SPDX-2.3 are read"),
            });
        }
        None => ingested.warn("/spdxVersion", "no spdxVersion; read as SPDX-2.3"),
    }
    let mut described: Vec<String> = array_field(doc, "documentDescribes", "", &mut ingested)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    for (i, rel) in array_field(doc, "relationships", "", &mut ingested)
        .iter()
        .enumerate()
    {
        let at = format!("/relationships/{i}");
        let from = text_field(rel, "spdxElementId", &at, &mut ingested);
        let kind = text_field(rel, "relationshipType", &at, &mut ingested);
        let to = text_field(rel, "relatedSpdxElement", &at, &mut ingested);
        let (Some(from), Some(kind), Some(to)) = (from, kind, to) else {
            ingested.warn(at, "a relationship without both ends and a type; ignored");
            continue;
        };
        let kind = kind.to_ascii_uppercase();
        if kind == "DESCRIBES" && from == "SPDXRef-DOCUMENT" {
            described.push(to);
        } else if kind == "DESCRIBED_BY" && to == "SPDXRef-DOCUMENT" {
            described.push(from);
        } else if kind == "DEPENDS_ON" || kind == "CONTAINS" || kind.ends_with("_DEPENDENCY") {
            graph.entry(from).or_default().push(to);
        } else if kind == "CONTAINED_BY" || kind.ends_with("DEPENDENCY_OF") {
            graph.entry(to).or_default().push(from);
        }
    }
    described.sort();
    described.dedup();
    let subject_id = match described.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let mut ids = Vec::new();
    for (i, package) in array_field(doc, "packages", "", &mut ingested)
        .iter()
        .enumerate()
    {
        let at = format!("/packages/{i}");
        if !package.is_object() {
            ingested.warn(at, "a package must be an object; skipped");
            continue;
        }
        let Some(name) = text_field(package, "name", &at, &mut ingested) else {
            ingested.warn(at, "a package without a name; skipped");
            continue;
        };
        let id = text_field(package, "SPDXID", &at, &mut ingested);
        let version = text_field(package, "versionInfo", &at, &mut ingested);
        let mut purl_text = None;
        for (j, r) in array_field(package, "externalRefs", &at, &mut ingested)
            .iter()
            .enumerate()
        {
            let kind = r.get("referenceType").and_then(Value::as_str);
            if kind.is_some_and(|k| k.eq_ignore_ascii_case("purl")) && purl_text.is_none() {
                let at = format!("{at}/externalRefs/{j}");
                purl_text = text_field(r, "referenceLocator", &at, &mut ingested)
                    .map(|p| (p, format!("{at}/referenceLocator")));
            }
        }
        let purl = match purl_text {
            Some((text, where_)) => purl(Some(text), &where_, &mut ingested),
            None => None,
        };
        let mut c = component(name, version, purl);
        for (field, concluded) in [("licenseDeclared", false), ("licenseConcluded", true)] {
            let raw = text_field(package, field, &at, &mut ingested);
            let l = raw.map(|raw| licence(&raw, &format!("{at}/{field}"), &mut ingested));
            if concluded {
                c.concluded_licence = l;
            } else {
                c.declared_licence = l;
            }
        }
        c.supplier = text_field(package, "supplier", &at, &mut ingested)
            .or_else(|| text_field(package, "originator", &at, &mut ingested))
            .and_then(|s| party(&s));
        if id.is_some() && id == subject_id {
            ingested.subject = Some(c);
            continue;
        }
        ids.push(id);
        ingested.entries.push(Entry {
            component: c,
            relation: None,
            scope: Scope::Unspecified,
        });
    }
    if let Some(root) = &subject_id {
        let graph: HashMap<&str, Vec<&str>> = graph
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        if graph.contains_key(root.as_str()) {
            let relations = Relations::from_graph(&graph, root);
            for (entry, id) in ingested.entries.iter_mut().zip(&ids) {
                entry.relation = id.as_deref().and_then(|id| relations.of(id));
            }
        }
    }
    Ok(ingested)
}
