//! SPDX 3.0 JSON-LD: a `@graph` of elements. Packages (`software_Package` and its AI and
//! dataset kinds) are the components; their licences are the targets of `hasDeclaredLicense`
//! and `hasConcludedLicense` relationships (a `simplelicensing_LicenseExpression`, a listed or
//! custom licence, or a licence set); the document's root elements are the subject and
//! `dependsOn` and its kin give direct and transitive use, with `LifecycleScopedRelationship`
//! scopes.
//!
//! Both the compact names of the SPDX 3 context (`software_packageVersion`, `type`,
//! `spdxId`) and the expanded ones JSON-LD processors write (full term IRIs, `@type`, `@id`,
//! values wrapped as `[{"@value": …}]`) are read.

use std::collections::{HashMap, HashSet};

use ospo_core::{ComponentLicence, Scope};
use serde_json::Value;

use super::{Entry, Format, IngestError, Ingested, Relations, component, licence, purl};

/// The prefixes of SPDX 3 term IRIs, newest first.
const TERMS: [&str; 2] = [
    "https://spdx.org/rdf/3.0.1/terms/",
    "https://spdx.org/rdf/3.0.0/terms/",
];

/// The listed licences' IRIs: `https://spdx.org/licenses/MIT`.
const LISTED: [&str; 2] = ["https://spdx.org/licenses/", "http://spdx.org/licenses/"];

/// Whether a JSON value is an SPDX 3 JSON-LD document.
pub(super) fn detect(value: &Value) -> bool {
    let mentions_spdx3 = |v: &Value| {
        let text = match v {
            Value::String(s) => s.as_str(),
            _ => return v.to_string().contains("spdx.org/rdf/3."),
        };
        text.contains("spdx.org/rdf/3.")
    };
    match value {
        Value::Object(o) => {
            o.get("@context").is_some_and(mentions_spdx3)
                || o.get("@graph").is_some_and(|g| {
                    g.as_array()
                        .and_then(|a| a.first())
                        .is_some_and(|first| first.as_object().is_some_and(is_spdx3_node))
                })
        }
        Value::Array(items) => items
            .first()
            .and_then(Value::as_object)
            .is_some_and(is_spdx3_node),
        _ => false,
    }
}

fn is_spdx3_node(node: &serde_json::Map<String, Value>) -> bool {
    node.iter().any(|(k, v)| {
        TERMS.iter().any(|t| k.starts_with(t))
            || ((k == "@type" || k == "type") && v.to_string().contains("spdx.org/rdf/3."))
    })
}

/// A property name as the compact context writes it: `software_packageVersion`, `name`.
fn compact_key(key: &str) -> String {
    match key {
        "@type" => return "type".into(),
        "@id" => return "spdxId".into(),
        _ => {}
    }
    let term = TERMS
        .iter()
        .find_map(|t| key.strip_prefix(t))
        .or_else(|| key.strip_prefix("spdx:"));
    match term {
        Some(term) => compact_term(term),
        None => key.to_owned(),
    }
}

/// `Core/name` → `name`, `Software/packageVersion` → `software_packageVersion`,
/// `SimpleLicensing/LicenseExpression` → `simplelicensing_LicenseExpression`.
fn compact_term(term: &str) -> String {
    match term.split_once('/') {
        Some(("Core", name)) => name.to_owned(),
        Some((profile, name)) => format!("{}_{name}", profile.to_ascii_lowercase()),
        None => term.to_owned(),
    }
}

/// A value as text: a string, the first of an array, `{"@value": …}` or `{"@id": …}`. Term
/// IRIs are compacted (`…/terms/Software/Package` → `software_Package`).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => {
            let compact = TERMS.iter().find_map(|t| s.strip_prefix(t)).map_or_else(
                || s.trim().to_owned(),
                |term| {
                    // Vocabulary values: `Core/RelationshipType/dependsOn` → `dependsOn`.
                    if term.matches('/').count() >= 2 {
                        term.rsplit('/').next().unwrap_or(term).to_owned()
                    } else {
                        compact_term(term)
                    }
                },
            );
            (!compact.is_empty()).then_some(compact)
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => items.iter().find_map(text),
        Value::Object(o) => o
            .get("@value")
            .or_else(|| o.get("@id"))
            .or_else(|| o.get("spdxId"))
            .and_then(text),
        Value::Null => None,
    }
}

/// The ids a reference property holds: one, a list, or embedded elements.
fn ids(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// One element of the graph, with compacted property names.
struct Element<'a> {
    /// Where it is in the file, as a JSON pointer.
    at: String,
    kind: String,
    id: Option<String>,
    props: HashMap<String, &'a Value>,
}

impl Element<'_> {
    fn text(&self, key: &str) -> Option<String> {
        self.props.get(key).and_then(|v| text(v))
    }

    fn ids(&self, key: &str) -> Vec<String> {
        self.props.get(key).map(|v| ids(v)).unwrap_or_default()
    }
}

/// Collects the elements of the graph, and those embedded in them, in document order.
fn collect<'a>(value: &'a Value, at: String, out: &mut Vec<Element<'a>>, depth: usize) {
    let Value::Object(object) = value else {
        return;
    };
    let mut props = HashMap::new();
    for (key, v) in object {
        props.insert(compact_key(key), v);
    }
    let kind = props.get("type").and_then(|v| text(v));
    let id = props
        .get("spdxId")
        .and_then(|v| text(v))
        .or_else(|| props.get("@id").and_then(|v| text(v)));
    // Embedded elements (JSON-LD may nest a node instead of referring to it).
    if depth < 8 {
        for (key, v) in object {
            let items: Vec<(String, &Value)> = match v {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{at}/{}/{i}", pointer(key)), item))
                    .collect(),
                Value::Object(_) => vec![(format!("{at}/{}", pointer(key)), v)],
                _ => Vec::new(),
            };
            for (inner_at, item) in items {
                if let Value::Object(o) = item
                    && o.keys().any(|k| k == "type" || k == "@type")
                    && o.keys().any(|k| k == "spdxId" || k == "@id")
                {
                    collect(item, inner_at, out, depth + 1);
                }
            }
        }
    }
    if let Some(kind) = kind {
        out.push(Element {
            at,
            kind,
            id,
            props,
        });
    }
}

fn pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The package kinds of SPDX 3.0: a component each.
fn is_package(kind: &str) -> bool {
    matches!(
        kind,
        "software_Package" | "ai_AIPackage" | "dataset_DatasetPackage"
    )
}

/// Relationship types through which the `from` element uses the `to` elements.
fn is_use(kind: &str) -> bool {
    matches!(
        kind,
        "dependsOn"
            | "contains"
            | "hasDynamicLink"
            | "hasStaticLink"
            | "hasOptionalDependency"
            | "hasProvidedDependency"
            | "hasPrerequisite"
    )
}

/// Reads an SPDX 3.0 JSON-LD document already parsed into a JSON value.
pub(super) fn read(name: &str, doc: &Value) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::Spdx3JsonLd);
    let mut elements = Vec::new();
    match doc {
        Value::Object(o) => match o.get("@graph") {
            Some(Value::Array(graph)) => {
                for (i, node) in graph.iter().enumerate() {
                    collect(node, format!("/@graph/{i}"), &mut elements, 0);
                }
            }
            Some(_) => {
                return Err(IngestError::Content {
                    name: name.to_owned(),
                    location: "/@graph".into(),
                    message: "`@graph` must be an array of SPDX 3 elements".into(),
                });
            }
            // A document of one element, its properties beside `@context`.
            None => collect(doc, String::new(), &mut elements, 0),
        },
        Value::Array(graph) => {
            for (i, node) in graph.iter().enumerate() {
                collect(node, format!("/{i}"), &mut elements, 0);
            }
        }
        _ => {
            return Err(IngestError::Content {
                name: name.to_owned(),
                location: "/".into(),
                message: "an SPDX 3 document must be a JSON-LD object with `@graph`".into(),
            });
        }
    }
    if elements.is_empty() {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "/@graph".into(),
            message: "no SPDX 3 elements (objects with a `type`) in the graph".into(),
        });
    }
    let by_id: HashMap<&str, usize> = elements
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.id.as_deref().map(|id| (id, i)))
        .collect();

    for e in elements.iter().filter(|e| e.kind == "CreationInfo") {
        if let Some(version) = e.text("specVersion") {
            ingested.spec_version = Some(version);
            break;
        }
    }
    match ingested.spec_version.as_deref() {
        Some("3.0.0" | "3.0.1") => {}
        Some(v) => {
            let message = format!("specVersion {v} is not 3.0.0 or 3.0.1; read as 3.0.1");
            ingested.warn("/@graph", message);
        }
        None => ingested.warn(
            "/@graph",
            "no CreationInfo with a specVersion; read as 3.0.1",
        ),
    }

    // The roots: what the document (or the SBOM in it) is about.
    let mut roots: Vec<String> = Vec::new();
    for e in &elements {
        if e.kind == "SpdxDocument" || e.kind == "software_Sbom" || e.kind == "Bundle" {
            roots.extend(e.ids("rootElement"));
        }
    }
    let mut declared: HashMap<String, Vec<String>> = HashMap::new();
    let mut concluded: HashMap<String, Vec<String>> = HashMap::new();
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    let mut scopes: HashMap<String, Scope> = HashMap::new();
    for e in &elements {
        if e.kind != "Relationship" && e.kind != "LifecycleScopedRelationship" {
            continue;
        }
        let (Some(from), Some(kind)) = (e.text("from"), e.text("relationshipType")) else {
            ingested.warn(&e.at, "a relationship without `from` or a type; ignored");
            continue;
        };
        let to = e.ids("to");
        match kind.as_str() {
            "hasDeclaredLicense" => declared.entry(from).or_default().extend(to),
            "hasConcludedLicense" => concluded.entry(from).or_default().extend(to),
            "describes" => roots.extend(to),
            k if is_use(k) => {
                if let Some(scope) = e.text("scope").map(|s| lifecycle_scope(&s)) {
                    for target in &to {
                        scopes.entry(target.clone()).or_insert(scope);
                    }
                }
                graph.entry(from).or_default().extend(to);
            }
            _ => {}
        }
    }
    // Roots that are SBOMs or documents stand for what they describe.
    let mut root_packages: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    while let Some(root) = roots.pop() {
        if !seen.insert(root.clone()) {
            continue;
        }
        match by_id.get(root.as_str()).map(|&i| &elements[i]) {
            Some(e) if is_package(&e.kind) => root_packages.push(root),
            Some(e) if e.kind == "software_Sbom" || e.kind == "SpdxDocument" => {
                roots.extend(e.ids("rootElement"));
            }
            _ => {}
        }
    }
    root_packages.sort();
    root_packages.dedup();
    let subject_id = match root_packages.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };

    let mut entry_ids = Vec::new();
    for e in elements.iter().filter(|e| is_package(&e.kind)) {
        let Some(package_name) = e.text("name") else {
            ingested.warn(&e.at, "a package without a name; skipped");
            continue;
        };
        let version = e.text("software_packageVersion");
        let mut purl_text = e
            .text("software_packageUrl")
            .map(|p| (p, format!("{}/software_packageUrl", e.at)));
        if purl_text.is_none() {
            let identifiers = e.props.get("externalIdentifier").copied();
            let list: Vec<&Value> = match identifiers {
                Some(Value::Array(items)) => items.iter().collect(),
                Some(other) => vec![other],
                None => Vec::new(),
            };
            for (j, identifier) in list.into_iter().enumerate() {
                let Value::Object(o) = identifier else {
                    continue;
                };
                let props: HashMap<String, &Value> =
                    o.iter().map(|(k, v)| (compact_key(k), v)).collect();
                let kind = props.get("externalIdentifierType").and_then(|v| text(v));
                if kind.as_deref() == Some("packageUrl")
                    && let Some(locator) = props.get("identifier").and_then(|v| text(v))
                {
                    purl_text = Some((locator, format!("{}/externalIdentifier/{j}", e.at)));
                    break;
                }
            }
        }
        let purl = match purl_text {
            Some((text, at)) => purl(Some(text), &at, &mut ingested),
            None => None,
        };
        let mut c = component(package_name, version, purl);
        c.supplier = e
            .ids("suppliedBy")
            .into_iter()
            .chain(e.ids("originatedBy"))
            .find_map(|agent| agent_name(&agent, &elements, &by_id));
        if let Some(id) = &e.id {
            for (targets, concluded_licence) in
                [(declared.get(id), false), (concluded.get(id), true)]
            {
                let Some(targets) = targets else {
                    continue;
                };
                let field = if concluded_licence {
                    "hasConcludedLicense"
                } else {
                    "hasDeclaredLicense"
                };
                let l = licence_of(targets, &elements, &by_id, &e.at, field, &mut ingested);
                if concluded_licence {
                    c.concluded_licence = l;
                } else {
                    c.declared_licence = l;
                }
            }
        }
        if e.id.is_some() && e.id == subject_id {
            ingested.subject = Some(c);
            continue;
        }
        entry_ids.push(e.id.clone());
        let scope =
            e.id.as_ref()
                .and_then(|id| scopes.get(id).copied())
                .unwrap_or(Scope::Unspecified);
        ingested.entries.push(Entry {
            component: c,
            relation: None,
            scope,
        });
    }
    if let Some(root) = &subject_id
        && graph.contains_key(root)
    {
        let graph: HashMap<&str, Vec<&str>> = graph
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect();
        let relations = Relations::from_graph(&graph, root);
        for (entry, id) in ingested.entries.iter_mut().zip(&entry_ids) {
            entry.relation = id.as_deref().and_then(|id| relations.of(id));
        }
    }
    if ingested.entries.is_empty() && ingested.subject.is_none() {
        let files = elements
            .iter()
            .filter(|e| e.kind == "software_File")
            .count();
        ingested.warn(
            "/@graph",
            format!("no packages in the document ({files} files, which are not components)"),
        );
    }
    Ok(ingested)
}

/// `LifecycleScopeType`: design, development, build, test, runtime, other.
fn lifecycle_scope(text: &str) -> Scope {
    match text {
        "runtime" => Scope::Runtime,
        "build" => Scope::Build,
        "development" | "design" => Scope::Development,
        "test" => Scope::Test,
        _ => Scope::Unspecified,
    }
}

/// An agent's name, or its id when the graph does not hold it.
fn agent_name(id: &str, elements: &[Element<'_>], by_id: &HashMap<&str, usize>) -> Option<String> {
    match by_id.get(id) {
        Some(&i) => elements[i].text("name"),
        None => Some(id.to_owned()),
    }
}

/// The licence a package's relationships point at, as an SPDX expression when they can be
/// read as one (several targets are all required: `AND`).
fn licence_of(
    targets: &[String],
    elements: &[Element<'_>],
    by_id: &HashMap<&str, usize>,
    at: &str,
    field: &str,
    ingested: &mut Ingested,
) -> Option<ComponentLicence> {
    let mut parts = Vec::new();
    let mut texts = Vec::new();
    for target in targets {
        match expression(target, elements, by_id, 0) {
            Some(Licence::Expression(e)) => parts.push(e),
            Some(Licence::Text(t)) => texts.push(t),
            None => ingested.warn(
                format!("{at} ({field})"),
                format!("licence '{target}' is not in the document and not a listed licence"),
            ),
        }
    }
    let raw = match (parts.as_slice(), texts.as_slice()) {
        ([], []) => return None,
        ([one], []) => one.clone(),
        (_, []) => parts
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" AND "),
        ([], [text]) => text.clone(),
        _ => {
            ingested.warn(
                format!("{at} ({field})"),
                "a licence text combined with other licences; only the text is matched",
            );
            texts[0].clone()
        }
    };
    Some(licence(&raw, &format!("{at} ({field})"), ingested))
}

enum Licence {
    /// An SPDX expression, or a string meant as one.
    Expression(String),
    /// A custom licence's text, to identify.
    Text(String),
}

/// The expression behind a licence element or IRI.
fn expression(
    id: &str,
    elements: &[Element<'_>],
    by_id: &HashMap<&str, usize>,
    depth: usize,
) -> Option<Licence> {
    if let Some(listed) = LISTED.iter().find_map(|p| id.strip_prefix(p)) {
        return Some(Licence::Expression(listed.to_owned()));
    }
    match id {
        "expandedlicensing_NoAssertionLicense" | "NoAssertionLicense" => {
            return Some(Licence::Expression("NOASSERTION".into()));
        }
        "expandedlicensing_NoneLicense" | "NoneLicense" => {
            return Some(Licence::Expression("NONE".into()));
        }
        _ => {}
    }
    let e = &elements[*by_id.get(id)?];
    if depth > 16 {
        return None;
    }
    let member = |key: &str| -> Option<String> {
        let inner = e.ids(key).into_iter().next()?;
        match expression(&inner, elements, by_id, depth + 1)? {
            Licence::Expression(x) => Some(x),
            Licence::Text(_) => Some(local_id(&inner)),
        }
    };
    let set = |operator: &str| -> Option<Licence> {
        let members: Vec<String> = e
            .ids("expandedlicensing_member")
            .iter()
            .filter_map(|m| match expression(m, elements, by_id, depth + 1)? {
                Licence::Expression(x) => Some(format!("({x})")),
                Licence::Text(_) => Some(local_id(m)),
            })
            .collect();
        (!members.is_empty()).then(|| Licence::Expression(members.join(operator)))
    };
    match e.kind.as_str() {
        "simplelicensing_LicenseExpression" => e
            .text("simplelicensing_licenseExpression")
            .map(Licence::Expression),
        "expandedlicensing_ListedLicense" | "expandedlicensing_ListedLicenseException" => {
            Some(Licence::Expression(local_id(id)))
        }
        "expandedlicensing_CustomLicense" | "expandedlicensing_CustomLicenseAddition" => e
            .text("simplelicensing_licenseText")
            .map(Licence::Text)
            .or_else(|| e.text("name").map(Licence::Expression)),
        "expandedlicensing_DisjunctiveLicenseSet" => set(" OR "),
        "expandedlicensing_ConjunctiveLicenseSet" => set(" AND "),
        "expandedlicensing_OrLaterOperator" => {
            member("expandedlicensing_subjectLicense").map(|l| Licence::Expression(l + "+"))
        }
        "expandedlicensing_WithAdditionOperator" => {
            let licence = member("expandedlicensing_subjectExtendableLicense")?;
            let addition = member("expandedlicensing_subjectAddition")?;
            Some(Licence::Expression(format!("{licence} WITH {addition}")))
        }
        _ => None,
    }
}

/// The last segment of an IRI: `https://spdx.org/licenses/MIT` → `MIT`.
fn local_id(id: &str) -> String {
    id.rsplit(['/', '#']).next().unwrap_or(id).to_owned()
}

#[cfg(test)]
mod tests {
    use super::super::read as read_file;

    /// Expanded-licensing elements (no file of the corpus has them) become one expression.
    #[test]
    fn licence_sets_and_operators_become_an_expression() {
        let doc = br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
          {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1"},
          {"type": "SpdxDocument", "spdxId": "urn:doc", "rootElement": ["urn:app"]},
          {"type": "software_Package", "spdxId": "urn:app", "name": "app"},
          {"type": "software_Package", "spdxId": "urn:lib", "name": "lib",
           "software_packageVersion": "2.1", "software_packageUrl": "pkg:maven/org.example/lib@2.1"},
          {"type": "Relationship", "spdxId": "urn:r1", "from": "urn:app", "to": ["urn:lib"],
           "relationshipType": "dependsOn"},
          {"type": "Relationship", "spdxId": "urn:r2", "from": "urn:lib", "to": ["urn:set"],
           "relationshipType": "hasDeclaredLicense"},
          {"type": "expandedlicensing_DisjunctiveLicenseSet", "spdxId": "urn:set",
           "expandedlicensing_member": ["https://spdx.org/licenses/EPL-2.0", "urn:with"]},
          {"type": "expandedlicensing_WithAdditionOperator", "spdxId": "urn:with",
           "expandedlicensing_subjectExtendableLicense": "urn:later",
           "expandedlicensing_subjectAddition": "https://spdx.org/licenses/Classpath-exception-2.0"},
          {"type": "expandedlicensing_OrLaterOperator", "spdxId": "urn:later",
           "expandedlicensing_subjectLicense": "https://spdx.org/licenses/GPL-2.0-only"},
          {"type": "Relationship", "spdxId": "urn:r3", "from": "urn:lib", "to": ["urn:missing"],
           "relationshipType": "hasConcludedLicense"}
        ]}"#;
        let read = read_file("x.spdx3.json", doc).unwrap();
        let lib = &read.entries[0];
        let declared = lib.component.declared_licence.as_ref().unwrap();
        assert_eq!(
            declared.raw,
            "(EPL-2.0) OR (GPL-2.0-only+ WITH Classpath-exception-2.0)"
        );
        assert!(declared.expression.is_some(), "{declared:?}");
        assert_eq!(lib.relation, Some(ospo_core::Relation::Direct));
        assert_eq!(lib.component.concluded_licence, None);
        assert_eq!(
            read.warnings[0].to_string(),
            "/@graph/3 (hasConcludedLicense): licence 'urn:missing' is not in the document and not a listed licence"
        );
    }
}
