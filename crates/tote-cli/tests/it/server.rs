//! Starts `tote serve` on a free port in a temporary directory, and stops it.
//! Every line the server logs at ERROR fails the test unless the test expects it.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub struct Server {
    child: Child,
    pub base: String,
    pub data: PathBuf,
    _dir: Option<tempfile::TempDir>,
    log: Arc<Mutex<Vec<String>>>,
    pub client: reqwest::blocking::Client,
    pub expect_errors: bool,
}

impl Server {
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut s = Server::start_on(&data);
        s._dir = Some(dir);
        s
    }

    /// Starts with more `tote serve` arguments, such as `--carriers DIR`.
    pub fn start_with(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut s = Server::start_on_with(&data, args);
        s._dir = Some(dir);
        s
    }

    /// Starts on an existing data directory (to restart after a crash).
    pub fn start_on(data: &Path) -> Server {
        Server::start_on_with(data, &[])
    }

    fn start_on_with(data: &Path, args: &[&str]) -> Server {
        Server::start_on_env(data, args, &[])
    }

    /// Starts on a data directory with more environment, such as
    /// `TOTE_CLOCK_OFFSET_DAYS` to play a past day.
    pub fn start_on_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tote"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(args)
            .envs(env.iter().copied())
            .env("TOTE_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tote serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the address");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(l);
            }
        });
        Server {
            child,
            base,
            data: data.to_owned(),
            _dir: None,
            log,
            client: reqwest::blocking::Client::new(),
            expect_errors: false,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .expect("POST");
        Self::read(r)
    }

    pub fn client(&self) -> &reqwest::blocking::Client {
        &self.client
    }

    pub fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .put(self.url(path))
            .json(body)
            .send()
            .expect("PUT");
        Self::read(r)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().expect("GET");
        Self::read(r)
    }

    pub fn read(r: reqwest::blocking::Response) -> (u16, Value) {
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = r.text().expect("body");
        if status >= 400 {
            assert_eq!(
                ctype, "application/problem+json",
                "error body of {status}: {text}"
            );
        }
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server with SIGKILL: no shutdown, no flush beyond what was committed.
    /// Returns the data directory, and the temporary directory that holds it.
    pub fn kill(mut self) -> (PathBuf, Option<tempfile::TempDir>) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
        self.expect_errors = true;
        (self.data.clone(), self._dir.take())
    }

    /// A catalog and network: DC1 (priority 1), DC2 (priority 2), and the SKUs named.
    pub fn setup(&self, skus: &[&str]) {
        for (code, prio) in [("DC1", 1), ("DC2", 2)] {
            let (s, b) = self.post("/v1/nodes", &node(code, prio));
            assert_eq!(s, 201, "{b}");
        }
        for sku in skus {
            let (s, b) = self.post("/v1/skus", &sku_body(sku));
            assert_eq!(s, 201, "{b}");
        }
    }

    pub fn receive(&self, node: &str, sku: &str, qty: i64) {
        let (s, b) = self.post(
            "/v1/inventory/receipts",
            &json!({"node": node, "lines": [{"sku": sku, "qty": qty}]}),
        );
        assert_eq!(s, 201, "{b}");
    }

    /// Balances of one SKU by node, as (node, on_hand, reserved, available).
    pub fn stock(&self, sku: &str) -> Vec<(String, i64, i64, i64)> {
        let (s, b) = self.get(&format!("/v1/inventory?sku={sku}"));
        assert_eq!(s, 200, "{b}");
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["node"].as_str().unwrap().to_owned(),
                    r["on_hand"].as_i64().unwrap(),
                    r["reserved"].as_i64().unwrap(),
                    r["available"].as_i64().unwrap(),
                )
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.expect_errors && !std::thread::panicking() {
            let log = self.log.lock().unwrap();
            let errors: Vec<_> = log.iter().filter(|l| l.contains("ERROR")).collect();
            assert!(errors.is_empty(), "the server logged errors:\n{errors:#?}");
        }
    }
}

/// Whether `cmd` runs here (`cmd --version` succeeds).
pub fn on_path(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What a test needs from outside the project (a browser, a barcode reader), or
/// None and a loud skip where it is missing; under `CI=true`, where CI installs
/// it, a missing tool fails the test instead.
#[track_caller]
pub fn needed<T>(found: Option<T>, what: &str) -> Option<T> {
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!ci, "CI=true but {what} is missing");
        eprintln!("SKIPPED: {what} is missing");
    }
    found
}

/// The answer has the status wanted; the body is shown when it has not.
#[track_caller]
pub fn ok(status: u16, want: u16, body: &Value) {
    assert_eq!(status, want, "{body}");
}

/// The request was refused with a 422 whose first error names `field`.
#[track_caller]
pub fn assert_refused(status: u16, body: &Value, field: &str) {
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some(field)),
        "{body}"
    );
}

pub fn node(code: &str, priority: u32) -> Value {
    json!({"code": code, "kind": "dc", "name": format!("{code} warehouse"), "priority": priority,
           "address": {"line1": "1 Main St", "city": "Newark", "region": "NJ", "postal_code": "07102", "country": "US"}})
}

pub fn sku_body(sku: &str) -> Value {
    json!({"sku": sku, "name": format!("{sku} item"), "weight_g": 180, "dims_mm": [300, 220, 20],
           "unit_cost": "4.10", "price": "19.00"})
}

pub fn order_body(external_id: &str, lines: &[(&str, i64)]) -> Value {
    json!({"external_id": external_id, "channel": "web",
           "ship_to": {"line1": "2 Elm St", "city": "Boston", "region": "MA", "postal_code": "02101", "country": "US"},
           "lines": lines.iter().map(|(s, q)| json!({"sku": s, "qty": q})).collect::<Vec<_>>()})
}
