//! A node's layout: how its locations sit on tote-routing's block warehouse.
//!
//! A location's `aisle` (1-based, as printed on the rack) is routing aisle
//! `aisle - 1`; its `bay` (1-based, counted from the front cross aisle) sits at
//! y = (bay - 0.5) x `bay_length_m`, the middle of the bay face. A location without
//! aisle or bay, or outside the layout, has no place: pick lists put such stops
//! last, in location-code order, and say so.

use serde::{Deserialize, Serialize};
use tote_routing::{Layout, Pick};

/// A node's layout configuration, as stored and sent over the API.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeLayout {
    pub aisles: usize,
    pub aisle_length_m: f64,
    pub aisle_spacing_m: f64,
    /// Front and back included: at least 2.
    pub cross_aisles: usize,
    /// Where the depot (the pack station, where trips start and end) sits on the
    /// front cross aisle.
    pub depot_x_m: f64,
    /// The length of one bay along its aisle.
    pub bay_length_m: f64,
    /// Units one storage location holds at most (all SKUs together); put-away
    /// suggests no location that would overflow. None: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_capacity_units: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{field}`: {problem}")]
pub struct LayoutError {
    pub field: String,
    pub problem: String,
}

impl NodeLayout {
    /// Checks every field, naming the one at fault.
    pub fn routing_layout(&self) -> Result<Layout, LayoutError> {
        if !(self.bay_length_m.is_finite() && self.bay_length_m > 0.0) {
            return Err(LayoutError {
                field: "bay_length_m".into(),
                problem: format!("must be a positive length, got {}", self.bay_length_m),
            });
        }
        Layout::new(
            self.aisles,
            self.aisle_length_m,
            self.aisle_spacing_m,
            self.cross_aisles,
            self.depot_x_m,
        )
        .map_err(|e| match e {
            tote_routing::InputError::Layout { field, problem } => LayoutError {
                field: field.to_string(),
                problem,
            },
            other => LayoutError {
                field: "layout".into(),
                problem: other.to_string(),
            },
        })
    }

    /// Where a picker stands to pick from a location, if it has a place.
    pub fn place(&self, aisle: Option<u32>, bay: Option<u32>) -> Option<Pick> {
        let (aisle, bay) = (aisle?, bay?);
        if aisle == 0 || bay == 0 || aisle as usize > self.aisles {
            return None;
        }
        let y_m = (f64::from(bay) - 0.5) * self.bay_length_m;
        (y_m <= self.aisle_length_m).then(|| Pick::new(aisle as usize - 1, y_m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> NodeLayout {
        NodeLayout {
            aisles: 4,
            aisle_length_m: 20.0,
            aisle_spacing_m: 3.0,
            cross_aisles: 2,
            depot_x_m: 0.0,
            bay_length_m: 2.0,
            location_capacity_units: None,
        }
    }

    #[test]
    fn bay_sits_at_the_middle_of_its_face() {
        assert_eq!(layout().place(Some(2), Some(3)), Some(Pick::new(1, 5.0)));
    }

    #[test]
    fn locations_outside_the_layout_have_no_place() {
        let l = layout();
        assert_eq!(l.place(Some(5), Some(1)), None);
        assert_eq!(l.place(Some(0), Some(1)), None);
        assert_eq!(l.place(Some(1), Some(11)), None);
        assert_eq!(l.place(None, Some(1)), None);
    }

    #[test]
    fn bad_layout_names_the_field() {
        let mut l = layout();
        l.bay_length_m = 0.0;
        assert_eq!(l.routing_layout().unwrap_err().field, "bay_length_m");
        let mut l = layout();
        l.cross_aisles = 1;
        assert_eq!(l.routing_layout().unwrap_err().field, "cross_aisles");
    }
}
