//! What stock costs and how fast it turns, as DOMAIN.md defines them, so a
//! service level can be priced.

/// Carrying cost = average inventory value x annual carrying rate x
/// (days in period / 365).
pub fn carrying_cost(
    average_inventory_value: f64,
    annual_carrying_rate: f64,
    days_in_period: f64,
) -> f64 {
    average_inventory_value * annual_carrying_rate * days_in_period / 365.0
}

/// Inventory turns = cost of goods shipped / average inventory value,
/// annualized from a period of `days_in_period` days. None without inventory.
pub fn inventory_turns(
    cost_of_goods_shipped: f64,
    average_inventory_value: f64,
    days_in_period: f64,
) -> Option<f64> {
    (average_inventory_value > 0.0 && days_in_period > 0.0)
        .then(|| cost_of_goods_shipped / average_inventory_value * 365.0 / days_in_period)
}

/// Days of supply = on hand / average daily demand. None without demand.
pub fn days_of_supply(on_hand: f64, average_daily_demand: f64) -> Option<f64> {
    (average_daily_demand > 0.0).then(|| on_hand / average_daily_demand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_of_carrying_costs_a_quarter_of_the_rate() {
        // 400,000 of stock at 25% a year for 73 days: 400,000 x 0.25 x 0.2.
        assert!((carrying_cost(400_000.0, 0.25, 73.0) - 20_000.0).abs() < 1e-9);
    }

    #[test]
    fn turns_are_annualized() {
        // 300,000 shipped at cost in 90 days on 200,000 average stock.
        let turns = inventory_turns(300_000.0, 200_000.0, 90.0).unwrap();
        assert!((turns - 6.083_333_333).abs() < 1e-6, "{turns}");
        assert_eq!(inventory_turns(1.0, 0.0, 90.0), None);
        assert_eq!(days_of_supply(140.0, 20.0), Some(7.0));
    }
}
