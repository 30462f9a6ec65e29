//! Named bounds on everything a request can make grow.

/// The most units of one SKU in one line, receipt or adjustment.
pub const LINE_QTY_MAX: i64 = 1_000_000_000;
/// The most lines in one order, receipt or adjustment.
pub const REQUEST_LINES_MAX: usize = 1_000;
/// The longest code (SKU, node, location, channel, external id).
pub const CODE_LEN_MAX: usize = 64;
/// The longest free text (names, address lines, reasons).
pub const TEXT_LEN_MAX: usize = 256;
/// The largest dimension of a SKU, in millimetres (20 m).
pub const DIM_MM_MAX: u32 = 20_000;
/// The heaviest SKU, in grams (10 t).
pub const WEIGHT_G_MAX: u32 = 10_000_000;
/// The largest money amount accepted on input.
pub const MONEY_MAX: i64 = 1_000_000_000;

const _: () = assert!(REQUEST_LINES_MAX as i64 * LINE_QTY_MAX < i64::MAX / 4);
