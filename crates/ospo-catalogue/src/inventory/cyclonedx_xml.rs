//! CycloneDX 1.x, XML: read into the shape of CycloneDX JSON (the two carry the same model)
//! and then as CycloneDX JSON.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value, json};

use super::{Format, IngestError, Ingested, cyclonedx, line_column};

/// An XML element: its local name, attributes, text and children.
#[derive(Default)]
pub(super) struct Node {
    pub(super) name: String,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) text: String,
    pub(super) children: Vec<Node>,
}

impl Node {
    pub(super) fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(super) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text_of(&self, name: &str) -> Option<Value> {
        self.child(name).map(|c| json!(c.text.trim()))
    }
}

/// Reads a CycloneDX XML document.
pub(super) fn read(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let root = parse(name, text)?;
    if root.name != "bom" {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: format!("<{}>", root.name),
            message: "a CycloneDX XML document's root element is <bom>".into(),
        });
    }
    let spec_version = root
        .attribute("xmlns")
        .and_then(|ns| ns.strip_prefix("http://cyclonedx.org/schema/bom/"))
        .map(str::to_owned);
    let mut bom = Map::new();
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    if let Some(v) = &spec_version {
        bom.insert("specVersion".into(), json!(v));
    }
    if let Some(subject) = root.child("metadata").and_then(|m| m.child("component")) {
        bom.insert(
            "metadata".into(),
            json!({ "component": component(subject) }),
        );
    }
    if let Some(components) = root.child("components") {
        let list: Vec<Value> = components.children("component").map(component).collect();
        bom.insert("components".into(), Value::Array(list));
    }
    if let Some(deps) = root.child("dependencies") {
        let list: Vec<Value> = deps
            .children("dependency")
            .map(|d| {
                let on: Vec<&str> = d
                    .children("dependency")
                    .filter_map(|c| c.attribute("ref"))
                    .collect();
                json!({ "ref": d.attribute("ref"), "dependsOn": on })
            })
            .collect();
        bom.insert("dependencies".into(), Value::Array(list));
    }
    let mut ingested = cyclonedx::read(name, &Value::Object(bom))?;
    ingested.format = Format::CycloneDxXml;
    if spec_version.is_none() {
        ingested.warnings.retain(|w| w.location != "/specVersion");
        ingested.warn(
            "<bom>",
            "no CycloneDX namespace (xmlns) giving the version; read as 1.7",
        );
    }
    Ok(ingested)
}

fn component(node: &Node) -> Value {
    let mut c = Map::new();
    if let Some(r) = node.attribute("bom-ref") {
        c.insert("bom-ref".into(), json!(r));
    }
    for key in [
        "name",
        "version",
        "group",
        "purl",
        "scope",
        "publisher",
        "author",
    ] {
        if let Some(v) = node.text_of(key) {
            c.insert(key.into(), v);
        }
    }
    if let Some(supplier) = node.child("supplier").and_then(|s| s.text_of("name")) {
        c.insert("supplier".into(), json!({ "name": supplier }));
    }
    if let Some(licences) = node.child("licenses") {
        let list: Vec<Value> = licences
            .children
            .iter()
            .map(|l| match l.name.as_str() {
                "expression" => json!({ "expression": l.text.trim() }),
                _ => {
                    let mut inner = Map::new();
                    for key in ["id", "name", "url"] {
                        if let Some(v) = l.text_of(key) {
                            inner.insert(key.into(), v);
                        }
                    }
                    if let Some(t) = l.child("text") {
                        let mut text = json!({ "content": t.text });
                        if let Some(e) = t.attribute("encoding") {
                            text["encoding"] = json!(e);
                        }
                        inner.insert("text".into(), text);
                    }
                    json!({ "license": inner })
                }
            })
            .collect();
        c.insert("licenses".into(), Value::Array(list));
    }
    if let Some(nested) = node.child("components") {
        let list: Vec<Value> = nested.children("component").map(component).collect();
        c.insert("components".into(), Value::Array(list));
    }
    Value::Object(c)
}

pub(super) fn parse(name: &str, text: &str) -> Result<Node, IngestError> {
    let syntax = |offset: u64, message: String| {
        let (line, column) = line_column(text.as_bytes(), offset as usize);
        IngestError::Syntax {
            name: name.to_owned(),
            format: "XML".into(),
            line,
            column,
            message,
        }
    };
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| syntax(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => attach(&mut stack, element(&e)),
            Event::End(_) if stack.len() > 1 => {
                let node = stack.pop().unwrap_or_default();
                attach(&mut stack, node);
            }
            Event::Text(t) => {
                if let (Some(top), Ok(t)) = (stack.last_mut(), t.decode()) {
                    top.text.push_str(&t);
                }
            }
            Event::CData(t) => {
                if let (Some(top), Ok(t)) = (stack.last_mut(), t.decode()) {
                    top.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r.decode().ok().and_then(|n| {
                        match n.as_ref() {
                            "amp" => Some("&"),
                            "lt" => Some("<"),
                            "gt" => Some(">"),
                            "quot" => Some("\""),
                            "apos" => Some("'"),
                            _ => None,
                        }
                        .map(str::to_owned)
                    }),
                };
                if let (Some(top), Some(s)) = (stack.last_mut(), resolved) {
                    top.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() > 1 {
        let open = stack.last().map(|n| n.name.clone()).unwrap_or_default();
        return Err(syntax(
            text.len() as u64,
            format!("the file ends inside <{open}> (the file is truncated)"),
        ));
    }
    let document = stack.pop().unwrap_or_default();
    document
        .children
        .into_iter()
        .next()
        .ok_or_else(|| syntax(0, "no root element".into()))
}

fn element(e: &quick_xml::events::BytesStart) -> Node {
    let mut node = Node {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        ..Node::default()
    };
    for a in e.attributes().flatten() {
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_default();
        node.attributes.push((key, value));
    }
    node
}

fn attach(stack: &mut [Node], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}
