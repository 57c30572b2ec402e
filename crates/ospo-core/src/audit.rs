//! The audit log: who changed what, when, with the old and the new value of every field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Timestamp;

/// A field's value as recorded in the audit log: enough structure to show and compare old and
/// new values without tying the model to a JSON library.
///
/// Serialised untagged, so in JSON it reads as the plain value (`"MIT"`, `["C++", "Python"]`,
/// `{"department": "EP", "group": "SFT"}`, `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Value {
    /// No value (an unset optional field).
    Null,
    /// A yes/no value.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// Text, including validated strings and enum names.
    Text(String),
    /// An ordered list.
    List(Vec<Value>),
    /// A record of named values.
    Record(BTreeMap<String, Value>),
}

impl Value {
    /// Whether this is [`Value::Null`], an empty text, list or record: "nothing to say".
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Text(text) => text.is_empty(),
            Self::List(items) => items.is_empty(),
            Self::Record(fields) => fields.is_empty(),
            Self::Bool(_) | Self::Integer(_) => false,
        }
    }

    /// Builds a record from `(name, value)` pairs.
    pub fn record<const N: usize>(fields: [(&str, Value); N]) -> Self {
        Self::Record(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

impl std::fmt::Display for Value {
    /// A compact JSON-like rendering for logs and change lists.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Integer(n) => write!(f, "{n}"),
            Self::Text(text) => write!(f, "{text:?}"),
            Self::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Self::Record(fields) => {
                f.write_str("{")?;
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name}: {value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Conversion of a model value into an audit [`Value`].
pub trait ToValue {
    /// The value as the audit log records it.
    fn to_value(&self) -> Value;
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for u64 {
    fn to_value(&self) -> Value {
        i64::try_from(*self).map_or_else(|_| Value::Text(self.to_string()), Value::Integer)
    }
}

impl ToValue for u8 {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(ToValue::to_value).collect())
    }
}

named_enum! {
    /// The kind of record an audit entry is about.
    pub enum EntityKind("entity.kind") {
        /// A catalogue project (id: its slug).
        Project => "project",
        /// A disclosure request.
        Disclosure => "disclosure",
        /// A request to contribute to an external project.
        Contribution => "contribution",
        /// A lab service in the inventory (id: its slug).
        Service => "service",
        /// An inventory snapshot of a service.
        Snapshot => "snapshot",
        /// A person's account: roles and tokens.
        Account => "account",
    }
}

named_enum! {
    /// What happened to the entity.
    pub enum AuditAction("action") {
        /// The entity was created.
        Create => "create",
        /// Fields were edited by hand (maintainer or curator).
        Update => "update",
        /// Fields were updated from a manifest or an import.
        Sync => "sync",
        /// The entity was removed.
        Delete => "delete",
        /// A workflow moved to another state (the changes hold the state field).
        Transition => "transition",
        /// Roles or tokens of an account changed.
        Grant => "grant",
    }
}

/// One field's change: its name (as in JSON), the old and the new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldChange {
    /// The field's JSON name, e.g. `licence` or `state`.
    pub field: String,
    /// The value before the change ([`Value::Null`] on creation).
    pub old: Value,
    /// The value after the change ([`Value::Null`] on deletion).
    pub new: Value,
}

impl FieldChange {
    /// A change of `field` from `old` to `new`.
    pub fn new(field: impl Into<String>, old: Value, new: Value) -> Self {
        Self {
            field: field.into(),
            old,
            new,
        }
    }
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} → {}", self.field, self.old, self.new)
    }
}

/// One line of the audit log. Entries are only ever appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    /// The id of the actor who made the change (see [`crate::Actor::id`]), or the name of the
    /// automatic job (`sync:ohwr`) for unattended imports.
    pub actor: String,
    /// When the change was made.
    pub at: Timestamp,
    /// The kind of entity changed.
    pub entity_kind: EntityKind,
    /// The entity's id: a slug for projects and services, a number for requests.
    pub entity_id: String,
    /// What happened.
    pub action: AuditAction,
    /// The fields that changed, in a stable order.
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    /// Why, if the actor said (a review comment, a sync's source file).
    #[serde(default)]
    pub comment: String,
}

impl AuditEntry {
    /// The fields named in this entry.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|change| change.field.as_str())
    }

    /// The change to `field`, if this entry records one.
    pub fn change(&self, field: &str) -> Option<&FieldChange> {
        self.changes.iter().find(|change| change.field == field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> AuditEntry {
        AuditEntry {
            actor: "jdoe".into(),
            at: Timestamp::parse("2026-03-31T14:05:00Z").unwrap(),
            entity_kind: EntityKind::Project,
            entity_id: "root".into(),
            action: AuditAction::Update,
            changes: vec![
                FieldChange::new(
                    "licence",
                    Value::Text("LGPL-2.1-or-later".into()),
                    Value::Text("LGPL-2.1-or-later OR MIT".into()),
                ),
                FieldChange::new(
                    "topics",
                    Value::List(vec![]),
                    vec!["data analysis".to_owned()].to_value(),
                ),
                FieldChange::new(
                    "unit",
                    Value::Null,
                    Value::record([("department", Value::Text("EP".into()))]),
                ),
            ],
            comment: String::new(),
        }
    }

    #[test]
    fn values_serialise_as_plain_json() {
        let json = serde_json::to_value(entry()).unwrap();
        assert_eq!(json["entity_kind"], "project");
        assert_eq!(json["action"], "update");
        assert_eq!(
            json["changes"][1]["new"],
            serde_json::json!(["data analysis"])
        );
        assert_eq!(json["changes"][2]["old"], serde_json::Value::Null);
        assert_eq!(json["changes"][2]["new"]["department"], "EP");
        let back: AuditEntry = serde_json::from_value(json).unwrap();
        assert_eq!(back, entry());
    }

    #[test]
    fn changes_read_well_in_logs() {
        let entry = entry();
        assert_eq!(
            entry.fields().collect::<Vec<_>>(),
            ["licence", "topics", "unit"]
        );
        assert_eq!(
            entry.change("unit").unwrap().to_string(),
            "unit: null → {department: \"EP\"}"
        );
        assert_eq!(
            entry.change("topics").unwrap().to_string(),
            "topics: [] → [\"data analysis\"]"
        );
        assert!(entry.change("name").is_none());
    }

    #[test]
    fn emptiness_covers_null_and_empty_containers() {
        assert!(Value::Null.is_empty());
        assert!(Value::Text(String::new()).is_empty());
        assert!(Value::List(vec![]).is_empty());
        assert!(!Value::Bool(false).is_empty());
        assert_eq!(Some(7u8).to_value(), Value::Integer(7));
        assert_eq!(u64::MAX.to_value(), Value::Text(u64::MAX.to_string()));
    }
}
