//! The one place errors become JavaScript: every failure is an `Error` whose `name` says what
//! kind it is, with the details a page needs to point at the problem.

use ospo_licence::LicenceError;
use wasm_bindgen::JsValue;

/// What every exported function returns: a JavaScript `Error` on failure.
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// An `Error` named `name` with `message` and extra string or number properties.
fn error(name: &str, message: &str, props: &[(&str, JsValue)]) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    for (key, value) in props {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&e, &JsValue::from_str(key), value);
    }
    e.into()
}

/// The engine could not do the work: a bad expression, an unknown licence, a bad use.
pub(crate) fn licence_error(e: &LicenceError) -> JsValue {
    let message = e.to_string();
    match e {
        LicenceError::Parse(p) => {
            let mut props = vec![
                ("column", JsValue::from(p.column as u32)),
                ("expression", JsValue::from_str(&p.expression)),
            ];
            if let Some(s) = &p.suggestion {
                props.push(("suggestion", JsValue::from_str(s)));
            }
            error("ParseError", &message, &props)
        }
        LicenceError::UnknownLicence { suggestion, .. } => {
            let props: Vec<_> = suggestion
                .iter()
                .map(|s| ("suggestion", JsValue::from_str(s)))
                .collect();
            error("UnknownLicence", &message, &props)
        }
        LicenceError::UnknownOutbound(_)
        | LicenceError::InvalidUse(_)
        | LicenceError::NoInbound => error("RequestError", &message, &[]),
    }
}

/// A request object that does not have the documented shape.
pub(crate) fn request_error(message: &str) -> JsValue {
    error("RequestError", message, &[])
}

/// Makes a Rust panic throw a JavaScript `Error` carrying the panic message, so the caller's
/// `catch` sees what went wrong. The module's memory may be inconsistent afterwards: a page
/// should load a fresh instance after such an error.
#[cfg(feature = "panic-hook")]
pub(crate) fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            wasm_bindgen::throw_val(error(
                "InternalError",
                &format!("the licence engine failed: {info}"),
                &[],
            ))
        }));
    });
}
