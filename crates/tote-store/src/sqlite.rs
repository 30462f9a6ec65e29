//! The embedded SQLite backend: one writer connection, a pool of readers.

use crate::codec::{account_columns, account_from_columns, from_json, json, kind_columns};
use crate::group::{CommitGroup, DocRow, IdempotencyRecord, Snapshot};
use crate::query::{
    EventPage, InventoryFilter, InventoryRow, OrderFilter, OrderPage, PAGE_ROWS_MAX, Page,
};
use crate::schema::MIGRATIONS;
use crate::{Journal, Queries, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, params};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tote_core::{Event, Location, Node, Order, OrderId, OrgId, Qty, Sku, Timestamp, TransferId};
use tote_ledger::AccountId;

const DB_FILE: &str = "tote.db";
const LOCK_FILE: &str = "tote.lock";
/// Readers kept open for reuse.
const READER_POOL_MAX: usize = 16;

/// The writer's connection. Holds an exclusive lock on the data directory so that
/// no second process writes to the same books.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    checkpointer: Option<Checkpointer>,
    _lock: File,
}

/// When the WAL is copied back into the database file and started over.
#[derive(Debug, Clone, Copy)]
pub struct WalLimits {
    /// How often the checkpointer copies the WAL into the database file.
    pub checkpoint_every: std::time::Duration,
    /// WAL frames beyond which the writer brings the WAL back to its start.
    pub restart_frames: i64,
}

impl Default for WalLimits {
    /// Checkpoints every 50 ms: each flushes the database file, and a commit's WAL
    /// flush that lands during it waits for it. At 250 ms, under a full HTTP order
    /// load on a fast disk, each pass had about a quarter second of pages to flush,
    /// and those waits (up to 75 ms) set the answers' p99 (30-73 ms over seven
    /// runs, against 16-16.4 ms at 50 ms).
    ///
    /// A restart pauses commits while the writer copies the tail and flushes the
    /// database file (up to about 100 ms seen here); at 1 GiB (16 KiB pages) it
    /// came about every 6 s under a full HTTP order load, so it touches few answers.
    fn default() -> WalLimits {
        WalLimits {
            checkpoint_every: std::time::Duration::from_millis(50),
            restart_frames: 65_536,
        }
    }
}

/// The WAL file is reused in place from its start; it is cut back only when an
/// unusual stretch (a long read holding old frames) grew it beyond this.
const WAL_SIZE_LIMIT_BYTES: i64 = 2 << 30;
/// A tail short enough for the writer to copy between two commits.
const WAL_TAIL_FRAMES: i64 = 256;
const WAL_CATCH_UP_PASSES_MAX: usize = 4;

/// Checkpoints the WAL from its own connection, so the writer's commits never wait
/// on the database file's flush; only the WAL append and its flush are on that path.
///
/// A passive checkpoint copies frames but never rewinds the WAL: SQLite starts it
/// over only when a write transaction begins with every frame already copied, and
/// under steady load the next commit always begins before a checkpoint ends, so the
/// file would grow without bound. After a pass that copied a long WAL the
/// checkpointer raises `restart_due`, and the writer, between two commits, copies
/// the few frames committed since; its next commit then starts the WAL over.
struct Checkpointer {
    stop: Arc<AtomicBool>,
    restart_due: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    fn start(path: &Path, limits: WalLimits) -> Result<Checkpointer, StoreError> {
        let conn = open_connection(path, OpenFlags::default())?;
        let stop = Arc::new(AtomicBool::new(false));
        let restart_due = Arc::new(AtomicBool::new(false));
        let (flag, due) = (stop.clone(), restart_due.clone());
        let thread = std::thread::Builder::new()
            .name("tote-checkpoint".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(limits.checkpoint_every);
                    // PASSIVE never blocks the writer; what it cannot copy now waits
                    // for the next round. A failure here loses nothing: the WAL holds it.
                    let passive = || {
                        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                        })
                    };
                    let Ok((frames, mut copied)) = passive() else {
                        continue;
                    };
                    if frames >= limits.restart_frames {
                        // More passes at once copy what was committed during the last,
                        // each a shorter tail, until the writer is left little to copy.
                        for _ in 0..WAL_CATCH_UP_PASSES_MAX {
                            let Ok((_, now)) = passive() else { break };
                            let tail = now - copied;
                            copied = now;
                            if tail < WAL_TAIL_FRAMES {
                                break;
                            }
                        }
                        due.store(true, Ordering::Release);
                    }
                }
            })?;
        Ok(Checkpointer {
            stop,
            restart_due,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn open_connection(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

impl SqliteStore {
    /// Opens (creating if needed) the books in `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with(dir, WalLimits::default())
    }

    /// The same with other WAL limits (tests use small ones).
    pub fn open_with(dir: &Path, limits: WalLimits) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir)?;
        let lock = File::create(dir.join(LOCK_FILE))?;
        if lock.try_lock().is_err() {
            return Err(StoreError::Locked(dir.display().to_string()));
        }
        let path = dir.join(DB_FILE);
        let conn = open_connection(&path, OpenFlags::default())?;
        // 16 KiB pages (a new database only; an existing one keeps its size): a
        // commit writes each dirty page to the WAL with its own write and checksum,
        // and a group of orders fills a quarter as many pages as with 4 KiB.
        conn.pragma_update(None, "page_size", 16_384)?;
        // WAL lets readers see the last commit while the writer works. FULL, not
        // NORMAL: with NORMAL a power loss may lose commits already acknowledged.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // Checkpoints run on their own thread (see Checkpointer), not inside commits.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT_BYTES)?;
        // 64 MiB of page cache: the indexes that orders land in at random stay in memory.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // One cached statement per multi-row INSERT size (see insert_many).
        conn.set_prepared_statement_cache_capacity(256);
        migrate(&conn)?;
        let checkpointer = Some(Checkpointer::start(&path, limits)?);
        Ok(SqliteStore {
            conn,
            path,
            checkpointer,
            _lock: lock,
        })
    }

    pub fn reader(&self) -> SqliteReader {
        SqliteReader {
            path: self.path.clone(),
            pool: Mutex::new(Vec::new()),
        }
    }

    /// Stops the background checkpoints (the WAL then grows until the next open).
    pub fn stop_checkpoints(&mut self) {
        self.checkpointer = None;
    }
}

/// Rows per multi-row INSERT: well under SQLite's limit of 32,766 parameters.
const ROWS_PER_STATEMENT: usize = 64;

fn insert_many<const N: usize>(
    tx: &rusqlite::Transaction<'_>,
    head: &str,
    rows: &[[&dyn ToSql; N]],
) -> Result<(), StoreError> {
    let one = format!("({})", vec!["?"; N].join(","));
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "{head} VALUES {}",
            vec![one.as_str(); chunk.len()].join(",")
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(chunk.iter().flatten()))?;
    }
    Ok(())
}

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

impl Journal for SqliteStore {
    fn load(&mut self, idempotency_since: Timestamp) -> Result<Snapshot, StoreError> {
        let c = &self.conn;
        let mut snap = Snapshot::default();
        let mut stmt = c.prepare("SELECT body FROM skus ORDER BY id")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            snap.skus.push(from_json("skus", &body?)?);
        }
        let mut stmt = c.prepare("SELECT body FROM nodes ORDER BY id")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            snap.nodes.push(from_json("nodes", &body?)?);
        }
        let mut stmt = c.prepare("SELECT body FROM locations ORDER BY id")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            snap.locations.push(from_json("locations", &body?)?);
        }
        let mut stmt = c.prepare(
            "SELECT id, org, sku, owner, node, location, bucket, party, posted, pending_out, pending_in
             FROM accounts ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let account = account_from_columns(
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            )?;
            let balance = tote_ledger::Balance {
                posted: Qty(r.get(8)?),
                pending_out: Qty(r.get(9)?),
                pending_in: Qty(r.get(10)?),
            };
            snap.accounts.push((AccountId(id as u32), account, balance));
        }
        let mut stmt = c.prepare("SELECT id, source, target, qty FROM pending ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            snap.pending.push((
                TransferId(r.get::<_, i64>(0)? as u64),
                AccountId(r.get::<_, i64>(1)? as u32),
                AccountId(r.get::<_, i64>(2)? as u32),
                Qty(r.get(3)?),
            ));
        }
        let max_transfer: Option<i64> =
            c.query_row("SELECT MAX(id) FROM transfers", [], |r| r.get(0))?;
        snap.next_transfer = TransferId(max_transfer.unwrap_or(0) as u64 + 1);
        let mut stmt = c.prepare(
            "SELECT body FROM orders WHERE status NOT IN ('cancelled', 'shipped', 'delivered') ORDER BY id",
        )?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            snap.open_orders.push(from_json("orders", &body?)?);
        }
        let mut stmt = c.prepare("SELECT org, channel, external_id, id FROM orders")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            snap.external_ids.push((
                OrgId(r.get(0)?),
                r.get(1)?,
                r.get(2)?,
                OrderId(r.get::<_, i64>(3)? as u64),
            ));
        }
        let max_order: Option<i64> = c.query_row("SELECT MAX(id) FROM orders", [], |r| r.get(0))?;
        snap.next_order = OrderId(max_order.unwrap_or(0) as u64 + 1);
        let max_seq: Option<i64> = c.query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))?;
        snap.next_event_seq = max_seq.unwrap_or(0) as u64 + 1;
        let mut stmt = c.prepare(
            "SELECT org, key, request_hash, at, outcome FROM idempotency WHERE at >= ? ORDER BY at",
        )?;
        let mut rows = stmt.query([idempotency_since.0])?;
        while let Some(r) = rows.next()? {
            let hash: Vec<u8> = r.get(2)?;
            snap.idempotency.push(IdempotencyRecord {
                org: OrgId(r.get(0)?),
                key: r.get(1)?,
                request_hash: hash
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("idempotency hash length".into()))?,
                at: Timestamp(r.get(3)?),
                outcome: r.get(4)?,
            });
        }
        let mut stmt = c.prepare(
            "SELECT org, kind, code, body FROM sourcing_config ORDER BY org, kind, code",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            snap.sourcing_config.push(crate::SourcingConfigRow {
                org: OrgId(r.get(0)?),
                kind: r.get(1)?,
                code: r.get(2)?,
                body: r.get(3)?,
            });
        }
        let mut stmt = c.prepare("SELECT org, kind, id, body FROM wms_docs ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            snap.docs.push(DocRow {
                org: OrgId(r.get(0)?),
                kind: r.get(1)?,
                id: r.get(2)?,
                body: r.get(3)?,
            });
        }
        Ok(snap)
    }

    fn commit(&mut self, g: &CommitGroup) -> Result<(), StoreError> {
        if g.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO skus (id, org, code, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            )?;
            for s in &g.skus {
                put.execute(params![s.id.0, s.org.0, s.input.sku, json(s)])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO nodes (id, org, code, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            )?;
            for n in &g.nodes {
                put.execute(params![n.id.0, n.org.0, n.input.code, json(n)])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO locations (id, org, node, code, body) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            )?;
            for l in &g.locations {
                put.execute(params![l.id.0, l.org.0, l.node_id.0, l.input.code, json(l)])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO accounts (id, org, sku, owner, node, location, bucket, party)
                 VALUES (?1, COALESCE(?2, (SELECT org FROM nodes WHERE id = ?5)), ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (id, account) in &g.ledger.new_accounts {
                let c = account_columns(account);
                put.execute(params![
                    id.0, c.org, c.sku, c.owner, c.node, c.location, c.bucket, c.party
                ])?;
            }
            // Rows go in many to a statement: per row, a statement costs SQLite more
            // than the row itself. A reservation made and resolved in the same group
            // never needs a row in `pending`.
            let mut transfer_rows = Vec::with_capacity(g.ledger.transfers.len());
            let mut resolved = std::collections::HashSet::new();
            for t in &g.ledger.transfers {
                let (kind, pending_id) = kind_columns(t.kind);
                if let Some(p) = pending_id {
                    resolved.insert(p);
                }
                transfer_rows.push((
                    t.id.0 as i64,
                    kind,
                    pending_id,
                    t.source.0,
                    t.target.0,
                    t.reason.as_str(),
                ));
            }
            let rows: Vec<[&dyn ToSql; 10]> = g
                .ledger
                .transfers
                .iter()
                .zip(&transfer_rows)
                .map(|(t, r)| -> [&dyn ToSql; 10] {
                    [
                        &r.0,
                        &r.1,
                        &r.2,
                        &r.3,
                        &r.4,
                        &t.qty.0,
                        &r.5,
                        &t.actor,
                        &t.at.0,
                        &t.reference,
                    ]
                })
                .collect();
            insert_many(
                &tx,
                "INSERT INTO transfers (id, kind, pending_id, source, target, qty, reason, actor, at, reference)",
                &rows,
            )?;
            let held: Vec<[&dyn ToSql; 4]> = g
                .ledger
                .transfers
                .iter()
                .zip(&transfer_rows)
                .filter(|(t, r)| {
                    t.kind == tote_ledger::TransferKind::Pending && !resolved.contains(&r.0)
                })
                .map(|(t, r)| -> [&dyn ToSql; 4] { [&r.0, &r.3, &r.4, &t.qty.0] })
                .collect();
            insert_many(&tx, "INSERT INTO pending (id, source, target, qty)", &held)?;
            let created_here: std::collections::HashSet<i64> = transfer_rows
                .iter()
                .filter(|r| r.1 == "pending")
                .map(|r| r.0)
                .collect();
            let mut release = tx.prepare_cached("DELETE FROM pending WHERE id = ?1")?;
            for pending in resolved.iter().filter(|p| !created_here.contains(p)) {
                let gone = release.execute([pending])?;
                assert_eq!(
                    gone, 1,
                    "resolved transfer {pending} was not pending in the store"
                );
            }
            let mut put = tx.prepare_cached(
                "UPDATE accounts SET posted = ?2, pending_out = ?3, pending_in = ?4 WHERE id = ?1",
            )?;
            for (id, b) in &g.ledger.balances {
                put.execute(params![id.0, b.posted.0, b.pending_out.0, b.pending_in.0])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO orders (id, org, channel, external_id, status, placed_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body",
            )?;
            for o in &g.orders {
                put.execute(params![
                    o.id.0 as i64,
                    o.org.0,
                    o.channel,
                    o.external_id,
                    o.status.as_str(),
                    o.placed_at.0,
                    o.body
                ])?;
            }
            let bodies: Vec<(i64, String, &str)> = g
                .events
                .iter()
                .map(|e| (e.seq as i64, json(&e.event), e.event.kind.as_str()))
                .collect();
            let rows: Vec<[&dyn ToSql; 6]> = g
                .events
                .iter()
                .zip(&bodies)
                .map(|(e, (seq, body, kind))| -> [&dyn ToSql; 6] {
                    [seq, &e.event.org.0, &e.at.0, kind, &e.event.subject, body]
                })
                .collect();
            insert_many(
                &tx,
                "INSERT INTO events (seq, org, at, kind, subject, body)",
                &rows,
            )?;
            let mut put = tx.prepare_cached(
                "INSERT INTO idempotency (org, key, request_hash, at, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for i in &g.idempotency {
                put.execute(params![
                    i.org.0,
                    i.key,
                    &i.request_hash[..],
                    i.at.0,
                    i.outcome
                ])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO sourcing_config (org, kind, code, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (org, kind, code) DO UPDATE SET body = excluded.body",
            )?;
            for r in &g.sourcing_config {
                put.execute(params![r.org.0, r.kind, r.code, r.body])?;
            }
            let mut put = tx.prepare_cached(
                "INSERT INTO wms_docs (org, kind, id, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (org, kind, id) DO UPDATE SET body = excluded.body",
            )?;
            for d in &g.docs {
                put.execute(params![d.org.0, d.kind, d.id, d.body])?;
            }
        }
        tx.commit()?;
        self.restart_wal_if_due();
        Ok(())
    }
}

impl SqliteStore {
    /// Copies the frames committed since the checkpointer's last pass, so that the
    /// next commit starts the WAL over (see Checkpointer). Nothing is lost if it
    /// fails: the frames stay in the WAL for the next pass.
    fn restart_wal_if_due(&mut self) {
        let due = self
            .checkpointer
            .as_ref()
            .is_some_and(|c| c.restart_due.swap(false, Ordering::Acquire));
        if due {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
    }
}

/// Read-only connections, opened on demand and kept for reuse.
pub struct SqliteReader {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

impl SqliteReader {
    /// The read side of a data directory, without taking the writer's lock: a
    /// report can read the books while a server runs on them.
    pub fn open(dir: &Path) -> Result<SqliteReader, StoreError> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} holds no tote books", dir.display()),
            )));
        }
        Ok(SqliteReader {
            path,
            pool: Mutex::new(Vec::new()),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.pool.lock().expect("reader pool lock").pop();
        let conn = match conn {
            Some(c) => c,
            None => open_connection(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        let result = f(&conn);
        let mut pool = self.pool.lock().expect("reader pool lock");
        if pool.len() < READER_POOL_MAX {
            pool.push(conn);
        }
        result
    }
}

fn limit(n: usize) -> usize {
    n.clamp(1, PAGE_ROWS_MAX)
}

impl Queries for SqliteReader {
    fn order(&self, org: OrgId, id: OrderId) -> Result<Option<Order>, StoreError> {
        self.with(|c| {
            let body: Option<String> = c
                .prepare_cached("SELECT body FROM orders WHERE org = ?1 AND id = ?2")?
                .query_row(params![org.0, id.0 as i64], |r| r.get(0))
                .optional()?;
            body.map(|b| from_json("orders", &b)).transpose()
        })
    }

    fn orders(&self, org: OrgId, f: &OrderFilter) -> Result<OrderPage, StoreError> {
        let n = limit(f.limit);
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, body FROM orders
                 WHERE org = ?1 AND id < ?2
                   AND (?3 IS NULL OR status = ?3)
                   AND (?4 IS NULL OR channel = ?4)
                   AND (?5 IS NULL OR external_id = ?5)
                 ORDER BY id DESC LIMIT ?6",
            )?;
            let before = f.before_id.map_or(i64::MAX, |b| b as i64);
            let mut rows = stmt.query(params![
                org.0,
                before,
                f.status,
                f.channel,
                f.external_id,
                n as i64 + 1
            ])?;
            let mut items = Vec::new();
            let mut last = None;
            while let Some(r) = rows.next()? {
                if items.len() == n {
                    return Ok(OrderPage {
                        items,
                        next_before_id: last,
                    });
                }
                last = Some(r.get::<_, i64>(0)? as u64);
                items.push(from_json("orders", &r.get::<_, String>(1)?)?);
            }
            Ok(OrderPage {
                items,
                next_before_id: None,
            })
        })
    }

    fn inventory(&self, org: OrgId, f: &InventoryFilter) -> Result<Page<InventoryRow>, StoreError> {
        let n = limit(f.limit);
        self.with(|c| {
            let location_key = if f.by_location { "l.code" } else { "''" };
            let sql = format!(
                "SELECT s.code, n.code, {location_key} AS loc,
                    SUM(CASE WHEN a.bucket = 'on_hand' THEN a.posted ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'on_hand' THEN a.pending_out ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'damaged' THEN a.posted ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'quarantine' THEN a.posted ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'returns_pending' THEN a.posted ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'refurbish' THEN a.posted ELSE 0 END),
                    SUM(CASE WHEN a.bucket = 'liquidation' THEN a.posted ELSE 0 END)
                 FROM accounts a
                 JOIN skus s ON s.id = a.sku
                 JOIN nodes n ON n.id = a.node
                 JOIN locations l ON l.id = a.location
                 WHERE a.org = ?1 AND a.party IS NULL
                   AND (?2 IS NULL OR s.code = ?2)
                   AND (?3 IS NULL OR n.code = ?3)
                 GROUP BY s.code, n.code, loc
                 HAVING (s.code, n.code, loc) > (?4, ?5, ?6)
                 ORDER BY s.code, n.code, loc
                 LIMIT ?7"
            );
            let (a, b, l) = f.after.clone().unwrap_or_default();
            let mut stmt = c.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![org.0, f.sku, f.node, a, b, l, n as i64 + 1])?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                if items.len() == n {
                    return Ok(Page { items, more: true });
                }
                let on_hand: i64 = r.get(3)?;
                let reserved: i64 = r.get(4)?;
                let location: String = r.get(2)?;
                items.push(InventoryRow {
                    sku: r.get(0)?,
                    node: r.get(1)?,
                    location: f.by_location.then_some(location),
                    on_hand,
                    reserved,
                    available: on_hand - reserved,
                    damaged: r.get(5)?,
                    quarantine: r.get(6)?,
                    returns_pending: r.get(7)?,
                    refurbish: r.get(8)?,
                    liquidation: r.get(9)?,
                });
            }
            Ok(Page { items, more: false })
        })
    }

    fn events(&self, org: OrgId, after: u64, n: usize) -> Result<EventPage, StoreError> {
        let n = limit(n);
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, body FROM events WHERE org = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![org.0, after as i64, n as i64])?;
            let mut items: Vec<Event> = Vec::new();
            let mut last_seq = None;
            while let Some(r) = rows.next()? {
                last_seq = Some(r.get::<_, i64>(0)? as u64);
                items.push(from_json("events", &r.get::<_, String>(1)?)?);
            }
            Ok(EventPage { items, last_seq })
        })
    }

    fn sku(&self, org: OrgId, code: &str) -> Result<Option<Sku>, StoreError> {
        self.with(|c| {
            let body: Option<String> = c
                .prepare_cached("SELECT body FROM skus WHERE org = ?1 AND code = ?2")?
                .query_row(params![org.0, code], |r| r.get(0))
                .optional()?;
            body.map(|b| from_json("skus", &b)).transpose()
        })
    }

    fn skus(&self, org: OrgId, after: Option<&str>, n: usize) -> Result<Page<Sku>, StoreError> {
        let n = limit(n);
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT body FROM skus WHERE org = ?1 AND code > ?2 ORDER BY code LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![org.0, after.unwrap_or(""), n as i64 + 1])?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                if items.len() == n {
                    return Ok(Page { items, more: true });
                }
                items.push(from_json("skus", &r.get::<_, String>(0)?)?);
            }
            Ok(Page { items, more: false })
        })
    }

    fn doc(&self, org: OrgId, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
        self.with(|c| {
            Ok(c.prepare_cached(
                "SELECT body FROM wms_docs WHERE org = ?1 AND kind = ?2 AND id = ?3",
            )?
            .query_row(params![org.0, kind, id], |r| r.get(0))
            .optional()?)
        })
    }

    fn demand_lines(&self, org: OrgId, since: i64) -> Result<Vec<crate::DemandLine>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT placed_at, body FROM orders
                 WHERE org = ?1 AND placed_at >= ?2 AND status != 'cancelled'
                 ORDER BY placed_at DESC, id DESC LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![
                org.0,
                since,
                crate::query::DEMAND_ORDERS_MAX as i64
            ])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let placed_at: i64 = r.get(0)?;
                let order: Order = from_json("orders", &r.get::<_, String>(1)?)?;
                let channel = order.channel.to_string();
                for l in &order.lines {
                    for a in &l.allocations {
                        out.push(crate::DemandLine {
                            placed_at,
                            channel: channel.clone(),
                            sku: l.sku.clone(),
                            node: Some(a.node.clone()),
                            qty: a.qty.0,
                        });
                    }
                    if l.backordered.0 > 0 {
                        out.push(crate::DemandLine {
                            placed_at,
                            channel: channel.clone(),
                            sku: l.sku.clone(),
                            node: None,
                            qty: l.backordered.0,
                        });
                    }
                }
            }
            // Read newest first so a bound keeps the recent orders; answer oldest first.
            out.reverse();
            Ok(out)
        })
    }

    fn docs_page(
        &self,
        org: OrgId,
        kind: &str,
        filters: &[(&'static str, String)],
        after: Option<i64>,
        n: usize,
    ) -> Result<Page<(i64, String)>, StoreError> {
        let n = limit(n);
        // The paths are the caller's constants; only the values are bound.
        let mut sql = String::from(
            "SELECT seq, body FROM wms_docs WHERE org = ?1 AND kind = ?2 AND seq > ?3",
        );
        for (i, (path, _)) in filters.iter().enumerate() {
            assert!(
                path.starts_with("$.")
                    && path[2..]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                "a filter path is a plain field"
            );
            sql.push_str(&format!(" AND json_extract(body, '{path}') = ?{}", i + 4));
        }
        sql.push_str(&format!(" ORDER BY seq LIMIT {}", n + 1));
        self.with(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let mut values: Vec<&dyn rusqlite::ToSql> = vec![&org.0, &kind, &0i64];
            let after = after.unwrap_or(0);
            values[2] = &after;
            for (_, v) in filters {
                values.push(v);
            }
            let mut rows = stmt.query(values.as_slice())?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                if items.len() == n {
                    return Ok(Page { items, more: true });
                }
                items.push((r.get::<_, i64>(0)?, r.get::<_, String>(1)?));
            }
            Ok(Page { items, more: false })
        })
    }

    fn docs(&self, org: OrgId, kind: &str, limit_rows: usize) -> Result<Vec<String>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT body FROM wms_docs WHERE org = ?1 AND kind = ?2 ORDER BY seq DESC LIMIT ?3",
            )?;
            let rows =
                stmt.query_map(params![org.0, kind, limit(limit_rows) as i64], |r| r.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
    }

    fn idempotent_outcome(&self, org: OrgId, key: &str) -> Result<Option<String>, StoreError> {
        self.with(|c| {
            Ok(
                c.prepare_cached("SELECT outcome FROM idempotency WHERE org = ?1 AND key = ?2")?
                    .query_row(params![org.0, key], |r| r.get(0))
                    .optional()?,
            )
        })
    }

    fn node(&self, org: OrgId, code: &str) -> Result<Option<Node>, StoreError> {
        self.with(|c| {
            let body: Option<String> = c
                .prepare_cached("SELECT body FROM nodes WHERE org = ?1 AND code = ?2")?
                .query_row(params![org.0, code], |r| r.get(0))
                .optional()?;
            body.map(|b| from_json("nodes", &b)).transpose()
        })
    }

    fn nodes(&self, org: OrgId) -> Result<Vec<Node>, StoreError> {
        self.with(|c| {
            let mut stmt =
                c.prepare_cached("SELECT body FROM nodes WHERE org = ?1 ORDER BY code")?;
            let mut rows = stmt.query([org.0])?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                items.push(from_json("nodes", &r.get::<_, String>(0)?)?);
            }
            Ok(items)
        })
    }

    fn locations(
        &self,
        org: OrgId,
        node: &str,
        after: Option<&str>,
        n: usize,
    ) -> Result<Page<Location>, StoreError> {
        let n = limit(n);
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT l.body FROM locations l JOIN nodes n ON n.id = l.node
                 WHERE l.org = ?1 AND n.code = ?2 AND l.code > ?3 ORDER BY l.code LIMIT ?4",
            )?;
            let mut rows = stmt.query(params![org.0, node, after.unwrap_or(""), n as i64 + 1])?;
            let mut items = Vec::new();
            while let Some(r) = rows.next()? {
                if items.len() == n {
                    return Ok(Page { items, more: true });
                }
                items.push(from_json("locations", &r.get::<_, String>(0)?)?);
            }
            Ok(Page { items, more: false })
        })
    }
}
