//! Zone charts: origin and destination postal prefixes to a zone.
//!
//! A chart is a list of origin groups (a country and a range of postal
//! prefixes) each holding sorted destination ranges per country. A range
//! compares the first n characters of a postal code, n being the length of
//! the range's bounds; empty bounds cover the whole country.

use crate::error::CellError;
use crate::place::{Country, Place};

/// A carrier's zone number (domestic 2..8, international 1..9 and so on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Zone(pub u16);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixRange {
    pub country: Country,
    pub from: String,
    pub to: String,
}

impl PrefixRange {
    fn contains(&self, place: &Place) -> bool {
        self.country == place.country
            && place
                .postal
                .prefix(self.from.len())
                .is_some_and(|p| self.from.as_str() <= p && p <= self.to.as_str())
    }
    fn overlaps(&self, other: &PrefixRange) -> bool {
        self.country == other.country
            && self.from.len() == other.from.len()
            && self.from <= other.to
            && other.from <= self.to
    }
}

/// One row of a chart as read from a file.
#[derive(Clone, Debug)]
pub struct ZoneRow {
    pub row: usize,
    pub origin: PrefixRange,
    pub destination: PrefixRange,
    pub zone: Zone,
}

#[derive(Clone, Debug)]
struct OriginGroup {
    origin: PrefixRange,
    /// Sorted by (country, to); ranges of one country share a prefix length.
    destinations: Vec<(PrefixRange, Zone)>,
}

#[derive(Clone, Debug)]
pub struct ZoneChart {
    groups: Vec<OriginGroup>,
}

impl ZoneChart {
    /// Builds a chart, refusing overlapping ranges and gaps between numeric
    /// destination ranges of one origin and country (a gap would leave
    /// postal codes that cannot be rated).
    pub fn new(rows: Vec<ZoneRow>) -> Result<ZoneChart, CellError> {
        let mut groups: Vec<(OriginGroup, Vec<usize>)> = Vec::new();
        for r in rows {
            check_range(&r.origin, r.row, "origin")?;
            check_range(&r.destination, r.row, "dest")?;
            match groups.iter_mut().find(|(g, _)| g.origin == r.origin) {
                Some((g, lines)) => {
                    g.destinations.push((r.destination, r.zone));
                    lines.push(r.row);
                }
                None => {
                    if let Some((other, _)) =
                        groups.iter().find(|(g, _)| g.origin.overlaps(&r.origin))
                    {
                        return Err(CellError::new(
                            r.row,
                            "origin_from",
                            format!(
                                "origin {}..{} overlaps origin {}..{}",
                                r.origin.from, r.origin.to, other.origin.from, other.origin.to
                            ),
                        ));
                    }
                    groups.push((
                        OriginGroup {
                            origin: r.origin,
                            destinations: vec![(r.destination, r.zone)],
                        },
                        vec![r.row],
                    ));
                }
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        for (mut g, lines) in groups {
            let mut order: Vec<usize> = (0..g.destinations.len()).collect();
            order.sort_by(|&a, &b| {
                let (ra, rb) = (&g.destinations[a].0, &g.destinations[b].0);
                (ra.country, &ra.from).cmp(&(rb.country, &rb.from))
            });
            for pair in order.windows(2) {
                let (a, b) = (&g.destinations[pair[0]].0, &g.destinations[pair[1]].0);
                if a.country != b.country {
                    continue;
                }
                let row = lines[pair[1]];
                if a.from.len() != b.from.len() {
                    return Err(CellError::new(
                        row,
                        "dest_from",
                        format!("prefix length differs from `{}`", a.from),
                    ));
                }
                if a.overlaps(b) {
                    return Err(CellError::new(
                        row,
                        "dest_from",
                        format!(
                            "{} {}..{} overlaps {}..{} (row {})",
                            b.country, b.from, b.to, a.from, a.to, lines[pair[0]]
                        ),
                    ));
                }
                if let Some(expected) = numeric_successor(&a.to)
                    && b.from.bytes().all(|c| c.is_ascii_digit())
                    && b.from != expected
                {
                    return Err(CellError::new(
                        row,
                        "dest_from",
                        format!(
                            "gap: {} prefixes {}..{} have no zone (previous range ends at {}, row {})",
                            b.country,
                            expected,
                            numeric_predecessor(&b.from).unwrap_or_default(),
                            a.to,
                            lines[pair[0]]
                        ),
                    ));
                }
            }
            let sorted = order.iter().map(|&i| g.destinations[i].clone()).collect();
            g.destinations = sorted;
            out.push(g);
        }
        Ok(ZoneChart { groups: out })
    }

    pub fn zone(&self, origin: &Place, destination: &Place) -> Option<Zone> {
        let group = self.groups.iter().find(|g| g.origin.contains(origin))?;
        let d = &group.destinations;
        // First range of the destination country whose upper bound is not below the code.
        let i = d.partition_point(|(r, _)| {
            (r.country, r.to.as_str())
                < (
                    destination.country,
                    destination.postal.prefix(r.to.len()).unwrap_or(""),
                )
        });
        d.get(i)
            .filter(|(r, _)| r.contains(destination))
            .map(|(_, z)| *z)
    }

    /// Every zone the chart can answer, for checking a rate table covers them.
    pub fn zones(&self) -> Vec<Zone> {
        let mut z: Vec<Zone> = self
            .groups
            .iter()
            .flat_map(|g| g.destinations.iter().map(|(_, z)| *z))
            .collect();
        z.sort_unstable();
        z.dedup();
        z
    }
}

fn check_range(r: &PrefixRange, row: usize, side: &str) -> Result<(), CellError> {
    if r.from.len() != r.to.len() {
        return Err(CellError::new(
            row,
            &format!("{side}_to"),
            format!("`{}` and `{}` differ in length", r.from, r.to),
        ));
    }
    if r.from > r.to {
        return Err(CellError::new(
            row,
            &format!("{side}_to"),
            format!("`{}` is before `{}`", r.to, r.from),
        ));
    }
    Ok(())
}

fn numeric_successor(s: &str) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u64 = s.parse().ok()?;
    let next = format!("{:0width$}", n + 1, width = s.len());
    (next.len() == s.len()).then_some(next)
}

fn numeric_predecessor(s: &str) -> Option<String> {
    let n: u64 = s.parse().ok()?;
    Some(format!("{:0width$}", n.checked_sub(1)?, width = s.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::PostalCode;

    fn range(c: &str, from: &str, to: &str) -> PrefixRange {
        PrefixRange {
            country: Country::parse(c).expect("c"),
            from: from.into(),
            to: to.into(),
        }
    }
    fn row(line: usize, dfrom: &str, dto: &str, zone: u16) -> ZoneRow {
        ZoneRow {
            row: line,
            origin: range("US", "600", "629"),
            destination: range("US", dfrom, dto),
            zone: Zone(zone),
        }
    }
    fn place(c: &str, p: &str) -> Place {
        Place {
            country: Country::parse(c).expect("c"),
            postal: PostalCode::parse(p).expect("p"),
        }
    }

    #[test]
    fn destination_prefix_picks_its_zone() {
        let chart = ZoneChart::new(vec![
            row(2, "000", "499", 5),
            row(3, "500", "699", 3),
            row(4, "700", "999", 6),
        ])
        .expect("valid chart");
        let from = place("US", "60601");
        assert_eq!(chart.zone(&from, &place("US", "49999")), Some(Zone(5)));
        assert_eq!(chart.zone(&from, &place("US", "50000")), Some(Zone(3)));
        assert_eq!(chart.zone(&from, &place("US", "99950")), Some(Zone(6)));
        assert_eq!(chart.zone(&from, &place("CA", "K1A0B1")), None);
        assert_eq!(
            chart.zone(&place("US", "10001"), &place("US", "50000")),
            None
        );
    }

    #[test]
    fn gap_between_destination_ranges_is_an_error_naming_the_row() {
        let err = ZoneChart::new(vec![row(2, "000", "499", 5), row(3, "520", "999", 3)])
            .expect_err("gap");
        assert_eq!(
            err.to_string(),
            "row 3, column `dest_from`: gap: US prefixes 500..519 have no zone (previous range ends at 499, row 2)"
        );
    }

    #[test]
    fn overlapping_destination_ranges_are_an_error() {
        let err = ZoneChart::new(vec![row(2, "000", "499", 5), row(3, "450", "999", 3)])
            .expect_err("overlap");
        assert_eq!(
            err.to_string(),
            "row 3, column `dest_from`: US 450..999 overlaps 000..499 (row 2)"
        );
    }

    #[test]
    fn whole_country_range_matches_any_code() {
        let chart = ZoneChart::new(vec![ZoneRow {
            row: 2,
            origin: range("US", "", ""),
            destination: range("GB", "", ""),
            zone: Zone(4),
        }])
        .expect("chart");
        assert_eq!(
            chart.zone(&place("US", "60601"), &place("GB", "SW1A 1AA")),
            Some(Zone(4))
        );
    }
}
