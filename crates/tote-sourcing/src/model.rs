//! Node fulfilment profiles and channel policies: what users configure, as plain data.

use serde::{Deserialize, Serialize};

/// Every configurable list (nodes a channel may use, excluded and preferred
/// nodes) holds at most this many codes.
pub const POLICY_NODES_MAX: usize = 256;
/// The largest amount of money a rule or profile may name: 100,000.00.
pub const MONEY_CENTS_MAX: i64 = 10_000_000;

/// What a node can do for an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Caps {
    /// Ships parcels from a warehouse (DCs, 3PLs, drop-ship vendors).
    #[serde(default = "yes")]
    pub ship: bool,
    /// Customers collect orders here (BOPIS).
    #[serde(default)]
    pub pickup: bool,
    /// A store whose staff pick and ship online orders.
    #[serde(default)]
    pub ship_from_store: bool,
    #[serde(default)]
    pub same_day: bool,
}

fn yes() -> bool {
    true
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            ship: true,
            pickup: false,
            ship_from_store: false,
            same_day: false,
        }
    }
}

/// How a node fulfils: its capabilities, costs, capacity and store buffer.
/// Money is in cents of the network's currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NodeProfile {
    #[serde(default)]
    pub caps: Caps,
    /// Labour and materials per shipment leaving the node.
    #[serde(default)]
    pub handling_order_cents: i64,
    /// Labour per unit picked.
    #[serde(default)]
    pub handling_unit_cents: i64,
    /// Shipments the node can send per day; `None` is unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_orders_day: Option<u32>,
    /// Units the node can pick per day; `None` is unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_units_day: Option<u32>,
    /// Units of each SKU a store keeps for walk-in customers and never offers online.
    #[serde(default)]
    pub safety_buffer_units: i64,
    /// Working days between release and the parcel being ready for the carrier.
    #[serde(default)]
    pub handling_days: u32,
    /// Days the node does not work (`YYYY-MM-DD`): no parcel leaves on them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date))]
    pub holidays: Vec<chrono::NaiveDate>,
    /// Days a ready pickup order waits for its customer before the end-of-day
    /// sweep cancels it (0: it must be collected the day it is ready);
    /// `None` is 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_hold_days: Option<u32>,
}

impl NodeProfile {
    /// Field-level problems, as `(field, problem)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let money_max = MONEY_CENTS_MAX;
        for (field, v) in [
            ("handling_order_cents", self.handling_order_cents),
            ("handling_unit_cents", self.handling_unit_cents),
        ] {
            if !(0..=money_max).contains(&v) {
                out.push((field.into(), format!("must be 0 to {money_max}")));
            }
        }
        if !(0..=1_000_000).contains(&self.safety_buffer_units) {
            out.push(("safety_buffer_units".into(), "must be 0 to 1000000".into()));
        }
        if self.handling_days > 30 {
            out.push(("handling_days".into(), "must be at most 30".into()));
        }
        if self.pickup_hold_days.is_some_and(|d| d > 90) {
            out.push(("pickup_hold_days".into(), "must be at most 90".into()));
        }
        if self.holidays.len() > crate::promise::HOLIDAYS_MAX {
            out.push((
                "holidays".into(),
                format!("must hold at most {} dates", crate::promise::HOLIDAYS_MAX),
            ));
        }
        out
    }
}

/// Sourcing rules a user states without code; each channel has its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Nodes never used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Nodes that win ties, and that get `prefer_credit_cents` off each shipment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefer: Vec<String>,
    #[serde(default)]
    pub prefer_credit_cents: i64,
    /// Shipments beyond the first an order may become.
    #[serde(default = "default_max_splits")]
    pub max_splits: u32,
    /// One shipment with every unit, or nothing reserved.
    #[serde(default)]
    pub ship_complete: bool,
    /// Orders worth less than this never split.
    #[serde(default)]
    pub low_value_split_threshold_cents: i64,
    /// Cost of each shipment beyond the first (customer experience, extra touches).
    #[serde(default = "default_split_penalty")]
    pub split_penalty_cents: i64,
}

fn default_max_splits() -> u32 {
    2
}
fn default_split_penalty() -> i64 {
    200
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            exclude: Vec::new(),
            prefer: Vec::new(),
            prefer_credit_cents: 0,
            max_splits: default_max_splits(),
            ship_complete: false,
            low_value_split_threshold_cents: 0,
            split_penalty_cents: default_split_penalty(),
        }
    }
}

/// A channel's inventory policy and sourcing rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChannelPolicy {
    /// Nodes that serve the channel; empty means every node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// Percent of each node's available units of a SKU the channel may take.
    #[serde(default = "default_share")]
    pub share_pct: u32,
    /// At most this many units of a SKU at one node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_units: Option<i64>,
    /// Backorders of higher-priority (lower number) channels are filled first.
    #[serde(default)]
    pub priority: u32,
    /// Price units by the look-ahead dual prices as well as by cost.
    #[serde(default)]
    pub look_ahead: bool,
    /// An order that gives no ship-by must leave this many hours after it is
    /// placed; without it, by the chosen nodes' first carrier pickup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_by_hours: Option<u32>,
    #[serde(default)]
    pub rules: Rules,
}

fn default_share() -> u32 {
    100
}

impl Default for ChannelPolicy {
    fn default() -> ChannelPolicy {
        ChannelPolicy {
            nodes: Vec::new(),
            share_pct: 100,
            cap_units: None,
            priority: 0,
            look_ahead: false,
            ship_by_hours: None,
            rules: Rules::default(),
        }
    }
}

impl ChannelPolicy {
    pub fn serves(&self, node: &str) -> bool {
        self.nodes.is_empty() || self.nodes.iter().any(|n| n == node)
    }

    /// Field-level problems, as `(field, problem)`; node codes are checked by the caller.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !(1..=100).contains(&self.share_pct) {
            out.push(("share_pct".into(), "must be 1 to 100".into()));
        }
        if let Some(cap) = self.cap_units
            && cap < 0
        {
            out.push(("cap_units".into(), "must not be negative".into()));
        }
        for (field, list) in [
            ("nodes", &self.nodes),
            ("rules.exclude", &self.rules.exclude),
            ("rules.prefer", &self.rules.prefer),
        ] {
            if list.len() > POLICY_NODES_MAX {
                out.push((
                    field.into(),
                    format!("must hold at most {POLICY_NODES_MAX} nodes"),
                ));
            }
        }
        if let Some(h) = self.ship_by_hours
            && !(1..=720).contains(&h)
        {
            out.push(("ship_by_hours".into(), "must be 1 to 720".into()));
        }
        let r = &self.rules;
        if r.max_splits > 8 {
            out.push(("rules.max_splits".into(), "must be at most 8".into()));
        }
        for (field, v) in [
            ("rules.prefer_credit_cents", r.prefer_credit_cents),
            (
                "rules.low_value_split_threshold_cents",
                r.low_value_split_threshold_cents,
            ),
            ("rules.split_penalty_cents", r.split_penalty_cents),
        ] {
            if !(0..=MONEY_CENTS_MAX).contains(&v) {
                out.push((field.into(), "must be 0 to 10000000 cents".into()));
            }
        }
        out
    }

    /// Every node code the policy names, with the field that names it.
    pub fn named_nodes(&self) -> Vec<(String, &str)> {
        let mut all = Vec::new();
        for (field, list) in [
            ("nodes", &self.nodes),
            ("rules.exclude", &self.rules.exclude),
            ("rules.prefer", &self.rules.prefer),
        ] {
            for (i, n) in list.iter().enumerate() {
                all.push((format!("{field}[{i}]"), n.as_str()));
            }
        }
        all
    }
}

/// Units of one SKU at one node a channel may promise: the ledger's available,
/// less the store buffer, times the channel's share (rounded down), at most its cap;
/// nothing at a node the channel does not use.
pub fn channel_available(
    raw_available: i64,
    node: &str,
    is_store: bool,
    profile: &NodeProfile,
    policy: &ChannelPolicy,
) -> i64 {
    if !policy.serves(node) || policy.rules.exclude.iter().any(|n| n == node) {
        return 0;
    }
    let mut a = raw_available;
    if is_store {
        a -= profile.safety_buffer_units;
    }
    let a = a.max(0) * i64::from(policy.share_pct.min(100)) / 100;
    match policy.cap_units {
        Some(cap) => a.min(cap),
        None => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_buffer_is_never_offered_online() {
        let p = NodeProfile {
            safety_buffer_units: 2,
            ..NodeProfile::default()
        };
        let web = ChannelPolicy::default();
        assert_eq!(channel_available(5, "S1", true, &p, &web), 3);
        assert_eq!(channel_available(2, "S1", true, &p, &web), 0);
        assert_eq!(channel_available(1, "S1", true, &p, &web), 0);
        // A DC keeps no buffer even when its profile names one.
        assert_eq!(channel_available(5, "DC1", false, &p, &web), 5);
    }

    #[test]
    fn marketplace_share_rounds_down_and_cap_bounds_it() {
        let p = NodeProfile::default();
        let market = ChannelPolicy {
            share_pct: 80,
            cap_units: Some(50),
            ..ChannelPolicy::default()
        };
        assert_eq!(channel_available(9, "DC1", false, &p, &market), 7);
        assert_eq!(channel_available(100, "DC1", false, &p, &market), 50);
    }

    #[test]
    fn a_channel_sees_nothing_at_nodes_it_does_not_use() {
        let p = NodeProfile::default();
        let wholesale = ChannelPolicy {
            nodes: vec!["DC2".into()],
            ..ChannelPolicy::default()
        };
        assert_eq!(channel_available(10, "DC1", false, &p, &wholesale), 0);
        assert_eq!(channel_available(10, "DC2", false, &p, &wholesale), 10);
    }

    #[test]
    fn policies_read_with_defaults_and_refuse_unknown_fields() {
        let p: ChannelPolicy = serde_json_like(r#"{"share_pct":80}"#);
        assert_eq!(p.rules.max_splits, 2);
        assert_eq!(p.rules.split_penalty_cents, 200);
        assert!(serde_json::from_str::<ChannelPolicy>(r#"{"sharepct":80}"#).is_err());
    }

    fn serde_json_like(s: &str) -> ChannelPolicy {
        serde_json::from_str(s).expect("valid policy")
    }
}
