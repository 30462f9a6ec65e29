//! Rate tables: a price per zone and billable-weight band, and a price per
//! unit of weight beyond the last band.

use crate::error::{CellError, RateError};
use crate::zones::Zone;
use rust_decimal::Decimal;

/// A weight band as read from a file: `from..=to` in whole units, one price
/// per zone column.
#[derive(Clone, Debug)]
pub struct BandRow {
    pub row: usize,
    pub from: u64,
    pub to: u64,
    pub prices: Vec<Decimal>,
}

/// The heaviest table a service may hold, so the weight-to-band index stays small.
pub const TABLE_WEIGHT_MAX: u64 = 10_000;

#[derive(Clone, Debug)]
pub struct RateTable {
    zones: Vec<Zone>,
    /// Zone number to column, `u8::MAX` where the table has no column.
    column_of_zone: Vec<u8>,
    /// Band index by weight: `band_of_weight[w]` for 1 <= w <= the last band's upper weight.
    band_of_weight: Vec<u16>,
    /// Band-major prices: `prices[band * zones.len() + column]`.
    prices: Vec<Decimal>,
    /// Price per unit above the last band, per column.
    beyond: Option<Vec<Decimal>>,
}

impl RateTable {
    /// Bands must start at weight 1 and follow on without gap or overlap.
    /// `header_row` is the line of the column names, for errors about them.
    pub fn new(
        zones: Vec<Zone>,
        bands: Vec<BandRow>,
        beyond: Option<BandRow>,
    ) -> Result<RateTable, CellError> {
        if zones.is_empty() {
            return Err(CellError::new(1, "zone", "the table has no zone columns"));
        }
        if zones.len() >= u8::MAX as usize {
            return Err(CellError::new(1, "zone", "too many zone columns"));
        }
        let mut column_of_zone =
            vec![u8::MAX; zones.iter().map(|z| z.0 as usize + 1).max().unwrap_or(0)];
        for (i, z) in zones.iter().enumerate() {
            if column_of_zone[z.0 as usize] != u8::MAX {
                return Err(CellError::new(
                    1,
                    &z.0.to_string(),
                    "zone column appears twice",
                ));
            }
            column_of_zone[z.0 as usize] = i as u8;
        }
        if bands.is_empty() {
            return Err(CellError::new(
                2,
                "weight_from",
                "the table has no weight bands",
            ));
        }
        let mut expected_from = 1u64;
        let mut previous_row = 0usize;
        let mut band_of_weight = vec![0u16; 1];
        let mut prices = Vec::with_capacity(bands.len() * zones.len());
        for (i, b) in bands.iter().enumerate() {
            if b.from > b.to {
                return Err(CellError::new(
                    b.row,
                    "weight_to",
                    format!("{} is below weight_from {}", b.to, b.from),
                ));
            }
            if b.from > expected_from {
                let after = if previous_row == 0 {
                    String::new()
                } else {
                    format!(" (after row {previous_row})")
                };
                return Err(CellError::new(
                    b.row,
                    "weight_from",
                    format!(
                        "gap: weights {expected_from}..{} have no rate{after}",
                        b.from - 1
                    ),
                ));
            }
            if b.from < expected_from {
                return Err(CellError::new(
                    b.row,
                    "weight_from",
                    format!(
                        "overlap: weight {} is already in row {previous_row}",
                        b.from
                    ),
                ));
            }
            if b.to > TABLE_WEIGHT_MAX {
                return Err(CellError::new(
                    b.row,
                    "weight_to",
                    format!("over the largest table weight {TABLE_WEIGHT_MAX}"),
                ));
            }
            check_prices(b, zones.len())?;
            band_of_weight.extend(std::iter::repeat_n(i as u16, (b.to - b.from + 1) as usize));
            prices.extend_from_slice(&b.prices);
            expected_from = b.to + 1;
            previous_row = b.row;
        }
        if let Some(b) = &beyond {
            check_prices(b, zones.len())?;
        }
        Ok(RateTable {
            zones,
            column_of_zone,
            band_of_weight,
            prices,
            beyond: beyond.map(|b| b.prices),
        })
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Whether weights beyond the last band have a per-unit price.
    pub fn has_beyond(&self) -> bool {
        self.beyond.is_some()
    }

    /// The heaviest weight with a band of its own.
    pub fn weight_max_banded(&self) -> u64 {
        self.band_of_weight.len() as u64 - 1
    }

    /// The base price for a zone and a billable weight (at least 1).
    pub fn base(&self, zone: Zone, weight: u64) -> Result<Decimal, RateError> {
        let column = *self
            .column_of_zone
            .get(zone.0 as usize)
            .filter(|&&c| c != u8::MAX)
            .ok_or(RateError::NoRateForZone { zone: zone.0 })? as usize;
        let n = self.zones.len();
        if let Some(&band) = self.band_of_weight.get(weight as usize) {
            return Ok(self.prices[band as usize * n + column]);
        }
        let last = self.prices[self.prices.len() - n + column];
        match &self.beyond {
            Some(per_unit) => {
                Ok(last + per_unit[column] * Decimal::from(weight - self.weight_max_banded()))
            }
            None => Err(RateError::BeyondTable {
                billable: weight,
                max: self.weight_max_banded(),
            }),
        }
    }
}

fn check_prices(b: &BandRow, columns: usize) -> Result<(), CellError> {
    if b.prices.len() != columns {
        return Err(CellError::new(
            b.row,
            "weight_to",
            format!("{} prices for {columns} zone columns", b.prices.len()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::dec;

    fn band(row: usize, from: u64, to: u64, prices: &[&str]) -> BandRow {
        BandRow {
            row,
            from,
            to,
            prices: prices.iter().map(|p| dec(p)).collect(),
        }
    }

    fn table() -> RateTable {
        RateTable::new(
            vec![Zone(2), Zone(5)],
            vec![
                band(2, 1, 1, &["9.00", "11.00"]),
                band(3, 2, 5, &["10.50", "14.25"]),
                band(4, 6, 10, &["13.00", "19.00"]),
            ],
            Some(band(5, 11, 11, &["1.10", "1.85"])),
        )
        .expect("valid table")
    }

    #[test]
    fn band_boundaries_price_inclusively() {
        let t = table();
        assert_eq!(t.base(Zone(2), 1), Ok(dec("9.00")));
        assert_eq!(t.base(Zone(2), 2), Ok(dec("10.50")));
        assert_eq!(t.base(Zone(5), 5), Ok(dec("14.25")));
        assert_eq!(t.base(Zone(5), 6), Ok(dec("19.00")));
        assert_eq!(t.base(Zone(5), 10), Ok(dec("19.00")));
    }

    #[test]
    fn weight_beyond_the_table_adds_the_per_unit_price() {
        // 13 lb zone 5: 19.00 + 3 x 1.85 = 24.55.
        assert_eq!(table().base(Zone(5), 13), Ok(dec("24.55")));
        assert_eq!(table().base(Zone(2), 11), Ok(dec("14.10")));
    }

    #[test]
    fn zone_without_a_column_has_no_rate() {
        assert_eq!(
            table().base(Zone(3), 1),
            Err(RateError::NoRateForZone { zone: 3 })
        );
        assert_eq!(
            table().base(Zone(40), 1),
            Err(RateError::NoRateForZone { zone: 40 })
        );
    }

    #[test]
    fn gap_in_weight_bands_is_an_error_naming_row_and_column() {
        let err = RateTable::new(
            vec![Zone(2)],
            vec![band(2, 1, 1, &["9"]), band(3, 3, 5, &["10"])],
            None,
        )
        .expect_err("gap");
        assert_eq!(
            err.to_string(),
            "row 3, column `weight_from`: gap: weights 2..2 have no rate (after row 2)"
        );
    }

    #[test]
    fn overlap_in_weight_bands_is_an_error_naming_row_and_column() {
        let err = RateTable::new(
            vec![Zone(2)],
            vec![band(2, 1, 5, &["9"]), band(3, 4, 8, &["10"])],
            None,
        )
        .expect_err("overlap");
        assert_eq!(
            err.to_string(),
            "row 3, column `weight_from`: overlap: weight 4 is already in row 2"
        );
    }

    #[test]
    fn table_must_start_at_one_unit() {
        let err =
            RateTable::new(vec![Zone(2)], vec![band(2, 2, 5, &["9"])], None).expect_err("gap");
        assert_eq!(
            err.to_string(),
            "row 2, column `weight_from`: gap: weights 1..1 have no rate"
        );
    }
}
