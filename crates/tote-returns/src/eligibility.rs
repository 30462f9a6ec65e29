//! May these units come back? The policy's rules, each refusal named.

use crate::DAY_US;
use crate::policy::{Method, Policy};
use serde::Serialize;

/// One unit line asked for, with what the catalog says of its SKU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRequest<'a> {
    pub sku: &'a str,
    pub category: Option<&'a str>,
    /// The SKU is a dangerous good (it has a UN number).
    pub hazmat: bool,
}

/// The facts about the order and the customer the rules read. Times are
/// microseconds (the caller passes them in; nothing here reads a clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestFacts {
    pub shipped_at_us: i64,
    pub delivered_at_us: Option<i64>,
    pub now_us: i64,
    pub method: Method,
    /// Returns the same customer opened within the policy's period, before this one.
    pub customer_returns_in_period: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    WindowClosed,
    FinalSale,
    HazmatByParcel,
    TooManyReturns,
    MethodNotOffered,
}

/// Why a request (or one of its lines) is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The line refused; none when the whole request is.
    pub line: Option<usize>,
    pub rule: Rule,
    pub why: String,
}

/// Whole days from delivery (or shipment) to now.
pub fn days_since_delivery(f: &RequestFacts) -> i64 {
    let start = f.delivered_at_us.unwrap_or(f.shipped_at_us);
    (f.now_us - start).div_euclid(DAY_US)
}

/// Every rule the request breaks; empty when it may go ahead.
pub fn check(policy: &Policy, facts: &RequestFacts, lines: &[UnitRequest<'_>]) -> Vec<Refusal> {
    let mut out = Vec::new();
    if !policy.methods.contains(&facts.method) {
        out.push(Refusal {
            line: None,
            rule: Rule::MethodNotOffered,
            why: format!("{} is not offered on this channel", facts.method.as_str()),
        });
    }
    if let Some(max) = policy.max_returns
        && facts.customer_returns_in_period >= max
    {
        out.push(Refusal {
            line: None,
            rule: Rule::TooManyReturns,
            why: format!(
                "{} returns in the last {} days, at most {max} allowed",
                facts.customer_returns_in_period, policy.period_days
            ),
        });
    }
    let days = days_since_delivery(facts);
    let from = if facts.delivered_at_us.is_some() {
        "delivery"
    } else {
        "shipment"
    };
    for (i, l) in lines.iter().enumerate() {
        let window = policy.window_for(l.category);
        if days > i64::from(window) {
            out.push(Refusal {
                line: Some(i),
                rule: Rule::WindowClosed,
                why: format!(
                    "{days} days since {from}; {} may be returned for {window}",
                    l.sku
                ),
            });
        }
        let final_category = l
            .category
            .filter(|c| policy.final_sale_categories.iter().any(|f| f == c));
        if policy.final_sale_skus.iter().any(|s| s == l.sku) {
            out.push(Refusal {
                line: Some(i),
                rule: Rule::FinalSale,
                why: format!("{} was sold as final", l.sku),
            });
        } else if let Some(c) = final_category {
            out.push(Refusal {
                line: Some(i),
                rule: Rule::FinalSale,
                why: format!("{c} is sold as final"),
            });
        }
        if l.hazmat && facts.method == Method::CarrierLabel {
            out.push(Refusal {
                line: Some(i),
                rule: Rule::HazmatByParcel,
                why: format!(
                    "{} is a dangerous good: it cannot come back by parcel",
                    l.sku
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_US;

    fn facts(days: i64) -> RequestFacts {
        RequestFacts {
            shipped_at_us: 0,
            delivered_at_us: None,
            now_us: days * DAY + 3_600_000_000,
            method: Method::CarrierLabel,
            customer_returns_in_period: 0,
        }
    }

    fn tee() -> UnitRequest<'static> {
        UnitRequest {
            sku: "TEE",
            category: Some("apparel"),
            hazmat: false,
        }
    }

    fn rules(p: &Policy, f: &RequestFacts, l: &[UnitRequest<'_>]) -> Vec<Rule> {
        check(p, f, l).into_iter().map(|r| r.rule).collect()
    }

    #[test]
    fn window_counts_whole_days_and_its_last_day_is_open() {
        let p = Policy::default();
        assert_eq!(rules(&p, &facts(30), &[tee()]), []);
        assert_eq!(rules(&p, &facts(31), &[tee()]), [Rule::WindowClosed]);
    }

    #[test]
    fn window_runs_from_delivery_when_one_was_recorded() {
        let p = Policy::default();
        let mut f = facts(40);
        f.delivered_at_us = Some(15 * DAY);
        assert_eq!(rules(&p, &f, &[tee()]), []);
        assert_eq!(days_since_delivery(&f), 25);
    }

    #[test]
    fn category_window_overrides_the_channel_window() {
        let mut p = Policy::default();
        p.category_window_days.insert("apparel".into(), 60);
        assert_eq!(rules(&p, &facts(45), &[tee()]), []);
        let mug = UnitRequest {
            sku: "MUG",
            category: Some("kitchen"),
            hazmat: false,
        };
        assert_eq!(rules(&p, &facts(45), &[mug]), [Rule::WindowClosed]);
    }

    #[test]
    fn final_sale_sku_or_category_is_refused_on_its_line_only() {
        let p = Policy {
            final_sale_skus: vec!["TEE".into()],
            final_sale_categories: vec!["clearance".into()],
            ..Policy::default()
        };
        let cap = UnitRequest {
            sku: "CAP",
            category: Some("clearance"),
            hazmat: false,
        };
        let mug = UnitRequest {
            sku: "MUG",
            category: None,
            hazmat: false,
        };
        let out = check(&p, &facts(1), &[tee(), mug, cap]);
        let lines: Vec<_> = out.iter().map(|r| (r.line, r.rule)).collect();
        assert_eq!(
            lines,
            [(Some(0), Rule::FinalSale), (Some(2), Rule::FinalSale)]
        );
    }

    #[test]
    fn hazmat_cannot_come_back_by_parcel_but_can_in_store() {
        let p = Policy::default();
        let battery = UnitRequest {
            sku: "BATT",
            category: None,
            hazmat: true,
        };
        assert_eq!(
            rules(&p, &facts(1), std::slice::from_ref(&battery)),
            [Rule::HazmatByParcel]
        );
        let mut f = facts(1);
        f.method = Method::InStore;
        assert_eq!(rules(&p, &f, &[battery]), []);
    }

    #[test]
    fn max_returns_per_customer_refuses_the_one_past_the_limit() {
        let p = Policy {
            max_returns: Some(2),
            ..Policy::default()
        };
        let mut f = facts(1);
        f.customer_returns_in_period = 1;
        assert_eq!(rules(&p, &f, &[tee()]), []);
        f.customer_returns_in_period = 2;
        assert_eq!(rules(&p, &f, &[tee()]), [Rule::TooManyReturns]);
    }

    #[test]
    fn a_method_the_channel_does_not_offer_is_refused() {
        let p = Policy {
            methods: vec![Method::InStore],
            ..Policy::default()
        };
        assert_eq!(rules(&p, &facts(1), &[tee()]), [Rule::MethodNotOffered]);
    }
}
