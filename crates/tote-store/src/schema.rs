//! The schema, as numbered migrations applied in order (tracked in `user_version`).

pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO orgs (id, name) VALUES (1, 'default');
CREATE TABLE owners (id INTEGER PRIMARY KEY, org INTEGER NOT NULL REFERENCES orgs(id), code TEXT NOT NULL, name TEXT NOT NULL);
INSERT INTO owners (id, org, code, name) VALUES (1, 1, 'default', 'default');

CREATE TABLE skus (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (org, code)
);
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (org, code)
);
CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    node INTEGER NOT NULL REFERENCES nodes(id),
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (node, code)
);

-- One row per ledger account, with its balance after the last commit.
-- Internal accounts have owner, node, location and bucket; external ones a party.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    sku INTEGER NOT NULL,
    owner INTEGER,
    node INTEGER,
    location INTEGER,
    bucket TEXT,
    party TEXT,
    posted INTEGER NOT NULL DEFAULT 0,
    pending_out INTEGER NOT NULL DEFAULT 0,
    pending_in INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accounts_by_sku ON accounts (org, sku);

-- The journal: append-only.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    pending_id INTEGER,
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    qty INTEGER NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    reference TEXT NOT NULL
);
-- Pending transfers not yet posted or voided.
CREATE TABLE pending (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    qty INTEGER NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    status TEXT NOT NULL,
    placed_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (org, channel, external_id)
);
CREATE INDEX orders_by_status ON orders (org, status, id);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    org INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE idempotency (
    org INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (org, key)
);
CREATE INDEX idempotency_by_time ON idempotency (at);
"#,
    r#"
-- Sourcing configuration: node fulfilment profiles (kind 'node') and channel
-- policies (kind 'channel'), each a JSON body keyed by the node or channel code.
CREATE TABLE sourcing_config (
    org INTEGER NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (org, kind, code)
);
"#,
    r#"
-- Warehouse records (ASNs, waves, pick lists, shipments, manifests, counts), each
-- a JSON body the writer owns; `seq` keeps insertion order for loading.
CREATE TABLE wms_docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    org INTEGER NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (org, kind, id)
);
"#,
];
