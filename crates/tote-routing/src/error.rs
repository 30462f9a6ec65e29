//! The one error type of the crate: bad input, named by the field or row at fault.

/// Bad input: a layout, pick or order the routing model cannot place, or a
/// malformed file. The Display text is the complete message for the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("{file}: not valid JSON for this file: {message}")]
    Json { file: &'static str, message: String },
    #[error("layout `{field}`: {problem}")]
    Layout {
        field: &'static str,
        problem: String,
    },
    #[error("pick {index}, `{field}`: {problem}")]
    Pick {
        index: usize,
        field: &'static str,
        problem: String,
    },
    #[error("order {order} (row {row}), pick {index}, `{field}`: {problem}")]
    OrderPick {
        row: usize,
        order: String,
        index: usize,
        field: &'static str,
        problem: String,
    },
    #[error("order {order} (row {row}): {problem}")]
    Order {
        row: usize,
        order: String,
        problem: String,
    },
    #[error(
        "unknown routing method `{0}` (expected one of: optimal, s-shape, return, midpoint, largest-gap, combined)"
    )]
    UnknownMethod(String),
    #[error("capacity: must be at least 1 order per batch, got {0}")]
    Capacity(usize),
    #[error("{file}: {count} entries is more than the {max} one file may hold")]
    TooMany {
        file: &'static str,
        count: usize,
        max: usize,
    },
}
