//! The notifications outbox: messages written in the same transaction as the change they
//! announce, delivered afterwards (webhook, e-mail) by the server, which records each delivery.

use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue};
use ospo_core::{Action, Actor, Denied, Office, Role, Timestamp};
use serde::Serialize;

type Result<T> = std::result::Result<T, CatalogueError>;

/// Who a message is for: one account, or an office's shared mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// An account, by id (`account:jdoe`).
    Account(String),
    /// The OSPO or Knowledge Transfer (`office:ospo`, `office:kt`).
    Office(Office),
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Account(id) => write!(f, "account:{id}"),
            Self::Office(Office::Ospo) => f.write_str("office:ospo"),
            Self::Office(Office::Kt) => f.write_str("office:kt"),
        }
    }
}

impl std::str::FromStr for Recipient {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.split_once(':') {
            Some(("account", id)) if !id.is_empty() => Ok(Self::Account(id.to_owned())),
            Some(("office", "ospo")) => Ok(Self::Office(Office::Ospo)),
            Some(("office", "kt")) => Ok(Self::Office(Office::Kt)),
            _ => Err(format!(
                "recipient '{s}': expected account:ID, office:ospo or office:kt"
            )),
        }
    }
}

/// One message of the outbox.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Notification {
    /// Its number, in the order written.
    pub id: u64,
    /// When the change it announces was made.
    pub created_at: String,
    /// What happened: `disclosure.created`, `disclosure.transition`, `disclosure.review`,
    /// `contribution.created`, `contribution.advice`.
    pub event: String,
    /// `disclosure` or `contribution`.
    pub entity_kind: String,
    /// The request's number.
    pub entity_id: String,
    /// `account:ID`, `office:ospo` or `office:kt`.
    pub recipient: String,
    /// A one-line subject.
    pub subject: String,
    /// The plain-text message.
    pub body: String,
    /// The same facts as data, for webhooks.
    pub payload: serde_json::Value,
    /// When the webhook accepted it, if it did.
    pub webhook_at: Option<String>,
    /// When the mail server accepted it, if it did.
    pub email_at: Option<String>,
    /// Delivery attempts that failed.
    pub attempts: u32,
    /// The last delivery error.
    pub last_error: Option<String>,
}

/// A message about to be written (inside a change's transaction).
pub(crate) struct Outgoing {
    pub event: &'static str,
    pub entity_kind: &'static str,
    pub entity_id: u64,
    pub recipient: Recipient,
    pub subject: String,
    pub body: String,
    pub payload: serde_json::Value,
}

/// Appends messages to the outbox inside a transaction.
macro_rules! write_outbox {
    ($tx:ident, $at:expr, $messages:expr) => {{
        let at: &ospo_core::Timestamp = $at;
        for m in $messages {
            let m: &crate::workflow::outbox::Outgoing = m;
            sqlx::query(
                "INSERT INTO notifications (created_at, event, entity_kind, entity_id, recipient, subject, body, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(at.to_string())
            .bind(m.event)
            .bind(m.entity_kind)
            .bind(m.entity_id.to_string())
            .bind(m.recipient.to_string())
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.payload.to_string())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use write_outbox;

/// How a message is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// An HTTP POST of the message as JSON.
    Webhook,
    /// An e-mail through the configured mail server.
    Email,
}

const COLUMNS: &str = "id, created_at, event, entity_kind, entity_id, recipient, subject, body, payload, webhook_at, email_at, attempts, last_error";

/// Gives up on a message after this many failed deliveries (it stays in the outbox).
pub const MAX_ATTEMPTS: u32 = 10;

type Columns = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i32,
    Option<String>,
);

fn read_row(row: Columns) -> Result<Notification> {
    let (id, created_at, event, entity_kind, entity_id, recipient, subject, body, payload) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    Ok(Notification {
        id: id as u64,
        created_at,
        event,
        entity_kind,
        entity_id,
        recipient,
        subject,
        body,
        payload: serde_json::from_str(&payload).map_err(|e| CatalogueError::Corrupt {
            slug: format!("notification {id}"),
            message: e.to_string(),
        })?,
        webhook_at: row.9,
        email_at: row.10,
        attempts: row.11 as u32,
        last_error: row.12,
    })
}

impl Catalogue {
    /// The outbox, oldest first: every message, or those about one request
    /// (`entity_kind`, `entity_id`). OSPO members and admins may read it.
    pub async fn outbox(
        &self,
        actor: &Actor,
        entity: Option<(&str, u64)>,
    ) -> Result<Vec<Notification>> {
        if !(actor.has_role(Role::OspoMember) || actor.has_role(Role::Admin)) {
            return Err(CatalogueError::Denied(Denied {
                actor: actor.id.clone(),
                action: Action::Read,
                target: "the notifications outbox".into(),
                reason: "only OSPO members and admins may".into(),
                anonymous: !actor.is_signed_in(),
            }));
        }
        let (kind, id) = entity.unwrap_or(("", 0));
        let sql = if entity.is_some() {
            format!(
                "SELECT {COLUMNS} FROM notifications WHERE entity_kind = $1 AND entity_id = $2 ORDER BY id"
            )
        } else {
            format!("SELECT {COLUMNS} FROM notifications WHERE $1 = $1 AND $2 = $2 ORDER BY id")
        };
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::query_as::<_, Columns>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(kind)
                .bind(id.to_string())
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(read_row)
                .collect(),
            Backend::Postgres(pool) => {
                sqlx::query_as::<_, Columns>(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(kind)
                    .bind(id.to_string())
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(read_row)
                    .collect()
            }
        }
    }

    /// Messages not yet delivered on `channel` (and not given up on), oldest first. For the
    /// server's delivery loop, which runs with the server's own authority.
    pub async fn undelivered(&self, channel: Channel, limit: u32) -> Result<Vec<Notification>> {
        let column = match channel {
            Channel::Webhook => "webhook_at",
            Channel::Email => "email_at",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications WHERE {column} IS NULL AND attempts < $1 ORDER BY id LIMIT $2"
        );
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::query_as::<_, Columns>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(MAX_ATTEMPTS as i32)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(read_row)
                .collect(),
            Backend::Postgres(pool) => {
                sqlx::query_as::<_, Columns>(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(MAX_ATTEMPTS as i32)
                    .bind(i64::from(limit))
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(read_row)
                    .collect()
            }
        }
    }

    /// Records that message `id` was delivered on `channel` at `at`.
    pub async fn delivered(&self, id: u64, channel: Channel, at: &Timestamp) -> Result<()> {
        let sql = match channel {
            Channel::Webhook => "UPDATE notifications SET webhook_at = $1 WHERE id = $2",
            Channel::Email => "UPDATE notifications SET email_at = $1 WHERE id = $2",
        };
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query(sql)
                    .bind(at.to_string())
                    .bind(id as i64)
                    .execute(pool)
                    .await?;
            }
            Backend::Postgres(pool) => {
                sqlx::query(sql)
                    .bind(at.to_string())
                    .bind(id as i64)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Records a failed delivery of message `id` (the error must hold no secret).
    pub async fn delivery_failed(&self, id: u64, error: &str) -> Result<()> {
        let sql = "UPDATE notifications SET attempts = attempts + 1, last_error = $1 WHERE id = $2";
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query(sql)
                    .bind(error)
                    .bind(id as i64)
                    .execute(pool)
                    .await?;
            }
            Backend::Postgres(pool) => {
                sqlx::query(sql)
                    .bind(error)
                    .bind(id as i64)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }
}
