//! Every error the bindings raise, mapped in one place to the `ospo` exception hierarchy:
//!
//! ```text
//! OspoError
//! ├── InputError            a bad argument (an unknown use, no inbound licence)
//! │   ├── ExpressionError   an expression that could not be parsed (.expression, .column, .suggestion)
//! │   └── UnknownLicenceError  an id not on the SPDX list (.id, .suggestion)
//! ├── MetadataError         package metadata or a lock file that could not be read
//! └── CatalogueError        the catalogue could not be opened or searched
//! ```

use ospo_licence::LicenceError;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyAnyMethods;

pyo3::create_exception!(
    ospo,
    OspoError,
    PyException,
    "Base class of every error ospo raises: the work could not be done."
);
pyo3::create_exception!(
    ospo,
    InputError,
    OspoError,
    "A bad argument: an unknown use, a missing inbound licence, a bad facet."
);
pyo3::create_exception!(
    ospo,
    ExpressionError,
    InputError,
    "A licence expression that could not be parsed; `.expression`, `.column` (1-based) and \
     `.suggestion` (the closest SPDX id, or None) say where and what."
);
pyo3::create_exception!(
    ospo,
    UnknownLicenceError,
    InputError,
    "A licence id that is not on the SPDX licence list; `.id` and `.suggestion` say which."
);
pyo3::create_exception!(
    ospo,
    MetadataError,
    OspoError,
    "Package metadata or a requirements or lock file that could not be read."
);
pyo3::create_exception!(
    ospo,
    CatalogueError,
    OspoError,
    "The catalogue could not be opened or searched."
);

fn with_attrs(err: PyErr, attrs: &[(&str, Option<String>)], column: Option<usize>) -> PyErr {
    Python::attach(|py| {
        let value = err.value(py);
        for (k, v) in attrs {
            let _ = value.setattr(*k, v.clone());
        }
        if let Some(c) = column {
            let _ = value.setattr("column", c);
        }
    });
    err
}

/// The Python exception for an engine error.
pub fn licence(e: LicenceError) -> PyErr {
    match e {
        LicenceError::Parse(p) => with_attrs(
            ExpressionError::new_err(p.to_string()),
            &[
                ("expression", Some(p.expression.clone())),
                ("suggestion", p.suggestion.clone()),
            ],
            Some(p.column),
        ),
        LicenceError::UnknownLicence { id, suggestion, .. } => {
            let msg = LicenceError::UnknownLicence {
                id: id.clone(),
                version: ospo_licence::spdx_list_version(),
                suggestion: suggestion.clone(),
            }
            .to_string();
            with_attrs(
                UnknownLicenceError::new_err(msg),
                &[("id", Some(id)), ("suggestion", suggestion)],
                None,
            )
        }
        LicenceError::UnknownOutbound(id) => with_attrs(
            UnknownLicenceError::new_err(LicenceError::UnknownOutbound(id.clone()).to_string()),
            &[("id", Some(id)), ("suggestion", None)],
            None,
        ),
        e @ (LicenceError::InvalidUse(_) | LicenceError::NoInbound) => {
            InputError::new_err(e.to_string())
        }
    }
}

/// The Python exception for a catalogue error.
pub fn catalogue(e: ospo_catalogue::CatalogueError) -> PyErr {
    CatalogueError::new_err(e.to_string())
}

/// The Python exception for a bad argument.
pub fn input(message: String) -> PyErr {
    InputError::new_err(message)
}
