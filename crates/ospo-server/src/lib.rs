//! The ospo server: the OSPO's website and JSON API over the catalogue and the licence engine
//! (axum). It maps HTTP to the core crates and holds no state of its own beyond caches, so
//! several instances can share one PostgreSQL database.

mod api;
mod auth;
mod checker;
mod edit;
mod error;
mod inventory;
mod notify;
mod openapi;
mod pages;
mod reports;
mod workflow;
mod workflow_pages;

use axum::Router;
use ospo_catalogue::{Catalogue, seed};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use auth::{AuthConfig, OidcConfig};
pub use error::ServerError;
pub use notify::{NotifyConfig, SmtpConfig};

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    catalogue: Arc<Catalogue>,
    templates: Arc<minijinja::Environment<'static>>,
    auth: Arc<AuthConfig>,
    oidc_endpoints: Arc<tokio::sync::OnceCell<auth::Endpoints>>,
}

/// Largest request body accepted (JSON API).
pub const BODY_LIMIT: usize = 256 * 1024;

/// How long a request may take before it is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

impl AppState {
    /// State over an opened catalogue.
    pub fn new(catalogue: Catalogue, auth: AuthConfig) -> AppState {
        AppState {
            catalogue: Arc::new(catalogue),
            templates: Arc::new(pages::templates()),
            auth: Arc::new(auth),
            oidc_endpoints: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// Cookies are marked `Secure` when people reach the server over https.
    fn secure_cookies(&self) -> bool {
        self.auth
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// The whole application: API under `/api`, website elsewhere.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(checker::routes())
        .merge(auth::routes())
        .merge(edit::routes())
        .merge(workflow::routes())
        .merge(workflow_pages::routes())
        .merge(reports::routes())
        // The general body limit covers the routes above; SBOM uploads have their own.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(
            inventory::routes().layer(tower_http::limit::RequestBodyLimitLayer::new(
                inventory::UPLOAD_LIMIT,
            )),
        )
        .fallback(pages::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        ))
        .layer(axum::middleware::from_fn(log_request))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Opens the catalogue, seeds it when empty, binds `listen` and returns the bound address
/// and a future that serves until Ctrl-C.
pub async fn start(
    database: &str,
    listen: SocketAddr,
    auth: AuthConfig,
    now: &ospo_core::Timestamp,
) -> Result<
    (
        SocketAddr,
        impl Future<Output = std::io::Result<()>> + use<>,
    ),
    ServerError,
> {
    start_with(database, listen, auth, NotifyConfig::default(), now).await
}

/// As [`start`], delivering the workflow's notifications as `notify` says.
pub async fn start_with(
    database: &str,
    listen: SocketAddr,
    auth: AuthConfig,
    notify: NotifyConfig,
    now: &ospo_core::Timestamp,
) -> Result<
    (
        SocketAddr,
        impl Future<Output = std::io::Result<()>> + use<>,
    ),
    ServerError,
> {
    let catalogue = Catalogue::open(database).await?;
    seed::seed_if_empty(&catalogue, now).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(ServerError::Bind)?;
    let addr = listener.local_addr().map_err(ServerError::Bind)?;
    let state = AppState::new(catalogue, auth);
    notify::spawn(state.catalogue.clone(), notify);
    let app = router(state);
    let serve = async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    };
    Ok((addr, serve))
}

/// One JSON line per request on stderr: time, method, path, status, duration. Headers (and so
/// tokens) and bodies are never logged; the query string is, without any `token` parameter.
async fn log_request(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use std::io::Write;
    let start = std::time::Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query: Vec<String> = req
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.to_ascii_lowercase().starts_with("token="))
        .map(str::to_owned)
        .collect();
    let response = next.run(req).await;
    let line = serde_json::json!({
        "at": ospo_catalogue::now().to_string(),
        "method": method,
        "path": path,
        "query": query.join("&"),
        "status": response.status().as_u16(),
        "ms": (start.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
    });
    // One write per line: stderr is unbuffered, and formatting straight into it would make a
    // system call per fragment.
    let mut text = line.to_string();
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    response
}
