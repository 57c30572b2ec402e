//! The shape shared by every validated string type of the crate.

/// Declares a string newtype whose only constructor is its `parse` function.
///
/// The type gets `as_str`, `Display`, `AsRef<str>`, `FromStr`, `TryFrom<String>`,
/// `TryFrom<&str>`, `From<T> for String`, comparisons with `str`, and serde support that
/// validates on deserialisation (`try_from = "String"`). The caller writes
/// `fn parse(text: &str) -> Result<Self, ValidationError>` in an `impl` block.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "minLength": 1 })
            }
        }

        impl $name {
            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::error::ValidationError;
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                Self::parse(text)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl $crate::audit::ToValue for $name {
            fn to_value(&self) -> $crate::audit::Value {
                $crate::audit::Value::Text(self.0.clone())
            }
        }
    };
}

/// Declares a field-less enum whose every variant has one name, used by serde, `as_str`,
/// `Display` and `FromStr` alike, so they cannot disagree. The literal after the enum's name is
/// the field named in parse errors. Derives `Debug, Clone, Copy, PartialEq, Eq, Hash,
/// PartialOrd, Ord, Serialize, Deserialize`; more derives can be given as attributes.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident($label:literal) {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in JSON, URLs and messages.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::error::ValidationError::NotOneOf {
                        field: $label.to_owned(),
                        value: text.to_owned(),
                        allowed: $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    }),
                }
            }
        }

        impl $crate::audit::ToValue for $name {
            fn to_value(&self) -> $crate::audit::Value {
                $crate::audit::Value::Text(self.as_str().to_owned())
            }
        }
    };
}
