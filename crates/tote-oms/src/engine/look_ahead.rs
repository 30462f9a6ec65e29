//! Look-ahead prices in the live engine: demand per destination region from
//! the recent order history, a transportation LP per SKU over it
//! (`tote_sourcing::lookahead`), and the nodes' dual prices kept for the
//! channels that use them. Recomputed on request and on the first order of
//! each day (the day is the command's time, never the clock's).

use super::omni_engine::place;
use super::*;
use crate::omni::{LookAheadInput, LookAheadSku, LookAheadView, NodePrice, RegionDemand};
use tote_core::{Address, NodeKind};
use tote_sourcing::lookahead::{dual_prices, forecast_demand};
use tote_sourcing::{ShipCost, TransportRater};
use tote_store::{OrderFilter, SourcingConfigRow};

const WINDOW_DAYS_DEFAULT: u32 = 28;
const HORIZON_DAYS_DEFAULT: u32 = 28;
const DAYS_MAX: u32 = 366;
/// Orders read per page of history.
const HISTORY_PAGE: usize = 500;
const DAY_US: i64 = 86_400_000_000;

/// `US-021`: the country and the postal code's first three characters.
fn region_of(a: &Address) -> String {
    let p: String = a
        .postal_code
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(3)
        .collect();
    format!(
        "{}-{}",
        a.country.to_ascii_uppercase(),
        p.to_ascii_uppercase()
    )
}

/// Units ordered per SKU and region, with the region's most common address.
#[derive(Default)]
struct History {
    units: BTreeMap<String, BTreeMap<String, i64>>,
    postal: BTreeMap<String, BTreeMap<(String, String), u32>>,
}

impl Engine {
    /// The look-ahead price of one unit of each line's SKU at `node`; empty
    /// when none is priced.
    pub(super) fn unit_prices(&self, org: OrgId, node: &str, lines: &[(SkuId, Qty)]) -> Vec<i64> {
        let v: Vec<i64> = lines
            .iter()
            .map(|(sku, _)| {
                self.sku_codes
                    .get(sku)
                    .and_then(|code| self.sourcing.prices.get(&(org, code.clone())))
                    .and_then(|p| p.get(node))
                    .copied()
                    .unwrap_or(0)
            })
            .collect();
        if v.iter().all(|&c| c == 0) {
            Vec::new()
        } else {
            v
        }
    }

    /// The first order of a day refreshes the prices when a channel uses them.
    pub(super) fn look_ahead_daily(&mut self, env: &Envelope, channel: &str) {
        let day = env.at.0.div_euclid(DAY_US);
        let uses = self
            .sourcing
            .channels
            .get(&(env.org, channel.to_owned()))
            .is_some_and(|p| p.look_ahead);
        if uses
            && self
                .sourcing
                .prices_day
                .get(&env.org)
                .is_none_or(|&d| d < day)
        {
            // History that cannot be read fails before anything changed: the
            // order goes on with the last prices and the next one retries.
            let _stale = self.refresh_look_ahead(env, &LookAheadInput::default());
        }
    }

    fn history(&self, org: OrgId, since: Timestamp) -> Result<History, OpError> {
        let mut h = History::default();
        let mut before_id = None;
        loop {
            let page = self
                .reader
                .orders(
                    org,
                    &OrderFilter {
                        before_id,
                        limit: HISTORY_PAGE,
                        ..OrderFilter::default()
                    },
                )
                .map_err(|e| OpError::Store(e.to_string()))?;
            let mut older = false;
            for o in &page.items {
                let Some(at) = Timestamp::parse_rfc3339(&o.placed_at) else {
                    continue;
                };
                if at < since {
                    older = true;
                    continue;
                }
                if o.status == OrderStatus::Cancelled || o.pickup_node.is_some() {
                    continue;
                }
                let region = region_of(&o.ship_to);
                for l in &o.lines {
                    *h.units
                        .entry(l.sku.clone())
                        .or_default()
                        .entry(region.clone())
                        .or_insert(0) += l.qty.0;
                }
                *h.postal
                    .entry(region)
                    .or_default()
                    .entry((o.ship_to.country.clone(), o.ship_to.postal_code.clone()))
                    .or_insert(0) += 1;
            }
            match page.next_before_id {
                Some(id) if !older => before_id = Some(id),
                _ => break,
            }
        }
        Ok(h)
    }

    pub(super) fn refresh_look_ahead(
        &mut self,
        env: &Envelope,
        input: &LookAheadInput,
    ) -> Result<Outcome, OpError> {
        let mut c = Checker::new();
        for (field, v) in [
            ("window_days", input.window_days),
            ("horizon_days", input.horizon_days),
        ] {
            if v.is_some_and(|d| !(1..=DAYS_MAX).contains(&d)) {
                c.fail(field, format!("must be 1 to {DAYS_MAX}"));
            }
        }
        c.finish()?;
        let window = input.window_days.unwrap_or(WINDOW_DAYS_DEFAULT);
        let horizon = input.horizon_days.unwrap_or(HORIZON_DAYS_DEFAULT);
        let since = Timestamp(env.at.0 - i64::from(window) * DAY_US);
        let history = self.history(env.org, since)?;
        let service = self
            .sourcing
            .carriers
            .service(crate::omni::SOURCING_SERVICE)
            .expect("checked when loaded")
            .clone();
        let today = env.at.to_datetime().date_naive();
        let mut skus = Vec::new();
        let mut prices: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
        for (code, by_region) in &history.units {
            let Some(sku) = self.sku(env.org, code).map(|s| (s.id, s.input.weight_g)) else {
                continue;
            };
            let (sku_id, weight_g) = sku;
            // Nodes that can ship, with the units they may offer online.
            let mut nodes = Vec::new();
            for (id, a) in self.available_by_node(sku_id) {
                let Some(n) = self.node_by_id.get(&id).filter(|n| n.org == env.org) else {
                    continue;
                };
                let p = self.profile_of(n);
                let is_store = n.input.kind == NodeKind::Store;
                if !(if is_store {
                    p.caps.ship_from_store
                } else {
                    p.caps.ship
                }) {
                    continue;
                }
                let supply = if is_store {
                    (a - p.safety_buffer_units).max(0)
                } else {
                    a
                };
                let origin = place(&n.input.address.country, &n.input.address.postal_code);
                nodes.push((n.input.code.clone(), supply, origin, p));
            }
            let regions: Vec<(&String, i64)> = by_region.iter().map(|(r, &u)| (r, u)).collect();
            let units: Vec<i64> = regions.iter().map(|r| r.1).collect();
            let supply: Vec<i64> = nodes.iter().map(|n| n.1).collect();
            let demand = forecast_demand(&units, window, horizon, supply.iter().sum());
            let origins: Vec<_> = nodes.iter().map(|n| n.2.clone()).collect();
            let cost: Vec<Vec<i64>> = {
                let mut cost = vec![vec![0; regions.len()]; nodes.len()];
                for (m, (region, _)) in regions.iter().enumerate() {
                    let dest = history.postal.get(*region).and_then(|p| {
                        let ((country, postal), _) = p
                            .iter()
                            .max_by_key(|(k, n)| (**n, std::cmp::Reverse((*k).clone())))?;
                        place(country, postal)
                    });
                    let mut rater =
                        TransportRater::new(&service, &origins, dest.as_ref(), true, today);
                    for (j, n) in nodes.iter().enumerate() {
                        cost[j][m] = rater.parcel_cents(j, u64::from(weight_g.max(1)))
                            + n.3.handling_order_cents
                            + n.3.handling_unit_cents;
                    }
                }
                cost
            };
            let mut node_prices = BTreeMap::new();
            if !nodes.is_empty()
                && let Ok(a) =
                    dual_prices(&supply, &demand, &cost, tote_sourcing::sim::LOST_UNIT_CENTS)
            {
                for (n, cents) in nodes.iter().zip(a) {
                    if cents > 0 {
                        node_prices.insert(n.0.clone(), cents);
                    }
                }
            }
            skus.push(LookAheadSku {
                sku: code.clone(),
                demand: regions
                    .iter()
                    .zip(&demand)
                    .map(|(r, &f)| RegionDemand {
                        region: r.0.clone(),
                        units_in_window: r.1,
                        forecast: (f * 100.0).round() / 100.0,
                    })
                    .collect(),
                prices: node_prices
                    .iter()
                    .map(|(node, &cents)| NodePrice {
                        node: node.clone(),
                        cents,
                    })
                    .collect(),
            });
            prices.insert(code.clone(), node_prices);
        }
        // SKUs priced before and not now lose their prices.
        let old: Vec<String> = self
            .sourcing
            .prices
            .keys()
            .filter(|(org, code)| *org == env.org && !prices.contains_key(code))
            .map(|(_, code)| code.clone())
            .collect();
        for code in old {
            prices.insert(code, BTreeMap::new());
        }
        for (code, p) in prices {
            self.group.sourcing_config.push(SourcingConfigRow {
                org: env.org,
                kind: "lookahead".into(),
                code: code.clone(),
                body: serde_json::to_string(&p).expect("prices serialise"),
            });
            if p.is_empty() {
                self.sourcing.prices.remove(&(env.org, code));
            } else {
                self.sourcing.prices.insert((env.org, code), p);
            }
        }
        let day = env.at.0.div_euclid(DAY_US);
        self.sourcing.prices_day.insert(env.org, day);
        self.group.sourcing_config.push(SourcingConfigRow {
            org: env.org,
            kind: "lookahead_day".into(),
            code: "day".into(),
            body: day.to_string(),
        });
        let view = LookAheadView {
            refreshed_at: env.at.to_rfc3339(),
            window_days: window,
            horizon_days: horizon,
            skus,
        };
        self.event(
            env,
            EventKind::LookAheadRefreshed,
            "look_ahead",
            json!({ "look_ahead": view }),
        );
        Ok(Outcome::LookAhead(view))
    }
}
