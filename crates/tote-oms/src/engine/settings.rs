//! Settings of the metrics service: metric targets and scorecard weights. The
//! caller has validated the body; the writer keeps it as a `wms_docs` record and
//! announces it as an event, which the metrics service reads like any other.

use super::Engine;
use crate::command::{Envelope, MetricsSettings, Outcome};
use tote_core::EventKind;
use tote_store::DocRow;

pub const DOC_METRIC_TARGETS: &str = "metric_targets";
pub const DOC_SCORECARDS: &str = "scorecards";

impl Engine {
    pub(super) fn metrics_settings(&mut self, env: &Envelope, s: &MetricsSettings) -> Outcome {
        let (kind, doc, body) = match s {
            MetricsSettings::Targets(b) => (EventKind::MetricsTargetsSet, DOC_METRIC_TARGETS, b),
            MetricsSettings::Scorecards(b) => (EventKind::ScorecardsConfigured, DOC_SCORECARDS, b),
        };
        self.group.docs.push(DocRow {
            org: env.org,
            kind: doc.into(),
            id: "default".into(),
            body: body.to_string(),
        });
        self.event(env, kind, "settings", body);
        Outcome::MetricsSettings(body.clone())
    }
}
