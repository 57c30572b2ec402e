//! Delivery of the notifications outbox: each message is POSTed as JSON to a webhook and, when
//! a mail relay is configured, sent by e-mail. Deliveries are recorded in the outbox; a failed
//! one is retried with a growing pause, at most `MAX_ATTEMPTS` times. Webhook URLs and
//! passwords are secrets: they are never logged or stored with an error.

use ospo_catalogue::{Catalogue, Channel, Notification, now};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// Where notifications go.
#[derive(Clone, Default)]
pub struct NotifyConfig {
    /// A URL that receives each message as a JSON POST (a secret: chat webhooks embed tokens).
    pub webhook_url: Option<String>,
    /// Sent as `Authorization: Bearer <secret>` to the webhook, if set.
    pub webhook_secret: Option<String>,
    /// E-mail through a mail relay, if set.
    pub smtp: Option<SmtpConfig>,
}

impl std::fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyConfig")
            .field("webhook_url", &self.webhook_url.as_ref().map(|_| "***"))
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "***"),
            )
            .field("smtp", &self.smtp)
            .finish()
    }
}

/// A mail relay (plain SMTP, as a local Postfix or an internal relay speaks it) and the
/// addresses messages go to.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The relay's host name.
    pub host: String,
    /// Its port (25 by default).
    pub port: u16,
    /// The sender address, e.g. `ospo-noreply@example.org`.
    pub from: String,
    /// Accounts get mail at `ACCOUNT@DOMAIN` (single sign-on logins are mailbox names).
    pub domain: String,
    /// The OSPO's shared mailbox.
    pub ospo: String,
    /// Knowledge Transfer's shared mailbox.
    pub kt: String,
    /// `AUTH PLAIN` credentials; only accepted for a relay on this machine, since plain SMTP
    /// would send them unencrypted over the network.
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("domain", &self.domain)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|(u, _)| (u, "***")),
            )
            .finish()
    }
}

impl SmtpConfig {
    /// Reads `smtp://HOST[:PORT]` with the addresses; refuses credentials for a remote host.
    pub fn from_url(
        url: &str,
        from: String,
        domain: String,
        ospo: String,
        kt: String,
        credentials: Option<(String, String)>,
    ) -> Result<SmtpConfig, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| format!("--smtp-url '{url}': expected smtp://HOST[:PORT]"))?;
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') {
            return Err(
                "--smtp-url must not hold credentials: set OSPO_SMTP_USER and OSPO_SMTP_PASSWORD"
                    .into(),
            );
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (
                h.to_owned(),
                p.parse::<u16>()
                    .map_err(|_| format!("--smtp-url: port '{p}' is not a number"))?,
            ),
            None => (rest.to_owned(), 25),
        };
        if host.is_empty() {
            return Err(format!("--smtp-url '{url}': no host"));
        }
        let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
        if credentials.is_some() && !local {
            return Err(format!(
                "SMTP credentials are only sent to a relay on this machine (plain SMTP is unencrypted); relay through localhost instead of {host}"
            ));
        }
        for (flag, address) in [
            ("--smtp-from", &from),
            ("--mail-ospo", &ospo),
            ("--mail-kt", &kt),
        ] {
            if !address.contains('@') || address.contains(['\r', '\n', '<', '>']) {
                return Err(format!("{flag} '{address}': expected an e-mail address"));
            }
        }
        if domain.is_empty() || domain.contains(['@', '\r', '\n', ' ']) {
            return Err(format!(
                "--mail-domain '{domain}': expected a domain such as example.org"
            ));
        }
        Ok(SmtpConfig {
            host,
            port,
            from,
            domain,
            ospo,
            kt,
            credentials,
        })
    }

    /// The address a recipient (`account:ID`, `office:ospo`, `office:kt`) gets mail at.
    pub fn address(&self, recipient: &str) -> Option<String> {
        match recipient.split_once(':') {
            Some(("office", "ospo")) => Some(self.ospo.clone()),
            Some(("office", "kt")) => Some(self.kt.clone()),
            Some(("account", id))
                if !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c)) =>
            {
                Some(format!("{id}@{}", self.domain))
            }
            _ => None,
        }
    }

    /// Sends one message through the relay (blocking).
    pub fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let addr = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| format!("mail relay {}: {e}", self.host))?
            .next()
            .ok_or_else(|| format!("mail relay {}: no address", self.host))?;
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
            .map_err(|e| format!("mail relay {}:{}: {e}", self.host, self.port))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        let mut w = stream;
        let expect = |code: &str, reader: &mut BufReader<TcpStream>| -> Result<String, String> {
            let mut all = String::new();
            loop {
                let mut line = String::new();
                reader
                    .read_line(&mut line)
                    .map_err(|e| format!("mail relay: {e}"))?;
                if line.is_empty() {
                    return Err("mail relay closed the connection".into());
                }
                all.push_str(&line);
                if line.len() < 4 || line.as_bytes()[3] != b'-' {
                    break;
                }
            }
            if all.starts_with(code) {
                Ok(all)
            } else {
                Err(format!(
                    "mail relay answered: {}",
                    all.lines().last().unwrap_or("").trim()
                ))
            }
        };
        let say = |w: &mut TcpStream, line: &str| -> Result<(), String> {
            w.write_all(line.as_bytes())
                .and_then(|()| w.write_all(b"\r\n"))
                .map_err(|e| format!("mail relay: {e}"))
        };
        expect("220", &mut reader)?;
        say(&mut w, "EHLO ospo")?;
        expect("250", &mut reader)?;
        if let Some((user, password)) = &self.credentials {
            use base64::Engine as _;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
            say(&mut w, &format!("AUTH PLAIN {token}"))?;
            expect("235", &mut reader)?;
        }
        say(&mut w, &format!("MAIL FROM:<{}>", self.from))?;
        expect("250", &mut reader)?;
        say(&mut w, &format!("RCPT TO:<{to}>"))?;
        expect("25", &mut reader)?;
        say(&mut w, "DATA")?;
        expect("354", &mut reader)?;
        let subject: String = subject.chars().filter(|c| !c.is_control()).collect();
        let mut data = format!(
            "From: {}\r\nTo: {to}\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
            self.from,
            encode_header(&subject)
        );
        for line in body.lines() {
            // RFC 5321 §4.5.2: a line starting with a dot gets another.
            if line.starts_with('.') {
                data.push('.');
            }
            data.push_str(line);
            data.push_str("\r\n");
        }
        data.push_str(".\r\n");
        w.write_all(data.as_bytes())
            .map_err(|e| format!("mail relay: {e}"))?;
        expect("250", &mut reader)?;
        let _ = say(&mut w, "QUIT");
        Ok(())
    }
}

/// A header value as RFC 2047 UTF-8 base64 when it is not plain ASCII.
fn encode_header(text: &str) -> String {
    if text.is_ascii() {
        text.to_owned()
    } else {
        use base64::Engine as _;
        format!(
            "=?UTF-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(text)
        )
    }
}

fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// POSTs one message to the webhook (blocking). Errors never include the URL.
fn post(url: &str, secret: Option<&str>, n: &Notification) -> Result<(), String> {
    let body = serde_json::to_string(n).map_err(|e| e.to_string())?;
    let mut req = http()
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Ospo-Event", &n.event);
    if let Some(s) = secret {
        req = req.header("Authorization", &format!("Bearer {s}"));
    }
    match req.send(body) {
        Ok(resp) if resp.status().is_success() => Ok(()),
        Ok(resp) => Err(format!("the webhook answered {}", resp.status())),
        Err(ureq::Error::Timeout(_)) => Err("the webhook did not answer in time".into()),
        Err(ureq::Error::Io(e)) => Err(format!("the webhook could not be reached: {}", e.kind())),
        Err(_) => Err("the webhook could not be reached".into()),
    }
}

fn log(event: &str, id: u64, error: &str) {
    let line = serde_json::json!({ "at": now().to_string(), "notification": id, "event": event, "error": error });
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Delivers one round of the outbox; true when every attempt succeeded.
async fn round(cat: &Catalogue, cfg: &Arc<NotifyConfig>) -> bool {
    let mut clean = true;
    for channel in [Channel::Webhook, Channel::Email] {
        let configured = match channel {
            Channel::Webhook => cfg.webhook_url.is_some(),
            Channel::Email => cfg.smtp.is_some(),
        };
        if !configured {
            continue;
        }
        let Ok(pending) = cat.undelivered(channel, 50).await else {
            return false;
        };
        for n in pending {
            let c = cfg.clone();
            let id = n.id;
            let sent = tokio::task::spawn_blocking(move || match channel {
                Channel::Webhook => post(
                    c.webhook_url.as_deref().unwrap_or_default(),
                    c.webhook_secret.as_deref(),
                    &n,
                ),
                Channel::Email => {
                    let smtp = c.smtp.as_ref().expect("configured");
                    match smtp.address(&n.recipient) {
                        Some(to) => smtp.send(&to, &n.subject, &n.body),
                        None => Err(format!("no e-mail address for {}", n.recipient)),
                    }
                }
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            let recorded = match sent {
                Ok(()) => cat.delivered(id, channel, &now()).await,
                Err(e) => {
                    clean = false;
                    log(
                        match channel {
                            Channel::Webhook => "webhook-failed",
                            Channel::Email => "email-failed",
                        },
                        id,
                        &e,
                    );
                    cat.delivery_failed(id, &e).await
                }
            };
            if recorded.is_err() {
                return false;
            }
        }
    }
    clean
}

/// Starts delivering the outbox in the background, if anything is configured.
pub(crate) fn spawn(cat: Arc<Catalogue>, cfg: NotifyConfig) {
    if cfg.webhook_url.is_none() && cfg.smtp.is_none() {
        return;
    }
    let cfg = Arc::new(cfg);
    tokio::spawn(async move {
        let mut pause = Duration::from_secs(1);
        loop {
            if round(&cat, &cfg).await {
                pause = Duration::from_secs(1);
            } else {
                pause = (pause * 2).min(Duration::from_secs(300));
            }
            tokio::time::sleep(pause).await;
        }
    });
}
