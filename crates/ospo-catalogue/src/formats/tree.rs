//! A parsed document walked value by value, each value knowing its path from the top, so that
//! a value of the wrong shape is reported with its field and, through [`super::locate`], its
//! line and column.
//!
//! YAML and JSON are both read into [`serde_json::Value`]; the readers of the formats then
//! take what they need through [`Node`], which accepts the spellings found in real files (a
//! number where text is expected, a single value where a list is expected) and refuses the
//! rest with a [`Problem`].

use std::fmt;

use serde_json::Value;

/// One step of a path: a key of a map or an index of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Where a value sits in a document, shown as `projects[3].compatibles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Path(Vec<Seg>);

impl Path {
    pub(crate) fn key(&self, key: &str) -> Path {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_owned()));
        Path(segs)
    }

    pub(crate) fn index(&self, index: usize) -> Path {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        Path(segs)
    }

    pub(crate) fn segs(&self) -> &[Seg] {
        &self.0
    }

    pub(crate) fn from_segs(segs: Vec<Seg>) -> Path {
        Path(segs)
    }

    /// The path without its first `skip` steps.
    pub(crate) fn tail(&self, skip: usize) -> Path {
        Path(self.0.iter().skip(skip).cloned().collect())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(key) if i == 0 => f.write_str(key)?,
                Seg::Key(key) => write!(f, ".{key}")?,
                Seg::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A value that is missing or has the wrong shape: the file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) path: Path,
    pub(crate) expected: String,
    pub(crate) found: String,
}

/// How a value is named in "expected ..., found ..." messages.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// A value of the document and its path.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub(crate) value: &'a Value,
    pub(crate) path: Path,
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value) -> Self {
        Node {
            value,
            path: Path::default(),
        }
    }

    /// A problem with this value: `expected` is what should have been here.
    pub(crate) fn problem(&self, expected: impl Into<String>) -> Problem {
        Problem {
            path: self.path.clone(),
            expected: expected.into(),
            found: describe(self.value).to_owned(),
        }
    }

    /// A required `key` of this map is missing.
    pub(crate) fn missing(&self, key: &str, expected: impl Into<String>) -> Problem {
        Problem {
            path: self.path.key(key),
            expected: expected.into(),
            found: "nothing".to_owned(),
        }
    }

    pub(crate) fn is_map(&self) -> bool {
        self.value.is_object()
    }

    /// Refuses anything but a map.
    pub(crate) fn expect_map(&self, expected: &str) -> Result<(), Problem> {
        if self.is_map() {
            Ok(())
        } else {
            Err(self.problem(expected))
        }
    }

    /// The value at `key` of this map; `None` when absent, null, or when this is not a map.
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node {
                value,
                path: self.path.key(key),
            }),
        }
    }

    /// The entries of this map, in the document's order where the parser kept it.
    pub(crate) fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .map(|(key, value)| {
                    (
                        key.as_str(),
                        Node {
                            value,
                            path: self.path.key(key),
                        },
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// This value as trimmed text; numbers are taken as written (`1.0`, `2024`), since YAML
    /// reads unquoted versions as numbers.
    pub(crate) fn as_text(&self, expected: &str) -> Result<String, Problem> {
        match self.value {
            Value::String(text) => Ok(text.trim().to_owned()),
            Value::Number(number) => Ok(number.to_string()),
            _ => Err(self.problem(expected)),
        }
    }

    /// The text at `key`; `None` when absent or blank.
    pub(crate) fn text(&self, key: &str, expected: &str) -> Result<Option<String>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(node) => Ok(Some(node.as_text(expected)?).filter(|t| !t.is_empty())),
        }
    }

    /// The text at `key`, which must be present and not blank.
    pub(crate) fn required_text(&self, key: &str, expected: &str) -> Result<String, Problem> {
        match self.get(key) {
            None => Err(self.missing(key, expected)),
            Some(node) => {
                let text = node.as_text(expected)?;
                if text.is_empty() {
                    Err(Problem {
                        path: node.path,
                        expected: expected.to_owned(),
                        found: "empty text".to_owned(),
                    })
                } else {
                    Ok(text)
                }
            }
        }
    }

    /// The items of the list at `key`; empty when absent.
    pub(crate) fn list(&self, key: &str, expected: &str) -> Result<Vec<Node<'a>>, Problem> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(node) => node.items(expected),
        }
    }

    /// The items of this list.
    pub(crate) fn items(&self, expected: &str) -> Result<Vec<Node<'a>>, Problem> {
        match self.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    path: self.path.index(i),
                })
                .collect()),
            _ => Err(self.problem(expected)),
        }
    }

    /// The texts of the list at `key`, each with its node; blank ones are left out.
    pub(crate) fn texts(
        &self,
        key: &str,
        list_expected: &str,
        item_expected: &str,
    ) -> Result<Vec<(Node<'a>, String)>, Problem> {
        let mut out = Vec::new();
        for item in self.list(key, list_expected)? {
            let text = item.as_text(item_expected)?;
            if !text.is_empty() {
                out.push((item, text));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_field_names() {
        let path = Path::default().key("projects").index(3).key("compatibles");
        assert_eq!(path.to_string(), "projects[3].compatibles");
        assert_eq!(
            Path::default().index(17).key("name").to_string(),
            "[17].name"
        );
        assert_eq!(path.tail(2).to_string(), "compatibles");
    }

    #[test]
    fn shapes_are_checked_with_the_path() {
        let value = serde_json::json!({"projects": [{"id": "spec", "compatibles": 5}]});
        let root = Node::root(&value);
        let project = root.list("projects", "a list").unwrap().remove(0);
        let problem = project
            .texts("compatibles", "a list of project ids", "a project id")
            .unwrap_err();
        assert_eq!(problem.path.to_string(), "projects[0].compatibles");
        assert_eq!(problem.found, "a number");
        let missing = project.required_text("name", "a name").unwrap_err();
        assert_eq!(missing.path.to_string(), "projects[0].name");
        assert_eq!(missing.found, "nothing");
        assert_eq!(
            project.text("id", "an id").unwrap().as_deref(),
            Some("spec")
        );
    }
}
