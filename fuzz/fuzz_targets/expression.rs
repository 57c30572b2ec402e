//! Fuzzes licence expression parsing (strict and lenient) and the engine on what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospo_licence::{Engine, Expression, Mode, Use};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for mode in [Mode::Strict, Mode::Lenient] {
        match Expression::parse_with(text, mode) {
            Ok((expr, _)) => {
                // What parses must print back to an expression that parses to the same thing.
                let printed = expr.to_string();
                let again = Expression::parse(&printed).expect("printed expressions parse");
                assert_eq!(again, expr);
                let engine = Engine::new();
                if let Some(out) = expr.terms().first() {
                    let _ = engine.report(vec![expr.clone()], Expression::Term((*out).clone()), Use::DynamicLink, vec![]);
                }
            }
            Err(err) => {
                assert!(err.offset <= text.len() && err.end <= text.len());
                let _ = err.to_string();
            }
        }
    }
});
