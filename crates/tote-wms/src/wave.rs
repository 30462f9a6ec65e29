//! Waves: which allocated orders go to the floor together, and the pick lists
//! (one per cart trip) they become, each in walking order.
//!
//! Selection: orders whose service level the rules accept (all, if none are
//! named), the service levels in the order the rules list them, then the oldest
//! first, up to `max_orders`. Pick lists: orders whose every line has a place on
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
#[derive(Clone, Debug, PartialEq)]
pub struct WaveCandidate {
    pub service_level: Option<String>,
    /// Microseconds since the epoch, for oldest-first.
    pub placed_at_us: i64,
}

/// What a wave releases.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveRules {
    /// At most this many orders (default: every qualifying order, up to
    /// `WAVE_ORDERS_MAX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_orders: Option<usize>,
    /// Only these service levels, in priority order (empty: all, oldest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_levels: Vec<String>,
}

/// Indices of the candidates the rules release, in release order.
pub fn select_wave(candidates: &[WaveCandidate], rules: &WaveRules) -> Vec<usize> {
    let rank = |c: &WaveCandidate| -> Option<usize> {
        if rules.service_levels.is_empty() {
            return Some(0);
        }
        let level = c.service_level.as_deref().unwrap_or("standard");
        rules.service_levels.iter().position(|l| l == level)
    };
    let mut picked: Vec<(usize, i64, usize)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| rank(c).map(|r| (r, c.placed_at_us, i)))
        .collect();
    picked.sort_unstable();
    let max = rules
        .max_orders
        .unwrap_or(WAVE_ORDERS_MAX)
        .min(WAVE_ORDERS_MAX);
    picked.into_iter().take(max).map(|(_, _, i)| i).collect()
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

    #[test]
    fn wave_takes_listed_service_levels_in_priority_then_oldest() {
        let c = |level: &str, at: i64| WaveCandidate {
            service_level: Some(level.into()),
            placed_at_us: at,
        };
        let cands = [
            c("standard", 1),
            c("express", 5),
            c("standard", 0),
            c("bulk", 0),
        ];
        let rules = WaveRules {
            max_orders: Some(2),
            service_levels: vec!["express".into(), "standard".into()],
        };
        assert_eq!(select_wave(&cands, &rules), vec![1, 2]);
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
