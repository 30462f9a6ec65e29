//! Merging is the basis of cuts and periods: the accumulators of two halves of a
//! fact set, merged, must equal the accumulator that observed the whole set; and
//! retracting facts must equal never having observed them. Method: random order,
//! return and snapshot facts over a few days, split at a random point.

use proptest::prelude::*;
use tote_core::NodeId;
use tote_metrics::{
    Accumulator, Backlog, Board, Cancellation, ClickToDoor, CostPerOrder, Cut, Day, DaysOfSupply,
    InventoryTurns, Metric, Observe, OrderAccuracy, OrderCycleTime, OrderFact, OrderFillRate, Otif,
    Period, ReturnRate, ShrinkRate, UnitFillRate, Value,
};

use crate::support::{day, dec, h, open_order, order, snapshot};

fn order_fact() -> impl Strategy<Value = OrderFact> {
    (
        0u64..1_000,
        0i64..96,
        1i64..5,
        0i64..5,
        0u8..4,
        0i64..200,
        0i64..200,
    )
        .prop_map(|(id, placed, units, short, kind, ship_h, deliver_h)| {
            let mut o = match kind {
                0 => open_order(id, placed, units, placed + 30),
                _ => order(id, placed, units),
            };
            o.units_shipped_first_attempt = (units - short).max(0).min(o.units_shipped);
            if kind >= 1 {
                o.shipped_at = Some(h(placed + ship_h));
                o.delivered_at = Some(h(placed + ship_h + deliver_h));
            }
            if kind == 2 {
                o.cancelled = Some(Cancellation::ByOperation);
            }
            if kind == 3 {
                o.shipped_complete_in_one_go = false;
                o.errors.damaged = true;
            }
            o
        })
}

fn check_merge<A, F>(facts: &[F], split: usize)
where
    A: Observe<F> + PartialEq + std::fmt::Debug,
{
    let split = split.min(facts.len());
    let (mut left, mut right, mut all) = (A::default(), A::default(), A::default());
    facts[..split].iter().for_each(|f| left.observe(f));
    facts[split..].iter().for_each(|f| right.observe(f));
    facts.iter().for_each(|f| all.observe(f));
    left.merge(&right);
    assert_eq!(left, all);
}

fn check_retract<A, F>(facts: &[F], split: usize)
where
    A: Observe<F> + PartialEq + std::fmt::Debug,
{
    let split = split.min(facts.len());
    let (mut kept, mut all) = (A::default(), A::default());
    facts[..split].iter().for_each(|f| kept.observe(f));
    facts.iter().for_each(|f| all.observe(f));
    facts[split..].iter().for_each(|f| all.retract(f));
    assert_eq!(all, kept);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_two_halves_equals_observing_all(
        // Up to 600 orders, so the duration sketches pass their exact limit.
        orders in prop::collection::vec(order_fact(), 0..600),
        split in 0usize..600,
    ) {
        check_merge::<UnitFillRate, _>(&orders, split);
        check_merge::<OrderFillRate, _>(&orders, split);
        check_merge::<Otif, _>(&orders, split);
        check_merge::<OrderCycleTime, _>(&orders, split);
        check_merge::<ClickToDoor, _>(&orders, split);
        check_merge::<OrderAccuracy, _>(&orders, split);
        check_merge::<CostPerOrder, _>(&orders, split);
        check_merge::<ReturnRate, _>(&orders, split);
        check_merge::<InventoryTurns, _>(&orders, split);
        check_merge::<DaysOfSupply, _>(&orders, split);
        let split = split.min(orders.len());
        let (mut left, mut right, mut all) = (Backlog::default(), Backlog::default(), Backlog::default());
        orders[..split].iter().for_each(|o| left.observe(o));
        orders[split..].iter().for_each(|o| right.observe(o));
        orders.iter().for_each(|o| all.observe(o));
        left.merge(&right);
        prop_assert_eq!(left, all);
    }

    #[test]
    fn board_answers_equal_observing_only_the_facts_of_that_period_and_cut(
        orders in prop::collection::vec((order_fact(), 1u32..3), 0..150),
        from in 0i32..4,
        length in 0i32..4,
    ) {
        let mut board = Board::new(dec("0.25"));
        let orders: Vec<OrderFact> = orders
            .into_iter()
            .map(|(mut o, node)| {
                o.cuts.node = Some(NodeId(node));
                o
            })
            .collect();
        orders.iter().for_each(|o| board.observe(o));
        let period = Period::new(day(from), day(from + length));
        for cut in [Cut::All, Cut::Node(NodeId(1)), Cut::Node(NodeId(2))] {
            let mut fill = UnitFillRate::default();
            let mut otif = Otif::default();
            for o in orders.iter().filter(|o| cut == Cut::All || cut == Cut::Node(o.cuts.node.expect("set"))) {
                if period.contains(Day::of(o.placed_at)) {
                    fill.observe(o);
                }
                if period.contains(Day::of(o.deliver_by)) {
                    otif.observe(o);
                }
            }
            prop_assert_eq!(board.value(Metric::UnitFillRate, period, cut), Value::Count(fill.value()));
            prop_assert_eq!(board.value(Metric::Otif, period, cut), Value::Count(otif.value()));
        }
    }

    #[test]
    fn retracting_facts_equals_never_observing_them(
        orders in prop::collection::vec(order_fact(), 0..200),
        split in 0usize..200,
    ) {
        check_retract::<UnitFillRate, _>(&orders, split);
        check_retract::<Otif, _>(&orders, split);
        check_retract::<OrderCycleTime, _>(&orders, split);
        check_retract::<CostPerOrder, _>(&orders, split);
    }

    #[test]
    fn merging_snapshot_halves_equals_observing_all(
        snaps in prop::collection::vec((0i32..5, 1u32..4, 0i64..20, 0i64..500), 0..60),
        split in 0usize..60,
    ) {
        let facts: Vec<_> = snaps
            .iter()
            .map(|&(d, sku, units, value)| snapshot(d, sku, units, units / 2, value))
            .collect();
        check_merge::<ShrinkRate, _>(&facts, split);
        check_merge::<DaysOfSupply, _>(&facts, split);
        check_merge::<InventoryTurns, _>(&facts, split);
        check_retract::<ShrinkRate, _>(&facts, split);
        let mut all = ShrinkRate::default();
        facts.iter().for_each(|f| all.observe(f));
        prop_assert_eq!(all.inventory.average().is_some(), !facts.is_empty());
    }
}
