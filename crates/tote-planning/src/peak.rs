//! Peak simulation: a discrete-event model of one node for a forecast peak.
//! Orders arrive by hour, flow through stations in sequence (pick, pack...),
//! each staffed hour by hour from the shift plan and capped by its physical
//! stations, then wait at the dock for a carrier pickup. The report gives
//! the backlog by hour, the on-time ship rate and the bottleneck, so a
//! manager can try "add a second shift" or "two more pack stations".

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// The bound on simulated hours (a quarter), so a mistaken input fails fast.
pub const HOURS_MAX: usize = 24 * 92;

/// Below this mean wait at every station, the bottleneck is the busiest one.
pub const BOTTLENECK_WAIT_MINUTES_MIN: f64 = 1.0;

/// A processing step every order passes through, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    pub name: String,
    /// Work content of one order, minutes of one head.
    pub minutes_per_order: f64,
    /// Heads on duty in each hour, repeating (24 entries for a daily
    /// pattern, 168 for a weekly one).
    pub heads_by_hour: Vec<u32>,
    /// Physical positions (pack benches, pick carts); None for no cap.
    pub positions: Option<u32>,
}

/// A carrier pickup every day at this time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pickup {
    pub minute_of_day: u32,
    /// Orders one pickup can take (trailers x dock doors x fill).
    pub capacity_orders: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PeakScenario {
    /// Orders arriving in each simulated hour, spread evenly over the hour.
    pub orders_by_hour: Vec<u32>,
    pub stations: Vec<Station>,
    pub pickups: Vec<Pickup>,
    /// Orders placed by this minute of the day must ship that day (on its
    /// last pickup); later ones the next day.
    pub order_cutoff_minute_of_day: u32,
    /// Service times vary uniformly by +/- this share of the standard.
    pub service_jitter: f64,
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StationReport {
    pub name: String,
    pub orders_done: u32,
    /// Busy head-minutes over staffed head-minutes.
    pub utilization: f64,
    /// Mean minutes an order waited in front of this station.
    pub wait_minutes_mean: f64,
    pub queue_max: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PeakReport {
    /// Orders arrived but not yet shipped at the end of each hour.
    pub backlog_by_hour: Vec<u32>,
    pub orders: u32,
    pub shipped: u32,
    pub shipped_on_time: u32,
    /// Orders shipped by their ship-by pickup / orders due within the
    /// simulated time.
    pub on_time_ship_rate: f64,
    pub stations: Vec<StationReport>,
    /// The station where orders waited longest: the constraint to relieve
    /// first; the busiest station when no queue held orders for a minute.
    pub bottleneck: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// Staffing changes at the top of an hour.
    Hour(usize),
    /// A head at `station` finished order `order`.
    Done {
        station: usize,
        order: usize,
    },
    Arrival(usize),
    Pickup(usize),
}

struct StationState {
    queue: VecDeque<(usize, u64)>,
    busy: u32,
    capacity: u32,
    busy_seconds: f64,
    staffed_seconds: f64,
    wait_seconds: f64,
    done: u32,
    queue_max: u32,
}

/// SplitMix64: a tiny seeded generator, enough for service-time jitter.
struct SplitMix(u64);

impl SplitMix {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

const MINUTE: u64 = 60;
const DAY: u64 = 24 * 60 * MINUTE;

/// Runs the scenario over `orders_by_hour.len()` hours.
pub fn simulate_peak(scenario: &PeakScenario) -> PeakReport {
    let hours = scenario.orders_by_hour.len();
    assert!(hours <= HOURS_MAX, "{hours} hours, more than {HOURS_MAX}");
    assert!(
        !scenario.stations.is_empty(),
        "a node needs at least one station"
    );
    let end = hours as u64 * 3_600;
    let mut rng = SplitMix(scenario.seed);
    let mut events: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
    let mut arrival_s: Vec<u64> = Vec::new();
    for (hour, &count) in scenario.orders_by_hour.iter().enumerate() {
        for k in 0..u64::from(count) {
            let t = hour as u64 * 3_600 + k * 3_600 / u64::from(count);
            events.push(Reverse((t, Event::Arrival(arrival_s.len()))));
            arrival_s.push(t);
        }
    }
    for hour in 0..hours {
        events.push(Reverse((hour as u64 * 3_600, Event::Hour(hour))));
    }
    for day in 0..=(end / DAY) {
        for (i, p) in scenario.pickups.iter().enumerate() {
            let t = day * DAY + u64::from(p.minute_of_day) * MINUTE;
            if t < end {
                events.push(Reverse((t, Event::Pickup(i))));
            }
        }
    }
    let last_pickup = scenario
        .pickups
        .iter()
        .map(|p| u64::from(p.minute_of_day))
        .max()
        .unwrap_or(0)
        * MINUTE;
    let cutoff = u64::from(scenario.order_cutoff_minute_of_day) * MINUTE;
    let ship_by: Vec<u64> = arrival_s
        .iter()
        .map(|&t| {
            let day = t / DAY + u64::from(t % DAY > cutoff);
            day * DAY + last_pickup
        })
        .collect();

    let mut stations: Vec<StationState> = scenario
        .stations
        .iter()
        .map(|_| StationState {
            queue: VecDeque::new(),
            busy: 0,
            capacity: 0,
            busy_seconds: 0.0,
            staffed_seconds: 0.0,
            wait_seconds: 0.0,
            done: 0,
            queue_max: 0,
        })
        .collect();
    let mut dock: VecDeque<usize> = VecDeque::new();
    let mut shipped_at: Vec<Option<u64>> = vec![None; arrival_s.len()];
    let mut backlog_by_hour = vec![0u32; hours];
    let (mut arrived, mut shipped) = (0u32, 0u32);

    while let Some(Reverse((now, event))) = events.pop() {
        let mut touched: Option<usize> = None;
        match event {
            Event::Hour(hour) => {
                if hour > 0 {
                    backlog_by_hour[hour - 1] = arrived - shipped;
                }
                for (state, station) in stations.iter_mut().zip(&scenario.stations) {
                    let heads = station.heads_by_hour[hour % station.heads_by_hour.len()];
                    state.capacity = station.positions.map_or(heads, |p| heads.min(p));
                    state.staffed_seconds += f64::from(state.capacity) * 3_600.0;
                }
                for i in 0..stations.len() {
                    start_work(i, now, &mut stations, scenario, &mut rng, &mut events);
                }
            }
            Event::Arrival(order) => {
                arrived += 1;
                stations[0].queue.push_back((order, now));
                touched = Some(0);
            }
            Event::Done { station, order } => {
                stations[station].busy -= 1;
                stations[station].done += 1;
                if station + 1 < stations.len() {
                    stations[station + 1].queue.push_back((order, now));
                    start_work(
                        station + 1,
                        now,
                        &mut stations,
                        scenario,
                        &mut rng,
                        &mut events,
                    );
                } else {
                    dock.push_back(order);
                }
                touched = Some(station);
            }
            Event::Pickup(i) => {
                for _ in 0..scenario.pickups[i].capacity_orders {
                    let Some(order) = dock.pop_front() else { break };
                    shipped_at[order] = Some(now);
                    shipped += 1;
                }
            }
        }
        if let Some(i) = touched {
            start_work(i, now, &mut stations, scenario, &mut rng, &mut events);
            let queued = stations[i].queue.len() as u32;
            stations[i].queue_max = stations[i].queue_max.max(queued);
        }
    }
    if hours > 0 {
        backlog_by_hour[hours - 1] = arrived - shipped;
    }

    let due: Vec<usize> = (0..arrival_s.len()).filter(|&o| ship_by[o] < end).collect();
    let shipped_on_time = due
        .iter()
        .filter(|&&o| shipped_at[o].is_some_and(|t| t <= ship_by[o]))
        .count() as u32;
    let on_time_ship_rate = if due.is_empty() {
        1.0
    } else {
        f64::from(shipped_on_time) / due.len() as f64
    };
    let reports: Vec<StationReport> = stations
        .iter()
        .zip(&scenario.stations)
        .map(|(s, station)| {
            // Orders still queued at the end waited until the end.
            let waiting: f64 = s.queue.iter().map(|&(_, since)| (end - since) as f64).sum();
            let entered = s.done + s.busy + s.queue.len() as u32;
            StationReport {
                name: station.name.clone(),
                orders_done: s.done,
                utilization: if s.staffed_seconds > 0.0 {
                    s.busy_seconds / s.staffed_seconds
                } else {
                    0.0
                },
                wait_minutes_mean: if entered > 0 {
                    (s.wait_seconds + waiting) / 60.0 / f64::from(entered)
                } else {
                    0.0
                },
                queue_max: s.queue_max,
            }
        })
        .collect();
    let longest_wait = reports
        .iter()
        .max_by(|a, b| a.wait_minutes_mean.total_cmp(&b.wait_minutes_mean))
        .expect("at least one station");
    // When no queue holds orders for long, the busiest station is the one
    // that will queue first as volume grows.
    let bottleneck = if longest_wait.wait_minutes_mean >= BOTTLENECK_WAIT_MINUTES_MIN {
        longest_wait.name.clone()
    } else {
        reports
            .iter()
            .max_by(|a, b| a.utilization.total_cmp(&b.utilization))
            .expect("at least one station")
            .name
            .clone()
    };
    PeakReport {
        backlog_by_hour,
        orders: arrived,
        shipped,
        shipped_on_time,
        on_time_ship_rate,
        stations: reports,
        bottleneck,
    }
}

/// Starts queued orders on free heads. Service is not pre-empted when a
/// shift ends: a head finishes the order in hand.
fn start_work(
    i: usize,
    now: u64,
    stations: &mut [StationState],
    scenario: &PeakScenario,
    rng: &mut SplitMix,
    events: &mut BinaryHeap<Reverse<(u64, Event)>>,
) {
    let station = &scenario.stations[i];
    let state = &mut stations[i];
    while state.busy < state.capacity {
        let Some((order, since)) = state.queue.pop_front() else {
            break;
        };
        let jitter = 1.0 + scenario.service_jitter * (2.0 * rng.unit() - 1.0);
        let seconds = (station.minutes_per_order * 60.0 * jitter).max(1.0);
        state.busy += 1;
        state.busy_seconds += seconds;
        state.wait_seconds += (now - since) as f64;
        events.push(Reverse((
            now + seconds.round() as u64,
            Event::Done { station: i, order },
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(pickers: u32, packers: u32) -> PeakScenario {
        PeakScenario {
            orders_by_hour: vec![60; 24],
            stations: vec![
                Station {
                    name: "pick".into(),
                    minutes_per_order: 4.0,
                    heads_by_hour: vec![pickers],
                    positions: None,
                },
                Station {
                    name: "pack".into(),
                    minutes_per_order: 2.0,
                    heads_by_hour: vec![packers],
                    positions: None,
                },
            ],
            pickups: vec![Pickup {
                minute_of_day: 18 * 60,
                capacity_orders: 10_000,
            }],
            order_cutoff_minute_of_day: 14 * 60,
            service_jitter: 0.0,
            seed: 7,
        }
    }

    #[test]
    fn ample_staff_ships_every_due_order_on_time() {
        let report = simulate_peak(&scenario(6, 3));
        assert_eq!(report.orders, 1_440);
        assert_eq!(report.on_time_ship_rate, 1.0);
    }

    #[test]
    fn every_order_is_shipped_or_in_the_backlog() {
        let report = simulate_peak(&scenario(3, 1));
        assert_eq!(
            report.orders - report.shipped,
            *report.backlog_by_hour.last().unwrap()
        );
    }
}
