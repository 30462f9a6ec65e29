//! Waves: which allocated orders go to the floor together, and the pick lists
//! (one per cart trip) they become, each in walking order.
//!
//! Selection: orders every stated rule accepts (service level, deadline before
//! a time, zones), the service levels in the order the rules list them, then
//! nearest their deadline (ship-by or carrier cut-off), then the oldest first,
//! up to `max_orders`. Pick lists: orders whose every line has a place on
//! the node's layout are grouped into trips of at most `cart_totes` orders by
//! tote-routing's batching, each trip in its optimal walking order. Orders with a
//! line the layout cannot place (or every order, when the node has no layout) go
//! first come first served, `cart_totes` a trip, their stops sorted by location
//! code; such a list says `routed: false`.

use crate::layout::NodeLayout;
use serde::{Deserialize, Serialize};
use tote_routing::{BatchParams, Layout, OrderPicks, Pick, batch_orders};

/// Orders batched in one call of the batcher at most: its search grows faster
/// than linearly with the orders it sees, so a large wave is cut into chunks of
/// orders that sit near one another (by mean aisle) and each chunk is batched.
pub const WAVE_CHUNK_ORDERS_MAX: usize = 200;
/// Orders one wave releases at most.
pub const WAVE_ORDERS_MAX: usize = 10_000;
/// Totes on one cart at most.
pub const CART_TOTES_MAX: usize = 64;

/// An allocated order the wave rules look at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaveCandidate {
    pub service_level: Option<String>,
    /// Microseconds since the epoch, for oldest-first.
    pub placed_at_us: i64,
    /// The latest time the order should leave the building, if it says.
    pub ship_by_us: Option<i64>,
    /// The zones of the locations it would be picked from (a location without
    /// a zone counts as none).
    pub zones: Vec<Option<String>>,
}

/// The carrier cut-off of a service level: its orders must be on the dock by
/// then, so an order's deadline is the earlier of its ship-by and this.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierCutoff {
    pub service_level: String,
    /// `HH:MM` (UTC, on the day the wave is released) or an RFC 3339 time.
    pub at: String,
}

/// What a wave releases. Every rule given must hold; orders go in the
/// priority order of `service_levels`, then nearest their deadline (ship-by,
/// or the carrier cut-off of their level if earlier; none last), then oldest.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveRules {
    /// At most this many orders (default: every qualifying order, up to
    /// `WAVE_ORDERS_MAX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_orders: Option<usize>,
    /// Only these service levels, in priority order (empty: all levels, one
    /// priority). An order without one is `standard`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_levels: Vec<String>,
    /// Only orders whose deadline is before this: `HH:MM` (UTC, on the day the
    /// wave is released) or an RFC 3339 time. Orders without a deadline wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_by_before: Option<String>,
    /// Carrier cut-offs by service level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cutoffs: Vec<CarrierCutoff>,
    /// Only orders picked entirely from locations in these zones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
}

/// A rule the selection cannot read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct RuleError {
    pub field: String,
    pub problem: String,
}

const DAY_US: i64 = 86_400_000_000;

/// A time a rule states: `HH:MM` on the UTC day of `now_us`, or RFC 3339.
pub fn rule_time(text: &str, now_us: i64, field: &str) -> Result<i64, RuleError> {
    let err = || RuleError {
        field: field.to_owned(),
        problem: format!("`{text}` is neither HH:MM nor an RFC 3339 time"),
    };
    if let Some((h, m)) = text.split_once(':')
        && h.len() == 2
        && m.len() == 2
    {
        let h: i64 = h.parse().map_err(|_| err())?;
        let m: i64 = m.parse().map_err(|_| err())?;
        if !(0..24).contains(&h) || !(0..60).contains(&m) {
            return Err(err());
        }
        let day = now_us.div_euclid(DAY_US) * DAY_US;
        return Ok(day + (h * 60 + m) * 60_000_000);
    }
    tote_core::Timestamp::parse_rfc3339(text)
        .map(|t| t.0)
        .ok_or_else(err)
}

/// Indices of the candidates the rules release, in release order. `now_us` is
/// the release time, which `HH:MM` rules are read against.
pub fn select_wave(
    candidates: &[WaveCandidate],
    rules: &WaveRules,
    now_us: i64,
) -> Result<Vec<usize>, RuleError> {
    let before = rules
        .ship_by_before
        .as_deref()
        .map(|t| rule_time(t, now_us, "rules.ship_by_before"))
        .transpose()?;
    let mut cutoffs: Vec<(&str, i64)> = Vec::with_capacity(rules.cutoffs.len());
    for (i, c) in rules.cutoffs.iter().enumerate() {
        let at = rule_time(&c.at, now_us, &format!("rules.cutoffs[{i}].at"))?;
        cutoffs.push((c.service_level.as_str(), at));
    }
    let rank = |level: &str| -> Option<usize> {
        if rules.service_levels.is_empty() {
            return Some(0);
        }
        rules.service_levels.iter().position(|l| l == level)
    };
    let in_zones = |c: &WaveCandidate| {
        rules.zones.is_empty()
            || c.zones
                .iter()
                .all(|z| z.as_ref().is_some_and(|z| rules.zones.contains(z)))
    };
    let mut picked: Vec<(usize, i64, i64, usize)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let level = c.service_level.as_deref().unwrap_or("standard");
        let Some(r) = rank(level) else { continue };
        let cutoff = cutoffs
            .iter()
            .filter(|(l, _)| *l == level)
            .map(|(_, at)| *at)
            .min();
        let deadline = match (c.ship_by_us, cutoff) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(before) = before
            && deadline.is_none_or(|d| d >= before)
        {
            continue;
        }
        if !in_zones(c) {
            continue;
        }
        picked.push((r, deadline.unwrap_or(i64::MAX), c.placed_at_us, i));
    }
    picked.sort_unstable();
    let max = rules
        .max_orders
        .unwrap_or(WAVE_ORDERS_MAX)
        .min(WAVE_ORDERS_MAX);
    Ok(picked.into_iter().take(max).map(|(.., i)| i).collect())
}

/// One unit of work of an order: pick `qty` of `sku` at `location`.
#[derive(Clone, Debug, PartialEq)]
pub struct PickLine {
    pub location: String,
    pub aisle: Option<u32>,
    pub bay: Option<u32>,
    pub sku: String,
    pub qty: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WaveOrder {
    pub order: String,
    pub lines: Vec<PickLine>,
}

/// A stop of a trip: line `line` of order `order` (indices into the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickStop {
    pub order: usize,
    pub line: usize,
}

/// One cart trip: its orders (one tote each) and its stops in walking order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickList {
    pub orders: Vec<usize>,
    pub stops: Vec<PickStop>,
    /// The walk from the depot through every stop and back; 0 when not routed.
    pub distance_m: f64,
    /// False when the stops are in location-code order because some location
    /// has no place on the layout (or the node has none).
    pub routed: bool,
}

fn places(layout: &NodeLayout, o: &WaveOrder) -> Option<Vec<Pick>> {
    o.lines
        .iter()
        .map(|l| layout.place(l.aisle, l.bay))
        .collect()
}

/// Groups the orders into cart trips and sequences each.
///
/// # Panics
/// If `cart_totes` is 0.
pub fn build_pick_lists(
    layout: Option<&NodeLayout>,
    orders: &[WaveOrder],
    cart_totes: usize,
) -> Vec<PickList> {
    assert!(cart_totes > 0, "a cart holds at least one tote");
    let routing = layout.and_then(|l| l.routing_layout().ok().map(|r| (l, r)));
    let mut placed: Vec<(usize, Vec<Pick>)> = Vec::new();
    let mut unplaced: Vec<usize> = Vec::new();
    for (i, o) in orders.iter().enumerate() {
        match routing.as_ref().and_then(|(l, _)| places(l, o)) {
            Some(p) => placed.push((i, p)),
            None => unplaced.push(i),
        }
    }
    let mut lists = Vec::new();
    if let Some((_, layout)) = &routing {
        // Chunks of neighbours: sorted by mean aisle, then position.
        placed.sort_by(|a, b| {
            let key = |p: &[Pick]| {
                let n = p.len().max(1) as f64;
                let aisle = p.iter().map(|x| x.aisle as f64).sum::<f64>() / n;
                let y = p.iter().map(|x| x.y_m).sum::<f64>() / n;
                (aisle, y)
            };
            key(&a.1)
                .partial_cmp(&key(&b.1))
                .expect("finite coordinates")
                .then(a.0.cmp(&b.0))
        });
        let chunks: Vec<&[(usize, Vec<Pick>)]> = placed.chunks(WAVE_CHUNK_ORDERS_MAX).collect();
        // Chunks are independent: batch them on every core, then keep chunk
        // order, so the answer does not depend on the number of threads.
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(chunks.len().max(1));
        let mut planned: Vec<Vec<PickList>> = vec![Vec::new(); chunks.len()];
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let chunks = &chunks;
                    scope.spawn(move || {
                        (w..chunks.len())
                            .step_by(workers)
                            .map(|c| (c, batch_chunk(layout, orders, chunks[c], cart_totes)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                for (c, lists) in h.join().expect("batching does not panic on checked picks") {
                    planned[c] = lists;
                }
            }
        });
        lists.extend(planned.into_iter().flatten());
    }
    for trip in unplaced.chunks(cart_totes) {
        lists.push(code_order_list(orders, trip));
    }
    lists
}

/// The batcher's search, lighter than its defaults (tuned for waves of a few
/// hundred orders): a large wave runs it once per chunk, and the shorter
/// search keeps a 5,000-order wave within seconds.
fn wave_batch_params() -> BatchParams {
    BatchParams {
        shortlist: 4,
        neighbour_batches: 3,
        rounds_max: 5,
    }
}

fn batch_chunk(
    layout: &Layout,
    orders: &[WaveOrder],
    chunk: &[(usize, Vec<Pick>)],
    cart_totes: usize,
) -> Vec<PickList> {
    let input: Vec<OrderPicks> = chunk
        .iter()
        .map(|(i, p)| OrderPicks {
            id: orders[*i].order.clone(),
            picks: p.clone(),
        })
        .collect();
    let plan = batch_orders(layout, &input, cart_totes, &wave_batch_params());
    plan.batches
        .into_iter()
        .map(|b| PickList {
            orders: b.orders.iter().map(|&k| chunk[k].0).collect(),
            stops: b
                .sequence
                .iter()
                .map(|&(k, line)| PickStop {
                    order: chunk[k].0,
                    line,
                })
                .collect(),
            distance_m: b.distance_m,
            routed: true,
        })
        .collect()
}

/// A trip whose stops are sorted by location code (then order, then line).
fn code_order_list(orders: &[WaveOrder], trip: &[usize]) -> PickList {
    let mut stops: Vec<PickStop> = trip
        .iter()
        .flat_map(|&o| (0..orders[o].lines.len()).map(move |line| PickStop { order: o, line }))
        .collect();
    stops.sort_by(|a, b| {
        let code = |s: &PickStop| orders[s.order].lines[s.line].location.as_str();
        code(a)
            .cmp(code(b))
            .then((a.order, a.line).cmp(&(b.order, b.line)))
    });
    PickList {
        orders: trip.to_vec(),
        stops,
        distance_m: 0.0,
        routed: false,
    }
}

/// The walk of a stop sequence, from the depot and back.
pub fn walk_m(layout: &Layout, picks: &[Pick]) -> f64 {
    let (Some(first), Some(last)) = (picks.first(), picks.last()) else {
        return 0.0;
    };
    let between: f64 = picks
        .windows(2)
        .map(|w| layout.pick_walk_m(&w[0], &w[1]))
        .sum();
    layout.depot_walk_m(first) + between + layout.depot_walk_m(last)
}

/// The baseline a wave is measured against: the same orders taken in input
/// order, `cart_totes` a trip, each trip walked in location-code order, on the
/// same layout. None when some line has no place on it.
pub fn code_order_distance_m(
    layout: &NodeLayout,
    orders: &[WaveOrder],
    cart_totes: usize,
) -> Option<f64> {
    let routing = layout.routing_layout().ok()?;
    let all: Vec<usize> = (0..orders.len()).collect();
    let mut total = 0.0;
    for trip in all.chunks(cart_totes.max(1)) {
        let list = code_order_list(orders, trip);
        let picks: Option<Vec<Pick>> = list
            .stops
            .iter()
            .map(|s| {
                let l = &orders[s.order].lines[s.line];
                layout.place(l.aisle, l.bay)
            })
            .collect();
        total += walk_m(&routing, &picks?);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> NodeLayout {
        NodeLayout {
            aisles: 10,
            aisle_length_m: 20.0,
            aisle_spacing_m: 3.0,
            cross_aisles: 2,
            depot_x_m: 0.0,
            bay_length_m: 1.0,
            location_capacity_units: None,
        }
    }

    fn order(id: &str, locs: &[(u32, u32)]) -> WaveOrder {
        WaveOrder {
            order: id.into(),
            lines: locs
                .iter()
                .map(|&(a, b)| PickLine {
                    location: format!("A{a:02}-{b:02}"),
                    aisle: Some(a),
                    bay: Some(b),
                    sku: "S".into(),
                    qty: 1,
                })
                .collect(),
        }
    }

    fn cand(level: &str, at: i64) -> WaveCandidate {
        WaveCandidate {
            service_level: Some(level.into()),
            placed_at_us: at,
            ..WaveCandidate::default()
        }
    }

    /// 2026-11-25 10:00 UTC.
    const NOW: i64 = 1_795_600_800_000_000;
    const HOUR: i64 = 3_600_000_000;

    #[test]
    fn wave_takes_listed_service_levels_in_priority_then_oldest() {
        let cands = [
            cand("standard", 1),
            cand("express", 5),
            cand("standard", 0),
            cand("bulk", 0),
        ];
        let rules = WaveRules {
            max_orders: Some(2),
            service_levels: vec!["express".into(), "standard".into()],
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![1, 2]);
    }

    #[test]
    fn express_first_puts_express_before_older_standard_orders() {
        let cands = [cand("standard", 0), cand("express", 9), cand("standard", 1)];
        let rules = WaveRules {
            service_levels: vec!["express".into(), "standard".into()],
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![1, 0, 2]);
    }

    #[test]
    fn orders_nearest_their_ship_by_go_first_and_those_without_last() {
        let mut late = cand("standard", 0);
        late.ship_by_us = Some(NOW + 8 * HOUR);
        let mut soon = cand("standard", 5);
        soon.ship_by_us = Some(NOW + HOUR);
        let none = cand("standard", 1);
        let got = select_wave(&[none, late, soon], &WaveRules::default(), NOW).unwrap();
        assert_eq!(got, vec![2, 1, 0]);
    }

    #[test]
    fn ship_by_before_a_clock_time_today_takes_only_orders_due_by_then() {
        // "Everything whose ship-by is before 15:00 today."
        let at = |h: i64| {
            let mut c = cand("standard", 0);
            c.ship_by_us = Some(NOW - 10 * HOUR + h * HOUR);
            c
        };
        let cands = [at(14), at(15), at(16), cand("standard", 0), at(9)];
        let rules = WaveRules {
            ship_by_before: Some("15:00".into()),
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![4, 0]);
        let rfc = WaveRules {
            ship_by_before: Some("2026-11-25T15:00:00Z".into()),
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rfc, NOW).unwrap(), vec![4, 0]);
    }

    #[test]
    fn carrier_cutoff_makes_a_levels_orders_due_by_the_pickup() {
        // Express is collected at 12:00: its orders come before standard
        // orders due at 13:00, and a wave of what is due before 12:30 takes
        // them even without a ship-by of their own.
        let mut standard = cand("standard", 0);
        standard.ship_by_us = Some(NOW + 3 * HOUR);
        let express = cand("express", 1);
        let rules = WaveRules {
            cutoffs: vec![CarrierCutoff {
                service_level: "express".into(),
                at: "12:00".into(),
            }],
            ..WaveRules::default()
        };
        let cands = [standard, express];
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![1, 0]);
        let due = WaveRules {
            ship_by_before: Some("12:30".into()),
            ..rules
        };
        assert_eq!(select_wave(&cands, &due, NOW).unwrap(), vec![1]);
    }

    #[test]
    fn zone_rule_takes_only_orders_picked_entirely_in_those_zones() {
        let z = |zones: &[Option<&str>]| WaveCandidate {
            zones: zones.iter().map(|z| z.map(str::to_owned)).collect(),
            ..cand("standard", 0)
        };
        let cands = [
            z(&[Some("A")]),
            z(&[Some("A"), Some("B")]),
            z(&[None]),
            z(&[Some("A"), Some("A")]),
        ];
        let rules = WaveRules {
            zones: vec!["A".into()],
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![0, 3]);
    }

    #[test]
    fn max_orders_caps_the_wave_after_ordering() {
        let cands: Vec<WaveCandidate> = (0..10).map(|i| cand("standard", 10 - i)).collect();
        let rules = WaveRules {
            max_orders: Some(3),
            ..WaveRules::default()
        };
        assert_eq!(select_wave(&cands, &rules, NOW).unwrap(), vec![9, 8, 7]);
    }

    #[test]
    fn unreadable_rule_times_name_their_field() {
        let rules = WaveRules {
            ship_by_before: Some("25:00".into()),
            ..WaveRules::default()
        };
        let e = select_wave(&[], &rules, NOW).unwrap_err();
        assert_eq!(e.field, "rules.ship_by_before");
        let rules = WaveRules {
            cutoffs: vec![CarrierCutoff {
                service_level: "express".into(),
                at: "noon".into(),
            }],
            ..WaveRules::default()
        };
        assert_eq!(
            select_wave(&[], &rules, NOW).unwrap_err().field,
            "rules.cutoffs[0].at"
        );
    }

    proptest::proptest! {
        /// Every released order passes every rule, the wave holds no more than
        /// asked, no order that passes is left out while the wave has room, and
        /// the release order is by priority, then deadline, then age.
        #[test]
        fn wave_releases_only_and_all_qualifying_orders_in_rule_order(
            orders in proptest::collection::vec(
                (0usize..3, proptest::option::of(0i64..10), 0i64..5, proptest::collection::vec(0usize..3, 1..3)),
                0..30,
            ),
            levels in proptest::sample::subsequence(vec!["express", "standard", "bulk"], 0..=3),
            before in proptest::option::of(0i64..10),
            zones in proptest::sample::subsequence(vec!["A", "B", "C"], 0..=3),
            max in proptest::option::of(1usize..20),
        ) {
            let names = ["express", "standard", "bulk"];
            let zone_names = ["A", "B", "C"];
            let cands: Vec<WaveCandidate> = orders
                .iter()
                .map(|(l, ship, at, zs)| WaveCandidate {
                    service_level: Some(names[*l].into()),
                    placed_at_us: *at,
                    ship_by_us: ship.map(|h| NOW + h * HOUR),
                    zones: zs.iter().map(|z| Some(zone_names[*z].to_owned())).collect(),
                })
                .collect();
            let rules = WaveRules {
                max_orders: max,
                service_levels: levels.iter().map(|l| l.to_string()).collect(),
                ship_by_before: before.map(|h| {
                    tote_core::Timestamp(NOW + h * HOUR).to_datetime().to_rfc3339()
                }),
                cutoffs: Vec::new(),
                zones: zones.iter().map(|z| z.to_string()).collect(),
            };
            let passes = |c: &WaveCandidate| {
                let level = c.service_level.as_deref().unwrap();
                (levels.is_empty() || levels.contains(&level))
                    && before.is_none_or(|b| c.ship_by_us.is_some_and(|s| s < NOW + b * HOUR))
                    && (zones.is_empty()
                        || c.zones.iter().all(|z| zones.contains(&z.as_deref().unwrap())))
            };
            let got = select_wave(&cands, &rules, NOW).unwrap();
            let qualifying = cands.iter().filter(|c| passes(c)).count();
            proptest::prop_assert_eq!(got.len(), qualifying.min(max.unwrap_or(usize::MAX)));
            proptest::prop_assert!(got.iter().all(|&i| passes(&cands[i])));
            let key = |i: usize| {
                let c = &cands[i];
                let level = c.service_level.as_deref().unwrap();
                let rank = levels.iter().position(|l| *l == level).unwrap_or(0);
                (rank, c.ship_by_us.unwrap_or(i64::MAX), c.placed_at_us)
            };
            proptest::prop_assert!(got.windows(2).all(|w| key(w[0]) <= key(w[1])));
            // A qualifying order left out ranks no earlier than the last one in.
            if let Some(&last) = got.last() {
                for i in (0..cands.len()).filter(|i| passes(&cands[*i]) && !got.contains(i)) {
                    proptest::prop_assert!(key(i) >= key(last));
                }
            }
        }
    }

    #[test]
    fn every_line_is_on_exactly_one_pick_list() {
        let orders: Vec<WaveOrder> = (0..9)
            .map(|i| order(&format!("O{i}"), &[(1 + i % 10, 3), (10 - i % 10, 15)]))
            .collect();
        let lists = build_pick_lists(Some(&layout()), &orders, 4);
        let mut seen: Vec<(usize, usize)> = lists
            .iter()
            .flat_map(|l| l.stops.iter().map(|s| (s.order, s.line)))
            .collect();
        seen.sort_unstable();
        let all: Vec<(usize, usize)> = (0..9).flat_map(|o| [(o, 0), (o, 1)]).collect();
        assert_eq!(seen, all);
        assert!(lists.iter().all(|l| l.routed && l.orders.len() <= 4));
    }

    #[test]
    fn routed_lists_walk_no_more_than_location_code_order() {
        let orders: Vec<WaveOrder> = (0..20)
            .map(|i| {
                order(
                    &format!("O{i}"),
                    &[(1 + (i * 7) % 10, 1 + (i * 5) % 20), (1 + (i * 3) % 10, 18)],
                )
            })
            .collect();
        let routed: f64 = build_pick_lists(Some(&layout()), &orders, 5)
            .iter()
            .map(|l| l.distance_m)
            .sum();
        let baseline = code_order_distance_m(&layout(), &orders, 5).expect("all placed");
        assert!(routed <= baseline, "{routed} > {baseline}");
    }

    #[test]
    fn without_a_layout_stops_go_in_location_code_order() {
        let orders = [order("O1", &[(3, 1), (1, 2)]), order("O2", &[(2, 1)])];
        let lists = build_pick_lists(None, &orders, 10);
        assert_eq!(lists.len(), 1);
        assert!(!lists[0].routed);
        let codes: Vec<&str> = lists[0]
            .stops
            .iter()
            .map(|s| orders[s.order].lines[s.line].location.as_str())
            .collect();
        assert_eq!(codes, ["A01-02", "A02-01", "A03-01"]);
    }
}
