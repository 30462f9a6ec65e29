//! The live state of the metrics: the board, the projector that feeds it from
//! the events, and the settings the events carried. The server's metrics service
//! and `tote report weekly` both build one and feed it events in commit order.

use rust_decimal::Decimal;
use tote_core::{Event, Timestamp};

use crate::board::Board;
use crate::project::{EventIn, Projector};
use crate::settings::{ScorecardConfig, Targets};

/// Annual carrying rate for carrying cost (capital, storage, insurance,
/// obsolescence) unless configured: 25 %.
pub const CARRYING_RATE_ANNUAL: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

pub struct Live {
    pub board: Board,
    pub projector: Projector,
    pub targets: Targets,
    pub scorecards: ScorecardConfig,
    settings_seen: (Option<String>, Option<String>),
}

impl Live {
    /// Starts with the default targets and scorecard settings until events set others.
    pub fn new(carrying_rate_annual: Decimal) -> Live {
        let targets = Targets::default();
        let mut board = Board::new(carrying_rate_annual);
        targets.apply_to(&mut board);
        Live {
            board,
            projector: Projector::new(),
            targets,
            scorecards: ScorecardConfig::default(),
            settings_seen: (None, None),
        }
    }

    /// Applies events as the store gives them, in commit order.
    pub fn apply(&mut self, events: &[Event]) {
        for e in events {
            let Some(at) = e.at_timestamp() else { continue };
            self.projector.apply(
                &mut self.board,
                &EventIn {
                    seq: e.seq,
                    kind: e.kind.as_str(),
                    at,
                    actor: &e.actor,
                    subject: &e.subject,
                    data: e.data.get(),
                },
            );
        }
        self.sync_settings();
    }

    /// Settings arrive as events; the latest of each kind is in force.
    fn sync_settings(&mut self) {
        let s = &self.projector.settings;
        if s.targets != self.settings_seen.0 {
            self.settings_seen.0 = s.targets.clone();
            if let Some(t) = s
                .targets
                .as_deref()
                .and_then(|t| serde_json::from_str::<Targets>(t).ok())
            {
                self.board.clear_targets();
                t.apply_to(&mut self.board);
                self.targets = t;
            }
        }
        if s.scorecards != self.settings_seen.1 {
            self.settings_seen.1 = s.scorecards.clone();
            if let Some(c) = s
                .scorecards
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok())
            {
                self.scorecards = c;
            }
        }
    }

    /// Moves the clock on, so deadlines that passed without an event count.
    pub fn advance(&mut self, now: Timestamp) {
        self.projector.advance(&mut self.board, now);
    }
}
