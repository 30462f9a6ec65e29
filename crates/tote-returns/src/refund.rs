//! What a return pays back, to the cent.
//!
//! The price paid for a line is `unit_price x qty` less the line's discount.
//! The order's discount is shared over the lines by that value, and the
//! shipping charge over the lines by what is left; each share is rounded to
//! the cent by the largest-remainder method, so the shares add up exactly.
//! Within a line, the first `n` units are worth the line's amount times
//! `n / qty` rounded down to the cent, and all `qty` units exactly the
//! amount: refunds of a line's units, however they are split over returns,
//! never pay back more than was paid and add up to it when all come back.

use crate::policy::{Policy, ReturnReason, ShippingRefund};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// One line of the order as paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidLine {
    pub sku: String,
    pub qty: i64,
    pub unit_price: Decimal,
    /// The discount on the line as a whole.
    pub discount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaidOrder {
    pub lines: Vec<PaidLine>,
    /// The discount on the whole order.
    pub discount: Decimal,
    pub shipping: Decimal,
}

/// Units of one order line coming back in this refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefundUnits {
    pub line: usize,
    pub qty: i64,
    pub reason: ReturnReason,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefundLine {
    pub line: usize,
    pub sku: String,
    pub qty: i64,
    pub reason: ReturnReason,
    /// The price paid for these units after both discounts.
    pub merchandise: Decimal,
    pub shipping: Decimal,
    pub restocking_fee: Decimal,
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refund {
    pub lines: Vec<RefundLine>,
    pub merchandise: Decimal,
    pub shipping: Decimal,
    pub restocking_fee: Decimal,
    pub total: Decimal,
}

/// A line's share of what the order cost, after the order discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineShare {
    pub merchandise: Decimal,
    pub shipping: Decimal,
}

fn to_cents(d: Decimal) -> i128 {
    (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
        .to_i128()
        .expect("money amounts are bounded at the edge")
}

fn from_cents(c: i128) -> Decimal {
    Decimal::from_i128_with_scale(c, 2)
}

/// Splits `total` cents in proportion to `weights` (all zero: equally), each
/// share whole cents, the cents left by rounding down going to the largest
/// remainders (the earlier line on a tie). The shares add up to `total`.
pub fn split_cents(total: i128, weights: &[i128]) -> Vec<i128> {
    if weights.is_empty() {
        return Vec::new();
    }
    let ones;
    let mut weights = weights;
    if weights.iter().sum::<i128>() == 0 {
        ones = vec![1; weights.len()];
        weights = &ones;
    }
    let sum: i128 = weights.iter().sum();
    let mut shares: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), i));
    let left = total - shares.iter().sum::<i128>();
    for &i in order
        .iter()
        .take(usize::try_from(left).expect("fewer cents left than lines"))
    {
        shares[i] += 1;
    }
    shares
}

/// Each line's merchandise and shipping share, in cents.
fn shares_cents(o: &PaidOrder) -> Vec<(i128, i128)> {
    let values: Vec<i128> = o
        .lines
        .iter()
        .map(|l| to_cents(l.unit_price * Decimal::from(l.qty) - l.discount).max(0))
        .collect();
    let order_discount = to_cents(o.discount).clamp(0, values.iter().sum());
    let discount = split_cents(order_discount, &values);
    let merchandise: Vec<i128> = values.iter().zip(&discount).map(|(v, d)| v - d).collect();
    let shipping = split_cents(to_cents(o.shipping).max(0), &merchandise);
    merchandise.into_iter().zip(shipping).collect()
}

pub fn line_shares(o: &PaidOrder) -> Vec<LineShare> {
    shares_cents(o)
        .into_iter()
        .map(|(m, s)| LineShare {
            merchandise: from_cents(m),
            shipping: from_cents(s),
        })
        .collect()
}

/// What the first `n` of a line's `qty` units are worth, of `amount` cents.
fn first_units(amount: i128, n: i64, qty: i64) -> i128 {
    if n >= qty {
        amount
    } else {
        amount * i128::from(n) / i128::from(qty)
    }
}

/// The refund of `units`, where `already[line]` units of each order line were
/// refunded before.
///
/// # Panics
/// When more units come back than the line holds: the caller checks the
/// quantities against what shipped before computing.
pub fn refund(o: &PaidOrder, policy: &Policy, already: &[i64], units: &[RefundUnits]) -> Refund {
    let shares = shares_cents(o);
    let mut done: Vec<i64> = (0..o.lines.len())
        .map(|i| already.get(i).copied().unwrap_or(0))
        .collect();
    let mut lines = Vec::new();
    for u in units {
        let paid = &o.lines[u.line];
        let (merch, ship) = shares[u.line];
        let before = done[u.line];
        let after = before + u.qty;
        assert!(
            u.qty >= 0 && after <= paid.qty,
            "line {}: {before} + {} units back of {}",
            u.line,
            u.qty,
            paid.qty
        );
        done[u.line] = after;
        let merchandise =
            first_units(merch, after, paid.qty) - first_units(merch, before, paid.qty);
        let shipping_back = match policy.shipping_refund {
            ShippingRefund::Always => true,
            ShippingRefund::SellerFault => u.reason.seller_fault(),
            ShippingRefund::Never => false,
        };
        let shipping = if shipping_back {
            first_units(ship, after, paid.qty) - first_units(ship, before, paid.qty)
        } else {
            0
        };
        let fee = if u.reason.seller_fault() {
            0
        } else {
            to_cents(
                (from_cents(merchandise) * policy.restocking_fee_pct / Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            )
        };
        lines.push(RefundLine {
            line: u.line,
            sku: paid.sku.clone(),
            qty: u.qty,
            reason: u.reason,
            merchandise: from_cents(merchandise),
            shipping: from_cents(shipping),
            restocking_fee: from_cents(fee),
            amount: from_cents(merchandise + shipping - fee),
        });
    }
    let sum = |f: fn(&RefundLine) -> Decimal| lines.iter().map(f).fold(from_cents(0), |a, b| a + b);
    Refund {
        merchandise: sum(|l| l.merchandise),
        shipping: sum(|l| l.shipping),
        restocking_fee: sum(|l| l.restocking_fee),
        total: sum(|l| l.amount),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn line(sku: &str, qty: i64, price: &str, discount: &str) -> PaidLine {
        PaidLine {
            sku: sku.into(),
            qty,
            unit_price: d(price),
            discount: d(discount),
        }
    }

    /// TEE 2 x 19.00 less 2.00, MUG 1 x 14.00; 10.00 off the order; 5.95 shipping.
    fn order() -> PaidOrder {
        PaidOrder {
            lines: vec![
                line("TEE", 2, "19.00", "2.00"),
                line("MUG", 1, "14.00", "0"),
            ],
            discount: d("10.00"),
            shipping: d("5.95"),
        }
    }

    fn units(line: usize, qty: i64, reason: ReturnReason) -> RefundUnits {
        RefundUnits { line, qty, reason }
    }

    #[test]
    fn refund_shares_order_discount_by_line_value() {
        // Values 36.00 and 14.00 (of 50.00): the 10.00 goes 7.20 and 2.80.
        let s = line_shares(&order());
        assert_eq!(s[0].merchandise, d("28.80"));
        assert_eq!(s[1].merchandise, d("11.20"));
        // Shipping by what is left: 5.95 x 28.80 / 40.00 = 4.284 -> 4.28, 1.67.
        assert_eq!((s[0].shipping, s[1].shipping), (d("4.28"), d("1.67")));
    }

    #[test]
    fn shares_add_up_to_the_cent_by_largest_remainder() {
        assert_eq!(split_cents(1000, &[1000, 1000, 1000]), [334, 333, 333]);
        // 0.05 over 1:1:3 is 0.01, 0.01, 0.03 exactly; 0.04 leaves one cent
        // to the largest remainder (the third share, 2.4).
        assert_eq!(split_cents(5, &[1, 1, 3]), [1, 1, 3]);
        assert_eq!(split_cents(4, &[1, 1, 3]), [1, 1, 2]);
        assert_eq!(split_cents(7, &[0, 0]), [4, 3]);
    }

    #[test]
    fn unit_shares_round_down_until_the_last_unit_takes_the_rest() {
        let o = PaidOrder {
            lines: vec![line("TEE", 3, "3.3333", "0")],
            discount: d("0"),
            shipping: d("0"),
        };
        let p = Policy::default();
        // 10.00 paid for three: 3.33, 3.33, then 3.34.
        let got: Vec<Decimal> = (0..3)
            .map(|already| {
                refund(&o, &p, &[already], &[units(0, 1, ReturnReason::Defective)]).total
            })
            .collect();
        assert_eq!(got, [d("3.33"), d("3.33"), d("3.34")]);
    }

    #[test]
    fn restocking_fee_applies_to_customer_choice_only() {
        let p = Policy {
            restocking_fee_pct: d("15"),
            ..Policy::default()
        };
        let r = refund(
            &order(),
            &p,
            &[0, 0],
            &[
                units(0, 1, ReturnReason::ChangedMind),
                units(1, 1, ReturnReason::Damaged),
            ],
        );
        // One tee: 14.40, fee 15% = 2.16; no shipping back by default.
        assert_eq!(r.lines[0].merchandise, d("14.40"));
        assert_eq!(r.lines[0].restocking_fee, d("2.16"));
        assert_eq!(r.lines[0].shipping, d("0.00"));
        assert_eq!(r.lines[0].amount, d("12.24"));
        // The damaged mug: its price and shipping share, no fee.
        assert_eq!(r.lines[1].amount, d("12.87"));
        assert_eq!(r.total, d("25.11"));
    }

    #[test]
    fn shipping_share_comes_back_by_rule() {
        let tee_back = |rule| {
            let p = Policy {
                shipping_refund: rule,
                ..Policy::default()
            };
            refund(
                &order(),
                &p,
                &[1, 0],
                &[units(0, 1, ReturnReason::WrongSize)],
            )
            .shipping
        };
        // The second tee of two takes the rest of the line's 4.28: 4.28 - 2.14.
        assert_eq!(tee_back(ShippingRefund::Always), d("2.14"));
        assert_eq!(tee_back(ShippingRefund::SellerFault), d("0.00"));
        assert_eq!(tee_back(ShippingRefund::Never), d("0.00"));
    }

    #[test]
    #[should_panic(expected = "units back of")]
    fn more_units_than_the_line_holds_is_a_bug() {
        refund(
            &order(),
            &Policy::default(),
            &[2, 0],
            &[units(0, 1, ReturnReason::Damaged)],
        );
    }

    proptest! {
        /// Any split of an order's units over returns pays back exactly what
        /// was paid (with shipping always refunded and no fee).
        #[test]
        fn returning_every_unit_refunds_exactly_what_was_paid(
            lines in prop::collection::vec((1i64..6, 0i64..5_000, 0i64..3_000), 1..5),
            discount_c in 0i64..20_000,
            shipping_c in 0i64..2_000,
            chunk in 1i64..4,
        ) {
            let o = PaidOrder {
                lines: lines.iter().enumerate().map(|(i, (q, p, dsc))| PaidLine {
                    sku: format!("S{i}"),
                    qty: *q,
                    unit_price: Decimal::new(*p, 2),
                    discount: Decimal::new(*dsc, 2),
                }).collect(),
                discount: Decimal::new(discount_c, 2),
                shipping: Decimal::new(shipping_c, 2),
            };
            let p = Policy { shipping_refund: ShippingRefund::Always, ..Policy::default() };
            let values: i128 = o.lines.iter().map(|l| to_cents(l.unit_price * Decimal::from(l.qty) - l.discount).max(0)).sum();
            let paid = from_cents(values - i128::from(discount_c).min(values) + i128::from(shipping_c));
            let mut already = vec![0; o.lines.len()];
            let mut total = Decimal::ZERO;
            for (i, l) in o.lines.iter().enumerate() {
                while already[i] < l.qty {
                    let q = chunk.min(l.qty - already[i]);
                    let r = refund(&o, &p, &already, &[units(i, q, ReturnReason::Defective)]);
                    prop_assert!(r.total >= Decimal::ZERO);
                    total += r.total;
                    already[i] += q;
                }
            }
            prop_assert_eq!(total, paid);
        }

        #[test]
        fn split_shares_add_up_to_the_total(total in 0i128..1_000_000, weights in prop::collection::vec(0i128..100_000, 1..8)) {
            let s = split_cents(total, &weights);
            prop_assert_eq!(s.iter().sum::<i128>(), total);
            prop_assert!(s.iter().all(|x| *x >= 0));
        }
    }
}
