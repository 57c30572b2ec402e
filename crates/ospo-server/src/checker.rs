//! The in-browser licence checker: its page, and the WebAssembly build of the engine it loads
//! (built by `scripts/wasm.sh`; see the ospo-wasm crate).

use crate::AppState;
use crate::pages::render;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use minijinja::{Environment, context};

/// Adds the checker's templates to the website's.
pub(crate) fn templates(env: &mut Environment<'static>) {
    env.add_template("checker.html", include_str!("../templates/checker.html"))
        .expect("templates compile");
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/licences/check", get(page))
}

async fn page(State(s): State<AppState>) -> Response {
    render(&s, "checker.html", context! {})
}
