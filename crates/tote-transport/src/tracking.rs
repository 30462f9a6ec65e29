//! Tracking events, the shipment state they lead to, and carrier on-time
//! against the service's committed date. Pure: the server stores events.

use crate::error::{CellError, InputError};
use crate::import::{Table, rows};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackingStatus {
    PickedUp,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
    ReturnedToSender,
}

impl TrackingStatus {
    pub fn parse(s: &str) -> Option<TrackingStatus> {
        Some(match s {
            "picked_up" => TrackingStatus::PickedUp,
            "in_transit" => TrackingStatus::InTransit,
            "out_for_delivery" => TrackingStatus::OutForDelivery,
            "delivered" => TrackingStatus::Delivered,
            "exception" => TrackingStatus::Exception,
            "returned_to_sender" => TrackingStatus::ReturnedToSender,
            _ => return None,
        })
    }
    /// No later event moves a shipment out of these.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TrackingStatus::Delivered | TrackingStatus::ReturnedToSender
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingEvent {
    pub tracking: String,
    pub status: TrackingStatus,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// Where one shipment stands after its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrackState {
    pub status: Option<TrackingStatus>,
    pub picked_up_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Exceptions seen, even when later resolved.
    pub exceptions: u32,
    /// Events after a final one (a carrier's late scan), kept but not applied.
    pub ignored_after_final: u32,
}

/// Folds a shipment's events in time order (carriers send them out of
/// order; equal times keep their given order). Once delivered or returned,
/// the state no longer changes.
pub fn track(events: &[TrackingEvent]) -> TrackState {
    let mut order: Vec<&TrackingEvent> = events.iter().collect();
    order.sort_by_key(|e| e.at);
    let mut s = TrackState {
        status: None,
        picked_up_at: None,
        delivered_at: None,
        exceptions: 0,
        ignored_after_final: 0,
    };
    for e in order {
        if s.status.is_some_and(TrackingStatus::is_final) {
            s.ignored_after_final += 1;
            continue;
        }
        match e.status {
            TrackingStatus::PickedUp => s.picked_up_at = s.picked_up_at.or(Some(e.at)),
            TrackingStatus::Delivered => s.delivered_at = Some(e.at),
            TrackingStatus::Exception => s.exceptions += 1,
            _ => {}
        }
        if s.picked_up_at.is_none() && e.status != TrackingStatus::Exception {
            // Any movement means the carrier has it.
            s.picked_up_at = Some(e.at);
        }
        s.status = Some(e.status);
    }
    s
}

/// DOMAIN.md carrier on-time: shipments delivered by the carrier's
/// committed date / shipments delivered. The delivery date is the
/// destination's local date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OnTime {
    pub delivered: u32,
    pub on_time: u32,
}

impl OnTime {
    /// `None` when nothing was delivered.
    pub fn rate(&self) -> Option<f64> {
        (self.delivered > 0).then(|| self.on_time as f64 / self.delivered as f64)
    }
}

/// One shipment for the on-time measure.
#[derive(Clone, Copy, Debug)]
pub struct Committed {
    pub committed_on: NaiveDate,
    pub delivered_at: Option<DateTime<Utc>>,
    pub destination_tz: Tz,
}

pub fn carrier_on_time(shipments: &[Committed]) -> OnTime {
    let mut out = OnTime::default();
    for s in shipments {
        if let Some(at) = s.delivered_at {
            out.delivered += 1;
            if at.with_timezone(&s.destination_tz).date_naive() <= s.committed_on {
                out.on_time += 1;
            }
        }
    }
    out
}

/// Why a tracking event is not applied to a shipment's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The same status at the same time is already recorded (a re-sent file).
    Duplicate,
    /// The shipment was delivered or returned; nothing moves it after that.
    AfterFinal { status: TrackingStatus },
    /// Older than the latest recorded event: what was announced stays true.
    OutOfOrder { latest: DateTime<Utc> },
    /// Before the shipment was handed over.
    BeforeShipped { shipped_at: DateTime<Utc> },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Duplicate => {
                write!(f, "duplicate: this status at this time is already recorded")
            }
            Refusal::AfterFinal { status } => write!(
                f,
                "the shipment is already {}: no later event applies",
                status.as_str()
            ),
            Refusal::OutOfOrder { latest } => write!(
                f,
                "out of order: the shipment's latest event is at {}, later than this one",
                latest.to_rfc3339()
            ),
            Refusal::BeforeShipped { shipped_at } => write!(
                f,
                "before the shipment was handed over at {}",
                shipped_at.to_rfc3339()
            ),
        }
    }
}

/// Whether `event` may be appended to a shipment's `history` (oldest first,
/// every event admitted by this rule). A live history only grows forward in
/// time, so every status already announced stays true: a re-sent event is a
/// duplicate, an event older than the latest is refused as out of order,
/// and anything later than a delivery or return is refused (equal times are
/// kept in arrival order).
pub fn admit(
    history: &[TrackingEvent],
    shipped_at: DateTime<Utc>,
    event: &TrackingEvent,
) -> Result<(), Refusal> {
    if history
        .iter()
        .any(|h| h.status == event.status && h.at == event.at)
    {
        return Err(Refusal::Duplicate);
    }
    if let Some(last) = history.last() {
        if event.at < last.at {
            return Err(Refusal::OutOfOrder { latest: last.at });
        }
        if last.status.is_final() {
            return Err(Refusal::AfterFinal {
                status: last.status,
            });
        }
    }
    if event.at < shipped_at {
        return Err(Refusal::BeforeShipped { shipped_at });
    }
    Ok(())
}

impl TrackingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStatus::PickedUp => "picked_up",
            TrackingStatus::InTransit => "in_transit",
            TrackingStatus::OutForDelivery => "out_for_delivery",
            TrackingStatus::Delivered => "delivered",
            TrackingStatus::Exception => "exception",
            TrackingStatus::ReturnedToSender => "returned_to_sender",
        }
    }
}

/// One delivered shipment for carrier on-time per service.
#[derive(Clone, Debug)]
pub struct DeliveredShipment {
    pub carrier: String,
    pub service: String,
    /// The service's committed delivery date when it shipped.
    pub committed_on: NaiveDate,
    /// The delivery date at the destination.
    pub delivered_on: NaiveDate,
}

/// Carrier on-time of one carrier service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceOnTime {
    pub carrier: String,
    pub service: String,
    /// Shipments delivered.
    pub delivered: u32,
    /// Shipments delivered by the carrier's committed date.
    pub on_time: u32,
    /// `on_time / delivered`.
    pub rate: f64,
    /// Mean days after the committed date over the late deliveries (0 when none was late).
    pub days_late_mean: f64,
}

/// DOMAIN.md carrier on-time (shipments delivered by the carrier's committed
/// date / shipments delivered), per carrier and service, in key order.
pub fn on_time_by_service(shipments: &[DeliveredShipment]) -> Vec<ServiceOnTime> {
    let mut by: std::collections::BTreeMap<(&str, &str), (u32, u32, i64)> =
        std::collections::BTreeMap::new();
    for s in shipments {
        let e = by.entry((&s.carrier, &s.service)).or_default();
        e.0 += 1;
        let late_days = (s.delivered_on - s.committed_on).num_days();
        if late_days <= 0 {
            e.1 += 1;
        } else {
            e.2 += late_days;
        }
    }
    by.into_iter()
        .map(|((carrier, service), (delivered, on_time, late_days))| {
            let late = delivered - on_time;
            ServiceOnTime {
                carrier: carrier.to_owned(),
                service: service.to_owned(),
                delivered,
                on_time,
                rate: f64::from(on_time) / f64::from(delivered),
                days_late_mean: if late == 0 {
                    0.0
                } else {
                    late_days as f64 / f64::from(late)
                },
            }
        })
        .collect()
}

/// Events from a carrier's CSV: `tracking, status, at (RFC 3339), location, detail`.
pub fn events_from_csv(text: &str) -> Result<Vec<TrackingEvent>, InputError> {
    let t = Table::parse("events.csv", text)?;
    let mut out = Vec::new();
    for r in rows(&t) {
        let status = r.required("status")?;
        let at = r.required("at")?;
        let optional = |c: &str| -> Result<Option<String>, InputError> {
            let s = r.str(c)?;
            Ok((!s.is_empty()).then(|| s.to_string()))
        };
        out.push(TrackingEvent {
            tracking: r.required("tracking")?.into(),
            status: TrackingStatus::parse(status).ok_or_else(|| {
                InputError::table(
                    "events.csv",
                    CellError::new(
                        r.line,
                        "status",
                        format!("`{status}` is not a tracking status"),
                    ),
                )
            })?,
            at: DateTime::parse_from_rfc3339(at)
                .map_err(|_| {
                    r.err(
                        "at",
                        format!("`{at}` is not a time like 2026-11-24T15:04:00Z"),
                    )
                })?
                .with_timezone(&Utc),
            location: optional("location")?,
            detail: optional("detail")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(status: TrackingStatus, at: &str) -> TrackingEvent {
        TrackingEvent {
            tracking: "PX1".into(),
            status,
            at: at.parse().expect("time"),
            location: None,
            detail: None,
        }
    }

    #[test]
    fn events_apply_in_time_order_and_delivery_is_final() {
        use TrackingStatus::*;
        let s = track(&[
            ev(Delivered, "2026-11-25T18:00:00Z"),
            ev(InTransit, "2026-11-24T02:00:00Z"),
            ev(PickedUp, "2026-11-23T22:00:00Z"),
            ev(OutForDelivery, "2026-11-25T13:00:00Z"),
            ev(InTransit, "2026-11-26T09:00:00Z"),
        ]);
        assert_eq!(s.status, Some(Delivered));
        assert_eq!(
            s.picked_up_at,
            Some("2026-11-23T22:00:00Z".parse().expect("t"))
        );
        assert_eq!(
            s.delivered_at,
            Some("2026-11-25T18:00:00Z".parse().expect("t"))
        );
        assert_eq!(s.ignored_after_final, 1);
    }

    #[test]
    fn exception_then_return_to_sender_is_final_and_counted() {
        use TrackingStatus::*;
        let s = track(&[
            ev(PickedUp, "2026-11-23T22:00:00Z"),
            ev(Exception, "2026-11-24T10:00:00Z"),
            ev(ReturnedToSender, "2026-11-27T10:00:00Z"),
        ]);
        assert_eq!(
            (s.status, s.exceptions, s.delivered_at),
            (Some(ReturnedToSender), 1, None)
        );
    }

    #[test]
    fn on_time_compares_the_local_delivery_date_with_the_commitment() {
        let ny: Tz = "America/New_York".parse().expect("tz");
        let c = |committed: &str, at: Option<&str>| Committed {
            committed_on: committed.parse().expect("d"),
            delivered_at: at.map(|a| a.parse().expect("t")),
            destination_tz: ny,
        };
        let r = carrier_on_time(&[
            // 03:30 UTC on the 26th is 22:30 on the 25th in New York: on time.
            c("2026-11-25", Some("2026-11-26T03:30:00Z")),
            c("2026-11-25", Some("2026-11-26T15:00:00Z")),
            c("2026-11-25", None),
        ]);
        assert_eq!(
            r,
            OnTime {
                delivered: 2,
                on_time: 1
            }
        );
        assert_eq!(r.rate(), Some(0.5));
        assert_eq!(carrier_on_time(&[]).rate(), None);
    }

    fn at(status: TrackingStatus, t: &str) -> TrackingEvent {
        ev(status, t)
    }

    #[test]
    fn admit_refuses_duplicates_late_scans_and_back_dated_events() {
        use TrackingStatus::*;
        let shipped: DateTime<Utc> = "2026-11-23T20:00:00Z".parse().expect("t");
        let mut h = vec![at(PickedUp, "2026-11-23T22:00:00Z")];
        assert_eq!(
            admit(&h, shipped, &at(PickedUp, "2026-11-23T22:00:00Z")),
            Err(Refusal::Duplicate)
        );
        assert_eq!(
            admit(&h, shipped, &at(InTransit, "2026-11-23T21:00:00Z")),
            Err(Refusal::OutOfOrder {
                latest: "2026-11-23T22:00:00Z".parse().expect("t")
            })
        );
        // The same time with another status keeps arrival order.
        assert_eq!(
            admit(&h, shipped, &at(InTransit, "2026-11-23T22:00:00Z")),
            Ok(())
        );
        assert_eq!(
            admit(&[], shipped, &at(PickedUp, "2026-11-23T19:00:00Z")),
            Err(Refusal::BeforeShipped {
                shipped_at: shipped
            })
        );
        h.push(at(Delivered, "2026-11-25T18:00:00Z"));
        let late_scan = admit(&h, shipped, &at(InTransit, "2026-11-26T09:00:00Z"));
        assert_eq!(late_scan, Err(Refusal::AfterFinal { status: Delivered }));
        assert_eq!(
            late_scan.expect_err("refused").to_string(),
            "the shipment is already delivered: no later event applies"
        );
    }

    #[test]
    fn on_time_by_service_counts_against_the_committed_date_and_averages_lateness() {
        let d =
            |carrier: &str, service: &str, committed: &str, delivered: &str| DeliveredShipment {
                carrier: carrier.into(),
                service: service.into(),
                committed_on: committed.parse().expect("d"),
                delivered_on: delivered.parse().expect("d"),
            };
        let r = on_time_by_service(&[
            d("parcelo", "ground", "2026-11-25", "2026-11-25"),
            d("parcelo", "ground", "2026-11-25", "2026-11-24"),
            d("parcelo", "ground", "2026-11-25", "2026-11-26"),
            d("parcelo", "ground", "2026-11-25", "2026-11-28"),
            d("natpost", "priority", "2026-11-25", "2026-11-25"),
        ]);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].carrier.as_str(), r[0].delivered, r[0].on_time),
            ("natpost", 1, 1)
        );
        assert_eq!(r[0].days_late_mean, 0.0);
        assert_eq!((r[1].delivered, r[1].on_time, r[1].rate), (4, 2, 0.5));
        // One day late and three days late.
        assert_eq!(r[1].days_late_mean, 2.0);
    }

    #[test]
    fn csv_events_name_the_bad_cell() {
        let ok = "tracking,status,at,location,detail\nPX1,delivered,2026-11-25T18:00:00Z,New York NY,Front door\n";
        let e = events_from_csv(ok).expect("valid");
        assert_eq!(e[0].status, TrackingStatus::Delivered);
        assert_eq!(e[0].location.as_deref(), Some("New York NY"));
        let bad = "tracking,status,at,location,detail\nPX1,lost,2026-11-25T18:00:00Z,,\n";
        assert_eq!(
            events_from_csv(bad).expect_err("bad").to_string(),
            "events.csv, row 2, column `status`: `lost` is not a tracking status"
        );
    }
}
