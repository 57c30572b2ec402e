//! Accounts and API tokens: who may write, as which roles. Tokens are shown once when issued
//! and stored only as SHA-256 hashes; a leaked database does not leak working tokens.

use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue};
use ospo_core::{
    Action, Actor, AuditAction, AuditEntry, EntityKind, FieldChange, Role, Slug, Target, Timestamp,
    Value, may,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

type Result<T> = std::result::Result<T, CatalogueError>;

/// Runs the same code against whichever pool the catalogue has.
macro_rules! on_pool {
    ($cat:expr, $pool:ident => $body:expr) => {
        match &$cat.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// An account: a person or a job, with roles and the projects it maintains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The account id (single sign-on subject or a chosen name).
    pub id: String,
    /// The display name.
    pub name: String,
    /// Roles granted.
    pub roles: BTreeSet<Role>,
    /// Projects maintained.
    pub maintains: BTreeSet<Slug>,
}

impl Account {
    /// The actor this account acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id.clone(),
            name: self.name.clone(),
            roles: self.roles.clone(),
            maintains: self.maintains.clone(),
        }
    }
}

/// A token as issued: the secret is shown this once.
#[derive(Clone, Debug, Serialize)]
pub struct IssuedToken {
    /// The account it acts as.
    pub account: String,
    /// What it is for.
    pub label: String,
    /// The secret, `ospo_` and 64 hexadecimal digits.
    pub token: String,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_secret() -> std::result::Result<String, CatalogueError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| CatalogueError::Corrupt {
        slug: "token".into(),
        message: format!("no randomness from the operating system: {e}"),
    })?;
    Ok(format!(
        "ospo_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

fn names<T: ToString>(set: &BTreeSet<T>) -> String {
    serde_json::to_string(&set.iter().map(ToString::to_string).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

fn parse_account(id: String, name: String, roles: &str, maintains: &str) -> Result<Account> {
    let corrupt = |m: String| CatalogueError::Corrupt {
        slug: format!("account {id}"),
        message: m,
    };
    let roles: Vec<String> = serde_json::from_str(roles).map_err(|e| corrupt(e.to_string()))?;
    let maintains: Vec<String> =
        serde_json::from_str(maintains).map_err(|e| corrupt(e.to_string()))?;
    Ok(Account {
        roles: roles
            .iter()
            .map(|r| r.parse::<Role>().map_err(|e| corrupt(e.to_string())))
            .collect::<Result<_>>()?,
        maintains: maintains
            .iter()
            .map(|s| Slug::parse(s).map_err(|e| corrupt(e.to_string())))
            .collect::<Result<_>>()?,
        id,
        name,
    })
}

impl Catalogue {
    /// Creates or replaces an account; only admins may (roles and maintainers are access).
    pub async fn put_account(
        &self,
        admin: &Actor,
        account: &Account,
        at: &Timestamp,
    ) -> Result<()> {
        may(admin, Action::ManageRoles, &Target::Accounts)?;
        let entry = AuditEntry {
            actor: admin.id.clone(),
            at: at.clone(),
            entity_kind: EntityKind::Account,
            entity_id: account.id.clone(),
            action: AuditAction::Grant,
            changes: vec![
                FieldChange::new("roles", Value::Null, Value::Text(names(&account.roles))),
                FieldChange::new(
                    "maintains",
                    Value::Null,
                    Value::Text(names(&account.maintains)),
                ),
            ],
            comment: String::new(),
        };
        let entry_json = serde_json::to_string(&entry).unwrap_or_default();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO accounts (id, name, roles, maintains, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (id) DO UPDATE SET name = $2, roles = $3, maintains = $4, updated_at = $5",
            )
            .bind(&account.id)
            .bind(&account.name)
            .bind(names(&account.roles))
            .bind(names(&account.maintains))
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO audit_log (at, actor, entity_kind, entity_id, action, entry) VALUES ($1, $2, 'account', $3, 'grant', $4)")
                .bind(at.to_string())
                .bind(&admin.id)
                .bind(&account.id)
                .bind(entry_json)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// An account by id.
    pub async fn account(&self, id: &str) -> Result<Option<Account>> {
        let row: Option<(String, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, name, roles, maintains FROM accounts WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        row.map(|(id, name, roles, maintains)| parse_account(id, name, &roles, &maintains))
            .transpose()
    }

    /// Issues a new API token for an account; the secret is returned once and only its hash
    /// is kept.
    pub async fn issue_token(
        &self,
        admin: &Actor,
        account: &str,
        label: &str,
        at: &Timestamp,
    ) -> Result<IssuedToken> {
        may(admin, Action::ManageTokens, &Target::Accounts)?;
        if self.account(account).await?.is_none() {
            return Err(CatalogueError::NotFound(format!("account {account}")));
        }
        let token = new_secret()?;
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO api_tokens (hash, account, label, created_at) VALUES ($1, $2, $3, $4)")
                .bind(hash(&token))
                .bind(account)
                .bind(label)
                .bind(at.to_string())
                .execute(pool)
                .await?;
        });
        Ok(IssuedToken {
            account: account.to_owned(),
            label: label.to_owned(),
            token,
        })
    }

    /// Revokes every token of an account with this label; returns how many.
    pub async fn revoke_tokens(
        &self,
        admin: &Actor,
        account: &str,
        label: &str,
        at: &Timestamp,
    ) -> Result<u64> {
        may(admin, Action::ManageTokens, &Target::Accounts)?;
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE account = $2 AND label = $3 AND revoked_at IS NULL")
                .bind(at.to_string())
                .bind(account)
                .bind(label)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done)
    }

    /// The actor a bearer token stands for; `None` for unknown or revoked tokens.
    pub async fn actor_for_token(&self, token: &str) -> Result<Option<Actor>> {
        if !token.starts_with("ospo_") || token.len() != 69 {
            return Ok(None);
        }
        let row: Option<(String, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.name, a.roles, a.maintains FROM api_tokens t JOIN accounts a ON a.id = t.account \
                 WHERE t.hash = $1 AND t.revoked_at IS NULL",
            )
            .bind(hash(token))
            .fetch_optional(pool)
            .await?
        });
        Ok(row
            .map(|(id, name, roles, maintains)| parse_account(id, name, &roles, &maintains))
            .transpose()?
            .map(|a| a.actor()))
    }
}

/// How long a browser session lasts after sign-in.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A browser session as opened: the cookie secret is shown this once.
#[derive(Clone, Debug)]
pub struct OpenedSession {
    /// The cookie value, `ospos_` and 64 hexadecimal digits.
    pub secret: String,
    /// When it ends.
    pub expires_at: Timestamp,
}

/// A live session: who it is, and the token its forms must carry.
#[derive(Clone, Debug)]
pub struct Session {
    /// The signed-in actor, with the account's current roles.
    pub actor: Actor,
    /// The CSRF token the website's forms carry for this session.
    pub csrf: String,
    /// How the person signed in: `sso` or `token`.
    pub via: String,
}

impl Catalogue {
    /// Opens a browser session for an existing account (after single sign-on, or after the
    /// person proved a valid API token). `via` says which.
    pub async fn open_session(
        &self,
        account: &str,
        via: &str,
        at: &Timestamp,
    ) -> Result<OpenedSession> {
        if self.account(account).await?.is_none() {
            return Err(CatalogueError::NotFound(format!("account {account}")));
        }
        let secret = new_secret()?.replacen("ospo_", "ospos_", 1);
        let csrf = new_secret()?.replacen("ospo_", "", 1);
        let expires = at.unix_seconds() + SESSION_SECONDS;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Expired sessions of everyone go when someone signs in: the table stays small.
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(at.unix_seconds())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO sessions (hash, account, csrf, via, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(hash(&secret))
                .bind(account)
                .bind(&csrf)
                .bind(via)
                .bind(at.to_string())
                .bind(expires)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(OpenedSession {
            secret,
            expires_at: Timestamp::from_unix_seconds(expires),
        })
    }

    /// The live session a cookie secret stands for; `None` when unknown, closed or expired.
    pub async fn session(&self, secret: &str, at: &Timestamp) -> Result<Option<Session>> {
        if !secret.starts_with("ospos_") || secret.len() != 70 {
            return Ok(None);
        }
        let row: Option<(String, String, String, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.name, a.roles, a.maintains, s.csrf, s.via FROM sessions s JOIN accounts a ON a.id = s.account \
                 WHERE s.hash = $1 AND s.expires_at > $2",
            )
            .bind(hash(secret))
            .bind(at.unix_seconds())
            .fetch_optional(pool)
            .await?
        });
        row.map(|(id, name, roles, maintains, csrf, via)| {
            Ok(Session {
                actor: parse_account(id, name, &roles, &maintains)?.actor(),
                csrf,
                via,
            })
        })
        .transpose()
    }

    /// Ends a session (sign-out); ending an unknown one is not an error.
    pub async fn close_session(&self, secret: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE hash = $1")
                .bind(hash(secret))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The account id a valid API token belongs to (for the website's token login).
    pub async fn account_for_token(&self, token: &str) -> Result<Option<String>> {
        Ok(self.actor_for_token(token).await?.map(|a| a.id))
    }
}
