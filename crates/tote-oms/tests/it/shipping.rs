//! Shipping and tracking inside the writer: a shipment tracked to delivery in
//! the same commit group it shipped in delivers its order, and a restart
//! (which checks every reservation against the ledger) keeps it delivered.

use super::{open, placed, setup};
use serde_json::json;
use tote_core::{OrderStatus, OrgId, Timestamp};
use tote_oms::warehouse::{TrackingInput, WmsCommand, WmsOutcome};
use tote_oms::{Command, Envelope, Outcome};
use tote_transport::tracking::TrackingStatus;

/// Tuesday 2026-11-24 15:00 UTC: a working day, before the carriers' cut-offs.
const TUESDAY_US: i64 = 1_795_532_400_000_000;

fn at(command: Command) -> Envelope {
    Envelope {
        org: OrgId::DEFAULT,
        actor: "test".into(),
        at: Timestamp(TUESDAY_US),
        idempotency: None,
        command,
    }
}

fn wms(e: &mut tote_oms::Engine, cmd: WmsCommand) -> WmsOutcome {
    match e.execute(at(Command::Warehouse(cmd))).unwrap().outcome {
        Outcome::Warehouse(w) => w,
        other => panic!("expected a warehouse outcome, got {other:?}"),
    }
}

fn row(n: usize, tracking: &str, status: TrackingStatus, time: &str) -> TrackingInput {
    TrackingInput {
        row: n,
        tracking: tracking.into(),
        status,
        at: chrono::DateTime::parse_from_rfc3339(time).unwrap(),
        location: None,
        detail: None,
    }
}

#[test]
fn delivery_tracked_in_the_shipping_group_delivers_the_order_and_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    let input = serde_json::from_value::<tote_core::OrderInput>(json!({
        "external_id": "1", "channel": "web", "deliver_by": "2026-12-10",
        "ship_to": {"line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US"},
        "lines": [{"sku": "TEE-M", "qty": 2}]
    }))
    .unwrap();
    let o = placed(e.execute(at(Command::PlaceOrder(input))));
    let WmsOutcome::Wave(w) = wms(
        &mut e,
        WmsCommand::ReleaseWave(
            serde_json::from_value(json!({"node": "DC1", "cart_totes": 2})).unwrap(),
        ),
    ) else {
        panic!("expected a wave");
    };
    for t in &w.tasks {
        wms(
            &mut e,
            WmsCommand::ConfirmPick {
                task: t.id.clone(),
                input: serde_json::from_value(
                    json!({"location": t.location, "item": "TEE-M", "qty": t.qty.0}),
                )
                .unwrap(),
            },
        );
    }
    for _ in 0..2 {
        wms(
            &mut e,
            WmsCommand::PackScan {
                order: o.id.clone(),
                input: serde_json::from_value(json!({"item": "TEE-M"})).unwrap(),
            },
        );
    }
    e.commit_group().unwrap();

    // Ship and deliver in one commit group.
    let WmsOutcome::Shipment(sh) = wms(
        &mut e,
        WmsCommand::Ship {
            order: o.id.clone(),
            input: serde_json::from_value(json!({})).unwrap(),
        },
    ) else {
        panic!("expected a shipment");
    };
    assert_eq!(sh.chosen_by, "rate_shop");
    assert!(!sh.late, "{sh:?}");
    let committed = sh.committed_on.unwrap();
    let delivered_at = format!("{committed}T16:00:00-05:00");
    let WmsOutcome::Tracking(b) = wms(
        &mut e,
        WmsCommand::Track(vec![
            row(
                2,
                &sh.tracking,
                TrackingStatus::PickedUp,
                "2026-11-24T18:00:00-05:00",
            ),
            row(3, &sh.tracking, TrackingStatus::Delivered, &delivered_at),
            row(4, &sh.tracking, TrackingStatus::InTransit, &delivered_at),
        ]),
    ) else {
        panic!("expected a tracking batch");
    };
    assert_eq!((b.applied, b.refused), (2, 1), "{b:?}");
    assert_eq!(b.rows[2].field.as_deref(), Some("at"));
    e.commit_group().unwrap();

    // The books load back (every reservation checked) with the order delivered.
    drop(e);
    let mut e = open(dir.path());
    let WmsOutcome::Tracking(again) = wms(
        &mut e,
        WmsCommand::Track(vec![row(
            1,
            &sh.tracking,
            TrackingStatus::Delivered,
            &delivered_at,
        )]),
    ) else {
        panic!("expected a tracking batch");
    };
    assert_eq!(again.refused, 1, "{again:?}");
    e.commit_group().unwrap();
    drop(e);
    let store = tote_store::SqliteStore::open(dir.path()).unwrap();
    let reader = store.reader();
    let order = tote_store::Queries::order(&reader, OrgId::DEFAULT, o.order_id().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(order.status, OrderStatus::Delivered);
}
