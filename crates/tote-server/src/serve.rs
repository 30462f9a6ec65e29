//! Starting the service: open the books, start the writer, serve HTTP.

use crate::metrics::{Metrics, track};
use crate::openapi::ApiDoc;
use crate::problem::ApiError;
use crate::routes::{
    AppState, catalog, events, inventory, kpi, ops, orders, planning, planning_live,
    planning_tools, returns, scanner, shipping, sourcing, transport, warehouse,
};
use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tote_ledger::Writer;
use tote_oms::Engine;
use tote_store::SqliteStore;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest request body accepted.
pub const BODY_BYTES_MAX: usize = 1 << 20;

pub struct ServeConfig {
    pub data: PathBuf,
    pub listen: SocketAddr,
    /// The carrier set to rate with (loaded by the caller, which reads the
    /// files); the example set when absent.
    pub carriers: Option<tote_transport::CarrierSet>,
    /// The shop's GS1 company prefix for carton labels (checked by the caller);
    /// GS1's example prefix when absent.
    pub sscc_company_prefix: Option<String>,
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(catalog::create_sku, catalog::list_skus))
        .routes(routes!(catalog::get_sku, catalog::put_sku))
        .routes(routes!(catalog::create_node, catalog::list_nodes))
        .routes(routes!(catalog::get_node, catalog::put_node))
        .routes(routes!(catalog::create_location))
        .routes(routes!(catalog::list_locations))
        .routes(routes!(inventory::receive))
        .routes(routes!(inventory::adjust))
        .routes(routes!(inventory::balances))
        .routes(routes!(orders::place, orders::list))
        .routes(routes!(orders::get))
        .routes(routes!(orders::cancel))
        .routes(routes!(events::list))
        .routes(routes!(transport::quote))
        .routes(routes!(transport::shop))
        .routes(routes!(transport::label))
        .routes(routes!(transport::manifest))
        .routes(routes!(transport::customs_estimate))
        .routes(routes!(planning::forecast))
        .routes(routes!(planning::inventory_policy))
        .routes(routes!(planning::labor))
        .routes(routes!(planning::peak))
        .routes(routes!(planning_tools::newsvendor))
        .routes(routes!(planning_tools::erlang_c))
        .routes(routes!(planning_tools::reconcile))
        .routes(routes!(planning_tools::backtest))
        .routes(routes!(planning_tools::service_curve))
        .routes(routes!(planning_live::demand_forecast))
        .routes(routes!(planning_live::replenishment))
        .routes(routes!(planning_live::approve))
        .routes(routes!(planning_live::get_transfer))
        .routes(routes!(planning_live::receive_transfer))
        .routes(routes!(planning_live::labor_standards))
        .routes(routes!(planning_live::set_labor_standard))
        .routes(routes!(
            sourcing::put_node_profile,
            sourcing::get_node_profile
        ))
        .routes(routes!(
            sourcing::put_channel_policy,
            sourcing::get_channel_policy
        ))
        .routes(routes!(sourcing::availability))
        .routes(routes!(sourcing::promise))
        .routes(routes!(sourcing::reject_line))
        .routes(routes!(sourcing::partner_stock))
        .routes(routes!(sourcing::partner_requests))
        .routes(routes!(sourcing::acknowledge_request))
        .routes(routes!(sourcing::reject_request))
        .routes(routes!(sourcing::ship_request))
        .routes(routes!(sourcing::store_tasks))
        .routes(routes!(sourcing::task_picked))
        .routes(routes!(sourcing::task_ready))
        .routes(routes!(sourcing::task_collected))
        .routes(routes!(sourcing::task_shipped))
        .routes(routes!(sourcing::task_rejected))
        .routes(routes!(sourcing::expire_pickups))
        .routes(routes!(sourcing::refresh_look_ahead))
        .routes(routes!(sourcing::replan))
        .routes(routes!(warehouse::put_layout))
        .routes(routes!(warehouse::create_asn, warehouse::list_asns))
        .routes(routes!(warehouse::get_asn))
        .routes(routes!(warehouse::receive_asn))
        .routes(routes!(warehouse::suggest_putaway))
        .routes(routes!(warehouse::put_away))
        .routes(routes!(warehouse::release_wave, warehouse::list_waves))
        .routes(routes!(warehouse::get_wave))
        .routes(routes!(warehouse::get_pick_task))
        .routes(routes!(warehouse::confirm_pick))
        .routes(routes!(warehouse::short_pick))
        .routes(routes!(warehouse::pack_scan))
        .routes(routes!(warehouse::ship))
        .routes(routes!(warehouse::get_shipment))
        .routes(routes!(warehouse::close_manifest))
        .routes(routes!(warehouse::create_count, warehouse::list_counts))
        .routes(routes!(warehouse::get_count))
        .routes(routes!(warehouse::record_count))
        .routes(routes!(warehouse::approve_count))
        .routes(routes!(warehouse::set_pick_faces))
        .routes(routes!(warehouse::get_replenishment))
        .routes(routes!(warehouse::confirm_replenishment))
        .routes(routes!(shipping::list))
        .routes(routes!(shipping::label))
        .routes(routes!(shipping::manifest_document))
        .routes(routes!(shipping::track))
        .routes(routes!(shipping::on_time))
        .routes(routes!(returns::create, returns::list))
        .routes(routes!(returns::get))
        .routes(routes!(returns::tracking))
        .routes(routes!(returns::receive))
        .routes(routes!(returns::inspect))
        .routes(routes!(returns::dispose))
        .routes(routes!(returns::refund))
        .routes(routes!(returns::label_pdf))
        .routes(routes!(returns::label_zpl))
        .routes(routes!(returns::qr))
        .routes(routes!(returns::analytics))
        .routes(routes!(returns::put_policy, returns::get_policy))
        .routes(routes!(warehouse::list_pick_tasks))
        .routes(routes!(warehouse::list_replenishments))
        .routes(routes!(warehouse::receive_carton))
        .routes(routes!(warehouse::set_count_program))
        .routes(routes!(warehouse::get_count_program))
        .routes(routes!(warehouse::generate_counts))
        .routes(routes!(warehouse::inventory_accuracy))
        .routes(routes!(kpi::metrics))
        .routes(routes!(kpi::series))
        .routes(routes!(kpi::get_targets, kpi::put_targets))
        .routes(routes!(kpi::exceptions))
        .routes(routes!(
            kpi::get_scorecard_config,
            kpi::put_scorecard_config
        ))
        .routes(routes!(kpi::scorecards))
        .split_for_parts();
    let doc = Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serialises"),
    );
    let metrics = state.metrics.clone();
    api.merge(crate::pages::router())
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route(
            "/scan/pick/{wave}/{list}",
            get(scanner::pick).post(scanner::pick_scan),
        )
        .route(
            "/scan/pack/{order}",
            get(scanner::pack).post(scanner::pack_scan),
        )
        .route(
            "/scan/receive",
            get(scanner::receive_start).post(scanner::receive_start_scan),
        )
        .route(
            "/scan/receive/{asn}",
            get(scanner::receive).post(scanner::receive_scan),
        )
        .route(
            "/scan/receive/{asn}/close",
            axum::routing::post(scanner::receive_close),
        )
        .route(
            "/scan/putaway/{node}",
            get(scanner::putaway).post(scanner::putaway_scan),
        )
        .route(
            "/scan/count/{count}",
            get(scanner::count).post(scanner::count_scan),
        )
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_owned(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found("no such path") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(BODY_BYTES_MAX))
        .layer(axum::middleware::from_fn_with_state(metrics, track))
        .with_state(state)
}

/// Serves until SIGINT or SIGTERM. Prints `listening on http://ADDR` once bound, so
/// that a caller that asked for port 0 learns the port.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let carriers = Arc::new(
        config
            .carriers
            .unwrap_or_else(tote_transport::cli::example_carriers),
    );
    let store = SqliteStore::open(&config.data)
        .with_context(|| format!("open the books in {}", config.data.display()))?;
    let reader = Arc::new(store.reader());
    let sscc_company_prefix = config
        .sscc_company_prefix
        .unwrap_or_else(|| tote_transport::gs1::EXAMPLE_COMPANY_PREFIX.to_owned());
    let engine = tokio::task::spawn_blocking({
        let reader = reader.clone();
        let carriers = carriers.clone();
        let prefix = sscc_company_prefix.clone();
        move || {
            Engine::open(Box::new(store), reader, crate::routes::now())
                .map(|e| e.with_carriers(carriers).with_sscc_company_prefix(prefix))
        }
    })
    .await?
    .context("load the books")?;
    let metrics = Arc::new(Metrics::new());
    let kpi = crate::kpi::KpiService::new(reader.clone());
    let observer = {
        let (count, kpi) = (metrics.commit_observer(), kpi.clone());
        Box::new(move |n: usize, took: std::time::Duration| {
            count(n, took);
            kpi.wake();
        })
    };
    let (writer, writer_thread) = Writer::spawn(engine, Some(observer));
    kpi.clone().spawn();
    let state = AppState {
        writer,
        reader,
        metrics,
        carriers,
        kpi,
        sscc_company_prefix: sscc_company_prefix.into(),
    };
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    println!("listening on http://{addr}");
    tracing::info!(%addr, data = %config.data.display(), "serving");

    // The writer ends early only on a failed commit or a broken invariant: then no
    // further mutation may be answered, so the server stops and a restart resumes
    // from the last commit.
    let (writer_done_tx, writer_done_rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let result = match writer_thread.join() {
            Ok(r) => r,
            Err(_) => Err("the writer panicked (an invariant failed); nothing of its last group was committed".into()),
        };
        let _ = writer_done_tx.send(result);
    });
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal());
    tokio::select! {
        served = server => served.context("serve HTTP")?,
        writer = writer_done_rx => {
            let reason = writer.unwrap_or(Err("the writer vanished".into())).err().unwrap_or_else(|| "the writer stopped".into());
            tracing::error!("stopping: {reason}");
            anyhow::bail!("the writer stopped: {reason}");
        }
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
