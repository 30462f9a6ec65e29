//! The words of a return and a channel's return policy.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

macro_rules! words {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }

            /// The accepted words, for an error message.
            pub fn names() -> String {
                Self::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

words! {
    /// Why the customer sends a unit back.
    ReturnReason {
        WrongSize = "wrong_size",
        Damaged = "damaged",
        Defective = "defective",
        NotAsDescribed = "not_as_described",
        WrongItemSent = "wrong_item_sent",
        ChangedMind = "changed_mind",
        ArrivedLate = "arrived_late",
    }
}

impl ReturnReason {
    /// The seller (or its carrier) is at fault: no restocking fee, and the
    /// shipping share comes back under `ShippingRefund::SellerFault`.
    pub fn seller_fault(self) -> bool {
        matches!(
            self,
            ReturnReason::Damaged
                | ReturnReason::Defective
                | ReturnReason::NotAsDescribed
                | ReturnReason::WrongItemSent
                | ReturnReason::ArrivedLate
        )
    }
}

words! {
    /// The condition an inspector gives a returned unit.
    Grade {
        /// New and sellable as such.
        New = "new",
        OpenBox = "open_box",
        Damaged = "damaged",
        Unsellable = "unsellable",
    }
}

words! {
    /// How the unit comes back.
    Method {
        /// A prepaid carrier label (PDF or ZPL) and its tracking number.
        CarrierLabel = "carrier_label",
        /// Dropped at a carrier point with a QR code.
        DropOff = "drop_off",
        /// Brought to a store.
        InStore = "in_store",
    }
}

words! {
    /// When the refund is issued.
    RefundTrigger {
        /// At the carrier's first scan of the return parcel (customer trust).
        CarrierScan = "carrier_scan",
        /// Once the received units are inspected: wrong items get nothing.
        Receipt = "receipt",
        /// Only when asked (`POST /v1/returns/{id}/refund`).
        Manual = "manual",
    }
}

words! {
    /// Whether the shipping the customer paid comes back with the units.
    ShippingRefund {
        Always = "always",
        SellerFault = "seller_fault",
        Never = "never",
    }
}

/// A channel's return policy. Every field has a default, so `{}` is a policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Days a unit may be returned, from delivery (from shipment when no
    /// delivery was recorded).
    pub window_days: u32,
    /// Windows of their own for some categories (apparel: 60).
    pub category_window_days: BTreeMap<String, u32>,
    /// SKUs and categories sold as final.
    pub final_sale_skus: Vec<String>,
    pub final_sale_categories: Vec<String>,
    /// At most this many returns per customer (email) in `period_days`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_returns: Option<u32>,
    pub period_days: u32,
    pub methods: Vec<Method>,
    pub refund_trigger: RefundTrigger,
    /// Percent of the merchandise refund kept on returns that are the
    /// customer's choice (not the seller's fault).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15"))]
    pub restocking_fee_pct: Decimal,
    pub shipping_refund: ShippingRefund,
    /// The node returns go to; the node that shipped when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_to: Option<String>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            window_days: 30,
            category_window_days: BTreeMap::new(),
            final_sale_skus: Vec::new(),
            final_sale_categories: Vec::new(),
            max_returns: None,
            period_days: 30,
            methods: Method::ALL.to_vec(),
            refund_trigger: RefundTrigger::Receipt,
            restocking_fee_pct: Decimal::ZERO,
            shipping_refund: ShippingRefund::SellerFault,
            return_to: None,
        }
    }
}

/// The longest window or period a policy may set, in days.
pub const POLICY_DAYS_MAX: u32 = 3_650;
/// The most SKUs, categories or category windows a policy lists.
pub const POLICY_LIST_MAX: usize = 1_000;

impl Policy {
    /// Every problem, as (field, problem).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut days = |field: String, d: u32, min: u32| {
            if !(min..=POLICY_DAYS_MAX).contains(&d) {
                out.push((
                    field,
                    format!("must be between {min} and {POLICY_DAYS_MAX}"),
                ));
            }
        };
        days("window_days".into(), self.window_days, 0);
        days("period_days".into(), self.period_days, 1);
        for (c, d) in &self.category_window_days {
            days(format!("category_window_days.{c}"), *d, 0);
        }
        for (field, n) in [
            ("final_sale_skus", self.final_sale_skus.len()),
            ("final_sale_categories", self.final_sale_categories.len()),
            ("category_window_days", self.category_window_days.len()),
        ] {
            if n > POLICY_LIST_MAX {
                out.push((field.into(), format!("must list at most {POLICY_LIST_MAX}")));
            }
        }
        if self.methods.is_empty() {
            out.push(("methods".into(), "must offer at least one method".into()));
        }
        if self.restocking_fee_pct < Decimal::ZERO || self.restocking_fee_pct > Decimal::ONE_HUNDRED
        {
            out.push((
                "restocking_fee_pct".into(),
                "must be between 0 and 100".into(),
            ));
        }
        out
    }

    /// The window for a SKU of this category.
    pub fn window_for(&self, category: Option<&str>) -> u32 {
        category
            .and_then(|c| self.category_window_days.get(c))
            .copied()
            .unwrap_or(self.window_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_only_customer_choices_are_not_seller_fault() {
        for r in ReturnReason::ALL {
            assert_eq!(ReturnReason::parse(r.as_str()), Some(*r));
        }
        let choices: Vec<_> = ReturnReason::ALL
            .iter()
            .filter(|r| !r.seller_fault())
            .collect();
        assert_eq!(
            choices,
            [&ReturnReason::WrongSize, &ReturnReason::ChangedMind]
        );
        assert_eq!(Grade::parse("open_box"), Some(Grade::OpenBox));
        assert_eq!(Grade::parse("mint"), None);
    }

    #[test]
    fn policy_refuses_a_fee_above_one_hundred_percent_and_no_methods() {
        let p = Policy {
            restocking_fee_pct: Decimal::from(101),
            methods: vec![],
            ..Policy::default()
        };
        let fields: Vec<_> = p.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["methods", "restocking_fee_pct"]);
        assert!(Policy::default().problems().is_empty());
    }
}
