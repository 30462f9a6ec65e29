//! Returns through the engine on a real store, with time as an argument: the
//! window and the per-customer limit read the command's time, refunds of a
//! line's units over several returns add up to what was paid, and the books
//! load back (every invariant checked) after each step.

use super::*;
use tote_oms::returns::*;
use tote_oms::warehouse::*;

const DAY: i64 = 86_400_000_000;
const T0: i64 = 10 * DAY;

fn at(command: Command, t: i64) -> Envelope {
    Envelope {
        at: Timestamp(t),
        ..env(command)
    }
}

fn wms(e: &mut Engine, cmd: WmsCommand) -> WmsOutcome {
    match e.execute(at(Command::Warehouse(cmd), T0)).unwrap().outcome {
        Outcome::Warehouse(w) => w,
        other => panic!("expected a warehouse outcome, got {other:?}"),
    }
}

fn ret(e: &mut Engine, cmd: ReturnsCommand, t: i64) -> Result<Rma, OpError> {
    e.execute(at(Command::Returns(cmd), t))
        .map(|a| match a.outcome {
            Outcome::Returns(ReturnsOutcome::Rma(r)) => *r,
            other => panic!("expected an RMA, got {other:?}"),
        })
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

/// Three tees at 10.00 less 1.00 on the line, 2.50 off the order, 4.99
/// shipping, picked, packed and shipped at T0; answers the order id and the
/// parcel's tracking number.
fn shipped_tracked(e: &mut Engine) -> (String, String) {
    let o = placed(e.execute(at(
        Command::PlaceOrder(from(serde_json::json!({
            "external_id": "R-1", "channel": "web", "email": "ana@example.com",
            "ship_to": {"line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US"},
            "lines": [{"sku": "TEE-M", "qty": 3, "unit_price": "10.00", "discount": "1.00"}],
            "discount": "2.50", "shipping_charge": "4.99"}))),
        T0,
    )));
    let WmsOutcome::Wave(w) = wms(
        e,
        WmsCommand::ReleaseWave(from(serde_json::json!({"node": "DC1", "cart_totes": 1}))),
    ) else {
        panic!("no wave")
    };
    for t in &w.tasks {
        wms(
            e,
            WmsCommand::ConfirmPick {
                task: t.id.clone(),
                input: from(
                    serde_json::json!({"location": t.location, "item": t.sku, "qty": t.qty}),
                ),
            },
        );
    }
    for _ in 0..3 {
        wms(
            e,
            WmsCommand::PackScan {
                order: o.id.clone(),
                input: from(serde_json::json!({"item": "TEE-M"})),
            },
        );
    }
    let WmsOutcome::Shipment(sh) = wms(
        e,
        WmsCommand::Ship {
            order: o.id.clone(),
            input: from(serde_json::json!({})),
        },
    ) else {
        panic!("not shipped")
    };
    e.commit_group().unwrap();
    (o.id, sh.tracking)
}

/// As `shipped`, answering the order id.
fn shipped(e: &mut Engine) -> String {
    shipped_tracked(e).0
}

fn policy(e: &mut Engine, p: serde_json::Value) {
    e.execute(at(
        Command::Returns(ReturnsCommand::SetPolicy {
            channel: "web".into(),
            policy: from(p),
        }),
        T0,
    ))
    .unwrap();
}

fn one_tee(order: &str, email: Option<&str>) -> ReturnsCommand {
    ReturnsCommand::Create(from(serde_json::json!({
        "order": order, "email": email, "method": "drop_off",
        "lines": [{"sku": "TEE-M", "qty": 1, "reason": "damaged"}]})))
}

fn field_of(r: Result<Rma, OpError>) -> String {
    match r {
        Err(OpError::Invalid(i)) => i.0[0].field.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn refunds_of_every_unit_over_several_returns_add_up_to_what_was_paid() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    let order = shipped(&mut e);
    policy(&mut e, serde_json::json!({"shipping_refund": "always"}));
    let mut totals = Vec::new();
    for n in 1..=3 {
        let rma = ret(&mut e, one_tee(&order, Some("ANA@example.com")), T0 + DAY).unwrap();
        ret(
            &mut e,
            ReturnsCommand::Receive {
                rma: rma.id.clone(),
                input: ReturnReceiveInput::default(),
            },
            T0 + DAY,
        )
        .unwrap();
        let inspected = ret(
            &mut e,
            ReturnsCommand::Inspect {
                rma: rma.id.clone(),
                input: from(
                    serde_json::json!({"units": [{"unit": 1, "scanned": "TEE-M", "grade": "new"}]}),
                ),
            },
            T0 + DAY,
        )
        .unwrap();
        totals.push(
            inspected
                .refund
                .expect("refunded on receipt")
                .total
                .to_string(),
        );
        e.commit_group().unwrap();
        // Each load checks the ledger and the units waiting in returns_pending.
        drop(e);
        e = open(dir.path());
        assert_eq!(rma.id, format!("RMA{n}"));
    }
    // 26.50 paid for three units and 4.99 shipping: 8.83 + 1.66 twice, then
    // the rest, 8.84 + 1.67; together 31.49.
    assert_eq!(totals, ["10.49", "10.49", "10.51"]);
    let more = ret(&mut e, one_tee(&order, None), T0 + DAY);
    assert_eq!(field_of(more), "lines[0].qty");
}

#[test]
fn window_and_customer_limit_read_the_commands_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    let order = shipped(&mut e);
    policy(
        &mut e,
        serde_json::json!({"window_days": 30, "max_returns": 1, "period_days": 10}),
    );
    // Thirty-one whole days after shipment the window is shut.
    let late = ret(&mut e, one_tee(&order, None), T0 + 31 * DAY + 1);
    assert_eq!(field_of(late), "lines[0].sku");
    ret(&mut e, one_tee(&order, None), T0 + 5 * DAY).unwrap();
    // One return per customer in ten days: the next one waits.
    let again = ret(&mut e, one_tee(&order, None), T0 + 6 * DAY);
    assert_eq!(field_of(again), "email");
    ret(&mut e, one_tee(&order, None), T0 + 16 * DAY).unwrap();
    e.commit_group().unwrap();
    drop(e);
    open(dir.path());
}

#[test]
fn a_delivered_order_is_returned_within_the_window_from_its_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = open(dir.path());
    setup(&mut e, &[("DC1", 5)]);
    let (order, tracking) = shipped_tracked(&mut e);
    policy(&mut e, serde_json::json!({"window_days": 30}));
    // The carrier delivers twenty days after shipment.
    let delivered = T0 + 20 * DAY;
    let a = e
        .execute(at(
            Command::Warehouse(WmsCommand::Track(vec![TrackingInput {
                row: 1,
                tracking,
                status: tote_transport::tracking::TrackingStatus::Delivered,
                at: chrono::DateTime::from_timestamp_micros(delivered)
                    .unwrap()
                    .fixed_offset(),
                location: None,
                detail: None,
            }])),
            delivered,
        ))
        .unwrap();
    let Outcome::Warehouse(WmsOutcome::Tracking(b)) = a.outcome else {
        panic!("expected a tracking batch")
    };
    assert_eq!(b.applied, 1, "{b:?}");
    e.commit_group().unwrap();
    // Forty-one days after shipment but twenty-one after delivery: in time.
    let rma = ret(&mut e, one_tee(&order, None), T0 + 41 * DAY).unwrap();
    assert_eq!(rma.status, "authorized");
    // Thirty-one whole days after delivery the window is shut.
    let late = ret(&mut e, one_tee(&order, None), delivered + 31 * DAY + 1);
    assert_eq!(field_of(late), "lines[0].sku");
    e.commit_group().unwrap();
    drop(e);
    open(dir.path());
}
