//! The typed model: cartons, item lines, units and the packing result, in the
//! JSON shapes the CLI reads and prints.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Carton id used for a unit flagged `ships_alone`: it leaves in its own
/// packaging ("ships in own container"), so no carton is spent on it.
pub const OWN_CONTAINER_ID: &str = "SIOC";

/// Units in one order the packer accepts; larger orders are split upstream.
pub const ORDER_UNITS_MAX: usize = 1_000;

/// Longest side of a carton or item the CLI accepts (20 m): coordinates add
/// sides in u32 millimetres, far from overflow at this bound.
pub const SIDE_MM_MAX: u32 = 20_000;

/// Carton types one call may offer (the study keeps subsets in a u64 mask).
pub const CARTON_TYPES_MAX: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CartonId(pub String);

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sku(pub String);

/// A carton type. `max_weight_g` bounds the gross weight (carton included).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carton {
    pub id: CartonId,
    pub inner_mm: [u32; 3],
    pub outer_mm: [u32; 3],
    pub empty_weight_g: u32,
    pub max_weight_g: u32,
    #[serde(default)]
    pub cost: Decimal,
}

impl Carton {
    pub fn inner_volume_mm3(&self) -> u64 {
        volume_mm3(self.inner_mm)
    }
    pub fn outer_volume_mm3(&self) -> u64 {
        volume_mm3(self.outer_mm)
    }
    /// Item weight this carton can still take when empty.
    pub fn payload_max_g(&self) -> u64 {
        u64::from(self.max_weight_g).saturating_sub(u64::from(self.empty_weight_g))
    }
}

/// One line of ITEMS.json: `qty` units of one SKU. `dims_mm` are given upright
/// (the third is the height); `keep_flat` allows turning about the vertical axis only.
/// Unknown fields are refused, so a misspelt flag is not silently ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemLine {
    pub sku: Sku,
    pub dims_mm: [u32; 3],
    pub weight_g: u32,
    pub qty: u32,
    #[serde(default)]
    pub keep_flat: bool,
    #[serde(default)]
    pub ships_alone: bool,
}

/// One physical unit: what the packer places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Index of its line in the order.
    pub line: usize,
    pub dims_mm: [u32; 3],
    pub weight_g: u32,
    pub keep_flat: bool,
    pub ships_alone: bool,
}

impl Unit {
    pub fn volume_mm3(&self) -> u64 {
        volume_mm3(self.dims_mm)
    }
}

pub fn volume_mm3(d: [u32; 3]) -> u64 {
    u64::from(d[0]) * u64::from(d[1]) * u64::from(d[2])
}

/// Expands lines into units, in line order.
pub fn units_of(lines: &[ItemLine]) -> Vec<Unit> {
    let mut units = Vec::new();
    for (line, l) in lines.iter().enumerate() {
        for _ in 0..l.qty {
            units.push(Unit {
                line,
                dims_mm: l.dims_mm,
                weight_g: l.weight_g,
                keep_flat: l.keep_flat,
                ships_alone: l.ships_alone,
            });
        }
    }
    units
}

/// Where one unit sits: minimum corner inside the carton's inner space and its
/// extents along x, y, z as packed (z vertical).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub sku: Sku,
    pub position_mm: [u32; 3],
    pub dims_mm: [u32; 3],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackedCarton {
    pub carton: CartonId,
    pub items: Vec<Placement>,
    pub item_weight_g: u64,
    pub gross_weight_g: u64,
    /// Item volume over inner volume.
    pub utilization: f64,
    pub billable_weight_g: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unpacked {
    pub sku: Sku,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackResult {
    pub cartons: Vec<PackedCarton>,
    pub unpacked: Vec<Unpacked>,
}
