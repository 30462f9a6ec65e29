//! Targets and scorecards: what the user sets, checked here, and the weighted
//! score of a node, carrier or 3PL computed from the board.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::board::{Better, Board, Metric};
use crate::fact::Cut;
use crate::period::Period;

const HOUR_US: f64 = 3_600_000_000.0;

/// Targets per metric, as the metric's headline (a rate as a fraction, a time in
/// hours at the median, money in the currency).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub targets: BTreeMap<String, f64>,
}

/// Metrics whose headline is a fraction, so a target must be within 0 and 1.
fn is_rate(metric: Metric) -> bool {
    matches!(
        metric,
        Metric::UnitFillRate
            | Metric::OrderFillRate
            | Metric::OnTimeShip
            | Metric::Otif
            | Metric::OrderAccuracy
            | Metric::InventoryAccuracy
            | Metric::StockoutRate
            | Metric::ReturnRate
            | Metric::RecoveryRate
            | Metric::CarrierOnTime
    )
}

impl Default for Targets {
    /// Targets a mid-size operation commonly holds itself to.
    fn default() -> Targets {
        let t = [
            (Metric::UnitFillRate, 0.98),
            (Metric::OrderFillRate, 0.95),
            (Metric::OnTimeShip, 0.98),
            (Metric::Otif, 0.95),
            (Metric::OrderCycleTime, 24.0),
            (Metric::ClickToDoor, 96.0),
            (Metric::DockToStock, 24.0),
            (Metric::OrderAccuracy, 0.995),
            (Metric::InventoryAccuracy, 0.97),
            (Metric::StockoutRate, 0.02),
            (Metric::CostPerOrder, 8.0),
            (Metric::ReturnRate, 0.08),
            (Metric::ReturnToSell, 48.0),
            (Metric::RecoveryRate, 0.7),
            (Metric::CarrierOnTime, 0.95),
        ];
        Targets {
            targets: t.iter().map(|(m, v)| (m.name().to_owned(), *v)).collect(),
        }
    }
}

impl Targets {
    /// Each problem as (field, what is wrong); empty when the targets can be set.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, &v) in &self.targets {
            let field = format!("targets.{name}");
            match Metric::from_name(name) {
                None => out.push((field, "is not a metric".to_owned())),
                Some(_) if !v.is_finite() || v < 0.0 => {
                    out.push((field, "must be a number of at least 0".to_owned()))
                }
                Some(m) if is_rate(m) && v > 1.0 => {
                    out.push((field, "is a rate: give a fraction from 0 to 1".to_owned()))
                }
                Some(_) => {}
            }
        }
        out
    }

    pub fn apply_to(&self, board: &mut Board) {
        for (name, &v) in &self.targets {
            if let Some(m) = Metric::from_name(name) {
                board.set_target(m, v);
            }
        }
    }
}

/// What a scorecard measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Nodes and 3PLs: on-time ship; carriers: carrier on-time delivery.
    OnTime,
    /// Order accuracy.
    Accuracy,
    /// Dock-to-stock time, hours at the median.
    DockToStock,
    CostPerOrder,
    /// Orders shipped and found damaged / orders shipped.
    Damage,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::OnTime,
        Measure::Accuracy,
        Measure::DockToStock,
        Measure::CostPerOrder,
        Measure::Damage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::OnTime => "on_time",
            Measure::Accuracy => "accuracy",
            Measure::DockToStock => "dock_to_stock",
            Measure::CostPerOrder => "cost_per_order",
            Measure::Damage => "damage",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::OnTime => "On-time",
            Measure::Accuracy => "Accuracy",
            Measure::DockToStock => "Dock-to-stock (h)",
            Measure::CostPerOrder => "Cost per order",
            Measure::Damage => "Damage",
        }
    }

    pub fn better(self) -> Better {
        match self {
            Measure::OnTime | Measure::Accuracy => Better::Higher,
            _ => Better::Lower,
        }
    }

    pub fn is_rate(self) -> bool {
        matches!(self, Measure::OnTime | Measure::Accuracy | Measure::Damage)
    }
}

/// Which scorecard: the cut it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScorecardKind {
    Nodes,
    Carriers,
    ThreePls,
}

impl ScorecardKind {
    pub fn from_name(s: &str) -> Option<ScorecardKind> {
        match s {
            "nodes" => Some(ScorecardKind::Nodes),
            "carriers" => Some(ScorecardKind::Carriers),
            "3pls" => Some(ScorecardKind::ThreePls),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScorecardKind::Nodes => "nodes",
            ScorecardKind::Carriers => "carriers",
            ScorecardKind::ThreePls => "3pls",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSetting {
    /// Relative weight in the score; weights need not add up to 1.
    pub weight: f64,
    /// The headline that scores full marks (a fraction for rates, hours, money).
    pub target: f64,
}

/// Weights and targets per measure for each kind of scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScorecardConfig {
    pub nodes: BTreeMap<Measure, MeasureSetting>,
    pub carriers: BTreeMap<Measure, MeasureSetting>,
    #[serde(rename = "3pls")]
    pub three_pls: BTreeMap<Measure, MeasureSetting>,
}

impl Default for ScorecardConfig {
    fn default() -> ScorecardConfig {
        let s = |weight, target| MeasureSetting { weight, target };
        let node: BTreeMap<Measure, MeasureSetting> = [
            (Measure::OnTime, s(0.35, 0.98)),
            (Measure::Accuracy, s(0.3, 0.995)),
            (Measure::DockToStock, s(0.15, 24.0)),
            (Measure::CostPerOrder, s(0.1, 8.0)),
            (Measure::Damage, s(0.1, 0.005)),
        ]
        .into();
        let carrier: BTreeMap<Measure, MeasureSetting> = [
            (Measure::OnTime, s(0.6, 0.95)),
            (Measure::CostPerOrder, s(0.2, 8.0)),
            (Measure::Damage, s(0.2, 0.005)),
        ]
        .into();
        ScorecardConfig {
            nodes: node.clone(),
            carriers: carrier,
            three_pls: node,
        }
    }
}

impl ScorecardConfig {
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (kind, set) in [
            ("nodes", &self.nodes),
            ("carriers", &self.carriers),
            ("3pls", &self.three_pls),
        ] {
            if set.values().all(|s| s.weight == 0.0) {
                out.push((
                    kind.to_owned(),
                    "needs a measure with a weight above 0".to_owned(),
                ));
            }
            for (m, s) in set {
                let field = format!("{kind}.{}", m.name());
                if !s.weight.is_finite() || s.weight < 0.0 {
                    out.push((
                        format!("{field}.weight"),
                        "must be a number of at least 0".into(),
                    ));
                }
                if !s.target.is_finite() || s.target < 0.0 {
                    out.push((
                        format!("{field}.target"),
                        "must be a number of at least 0".into(),
                    ));
                } else if m.is_rate() && s.target > 1.0 {
                    out.push((
                        format!("{field}.target"),
                        "is a rate: give a fraction from 0 to 1".into(),
                    ));
                }
            }
        }
        out
    }

    pub fn of(&self, kind: ScorecardKind) -> &BTreeMap<Measure, MeasureSetting> {
        match kind {
            ScorecardKind::Nodes => &self.nodes,
            ScorecardKind::Carriers => &self.carriers,
            ScorecardKind::ThreePls => &self.three_pls,
        }
    }
}

/// One measure of one scorecard row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasureScore {
    pub measure: Measure,
    pub value: Option<f64>,
    pub setting: MeasureSetting,
    /// 0 to 1: 1 at or beyond the target, the share of the target reached below it.
    pub score: Option<f64>,
}

/// One node, carrier or 3PL over one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    pub measures: Vec<MeasureScore>,
    /// 0 to 100: the weighted mean of the measures that have a value.
    pub score: Option<f64>,
}

/// A measure's headline for one cut value over a period.
pub fn measure_value(
    board: &Board,
    kind: ScorecardKind,
    measure: Measure,
    period: Period,
    cut: Cut,
) -> Option<f64> {
    match measure {
        Measure::OnTime => {
            let metric = match kind {
                ScorecardKind::Carriers => Metric::CarrierOnTime,
                _ => Metric::OnTimeShip,
            };
            board.value(metric, period, cut).headline()
        }
        Measure::Accuracy => board.value(Metric::OrderAccuracy, period, cut).headline(),
        Measure::DockToStock => board
            .dock_to_stock
            .over(period, cut)
            .value()
            .p50_us
            .map(|us| us as f64 / HOUR_US),
        Measure::CostPerOrder => board.value(Metric::CostPerOrder, period, cut).headline(),
        Measure::Damage => board.damage_rate.over(period, cut).value().rate(),
    }
}

/// The score of one measure against its target.
pub fn measure_score(measure: Measure, value: f64, target: f64) -> f64 {
    match measure.better() {
        Better::Higher if target <= 0.0 => 1.0,
        Better::Higher => (value / target).clamp(0.0, 1.0),
        Better::Lower if value <= target => 1.0,
        // Lower is better: a rate above its target loses the excess, a time or a
        // cost scores the share of the target it is within.
        Better::Lower if measure.is_rate() => (1.0 - (value - target)).clamp(0.0, 1.0),
        Better::Lower => (target / value).clamp(0.0, 1.0),
    }
}

pub fn scorecard(
    board: &Board,
    config: &ScorecardConfig,
    kind: ScorecardKind,
    period: Period,
    cut: Cut,
) -> Scorecard {
    let mut measures = Vec::new();
    let (mut weighted, mut weights) = (0.0, 0.0);
    for (&measure, &setting) in config.of(kind) {
        let value = measure_value(board, kind, measure, period, cut);
        let score = value.map(|v| measure_score(measure, v, setting.target));
        if let Some(s) = score {
            weighted += s * setting.weight;
            weights += setting.weight;
        }
        measures.push(MeasureScore {
            measure,
            value,
            setting,
            score,
        });
    }
    Scorecard {
        measures,
        score: (weights > 0.0).then(|| 100.0 * weighted / weights),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_at_or_beyond_its_target_scores_full_marks() {
        assert_eq!(measure_score(Measure::OnTime, 0.99, 0.98), 1.0);
        assert_eq!(measure_score(Measure::CostPerOrder, 7.0, 8.0), 1.0);
    }

    #[test]
    fn a_measure_short_of_its_target_scores_its_share() {
        assert!((measure_score(Measure::OnTime, 0.49, 0.98) - 0.5).abs() < 1e-9);
        assert!((measure_score(Measure::CostPerOrder, 16.0, 8.0) - 0.5).abs() < 1e-9);
        assert!((measure_score(Measure::Damage, 0.105, 0.005) - 0.9).abs() < 1e-9);
    }

    #[test]
    fn the_weighted_score_skips_measures_without_data() {
        let board = Board::default();
        let s = scorecard(
            &board,
            &ScorecardConfig::default(),
            ScorecardKind::Nodes,
            Period::day(crate::period::Day(0)),
            Cut::All,
        );
        assert_eq!(s.score, None);
        assert!(s.measures.iter().all(|m| m.value.is_none()));
    }

    #[test]
    fn a_rate_target_above_one_is_refused_and_names_its_field() {
        let mut t = Targets::default();
        t.targets.insert("otif".into(), 95.0);
        t.targets.insert("no_such".into(), 1.0);
        let p = t.problems();
        assert!(p.iter().any(|(f, _)| f == "targets.otif"));
        assert!(p.iter().any(|(f, _)| f == "targets.no_such"));
        assert!(Targets::default().problems().is_empty());
        assert!(ScorecardConfig::default().problems().is_empty());
    }
}
