// Drives the scanner pages in headless Chromium over the DevTools protocol, the
// way a keyboard-wedge scanner does: it types each code into whatever input has
// focus and presses Enter. Takes screenshots of the pick page (before and after)
// and the pack page (after a refused scan, and packed).
//
// node --experimental-websocket scanner_browser.mjs BASE_URL PICK_PATH PACK_PATH OUT_DIR SCANS_JSON
// SCANS_JSON: {"pick": ["A1-01", "4006381333931"], "pack": ["4006381333931", "4006381333931"]}
// or {"steps": [...]} (see below) for the receive, put-away and count pages.
import { spawn } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, pickPath, packPath, outDir, scansJson] = process.argv.slice(2);
const scans = JSON.parse(scansJson);
const profile = mkdtempSync(join(tmpdir(), "tote-chromium-"));
const chrome = spawn(process.env.CHROMIUM || "chromium", [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "--window-size=480,900", "about:blank",
]);
const fail = (m) => { console.error(m); chrome.kill("SIGKILL"); process.exit(1); };
setTimeout(() => fail("timed out"), 60_000).unref();

const wsUrl = await new Promise((resolve) => {
  let err = "";
  chrome.stderr.on("data", (d) => {
    err += d;
    const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
});
const version = await (await fetch(wsUrl.replace("ws://", "http://").replace(/\/devtools.*/, "/json/list"))).json();
const page = version.find((t) => t.type === "page");
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r));
let id = 0;
const waiting = new Map();
const listeners = [];
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (msg.id && waiting.has(msg.id)) {
    const { resolve, reject } = waiting.get(msg.id);
    waiting.delete(msg.id);
    msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
  } else if (msg.method) {
    listeners.forEach((l) => l(msg));
  }
});
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const n = ++id;
    waiting.set(n, { resolve, reject });
    ws.send(JSON.stringify({ id: n, method, params }));
  });
const loaded = () => new Promise((r) => {
  const l = (m) => { if (m.method === "Page.loadEventFired") { listeners.splice(listeners.indexOf(l), 1); r(); } };
  listeners.push(l);
});
const evaluate = async (expr) => (await send("Runtime.evaluate", { expression: expr, returnByValue: true })).result.value;

await send("Page.enable");
async function open(path) {
  const done = loaded();
  await send("Page.navigate", { url: base + path });
  await done;
}
// A scanner types into the focused input and ends with Enter.
async function scan(code) {
  // The browser applies `autofocus` when it next renders, which can come just
  // after the load event: give it up to two seconds, as a person would.
  let focused = "";
  for (let tries = 0; tries < 40 && !(focused && focused.startsWith("scan-")); tries++) {
    if (tries > 0) await new Promise((r) => setTimeout(r, 50));
    focused = await evaluate("document.activeElement && document.activeElement.id");
  }
  if (!focused || !focused.startsWith("scan-")) fail(`no scan input has focus (got ${focused})`);
  await send("Input.insertText", { text: code });
  const last = await evaluate("(() => { const f = document.activeElement.form; const inputs = [...f.querySelectorAll('input:not([type=hidden])')]; return inputs.indexOf(document.activeElement) === inputs.length - 1; })()");
  if (last) {
    const done = loaded();
    await send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" });
    await send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
    await done;
  } else {
    // The next field takes the next scan, as the page's tab order says.
    await evaluate("(() => { const f = document.activeElement.form; const inputs = [...f.querySelectorAll('input:not([type=hidden])')]; inputs[inputs.indexOf(document.activeElement) + 1].focus(); })()");
  }
}
async function shot(name) {
  const { data } = await send("Page.captureScreenshot", { format: "png" });
  writeFileSync(join(outDir, name), Buffer.from(data, "base64"));
}

// A run of steps instead of a pick and a pack: SCANS_JSON {"steps": [...]},
// each {"open": path}, {"scan": code}, {"click": element id} or {"shot": name};
// prints the page text at every shot.
if (scans.steps) {
  const texts = {};
  for (const step of scans.steps) {
    if (step.open) await open(step.open);
    if (step.scan !== undefined) await scan(step.scan);
    if (step.click) {
      const done = loaded();
      await evaluate(`document.getElementById(${JSON.stringify(step.click)}).click()`);
      await done;
    }
    if (step.shot) {
      texts[step.shot] = await evaluate("document.body.innerText");
      texts[step.shot + ":bg"] = await evaluate("getComputedStyle(document.body).backgroundColor");
      await shot(step.shot);
    }
  }
  console.log(JSON.stringify(texts));
  ws.close();
  chrome.kill("SIGKILL");
  process.exit(0);
}

await open(pickPath);
await shot("pick-next.png");
for (const code of scans.pick) await scan(code);
const pickText = await evaluate("document.body.innerText");
await shot("pick.png");
await open(packPath);
for (const [i, code] of scans.pack.entries()) {
  await scan(code);
  // The first pack scan is the wrong item: the page must say so in red.
  if (i === 0) await shot("pack-refused.png");
}
const packText = await evaluate("document.body.innerText");
await shot("pack.png");
console.log(JSON.stringify({ pick: pickText, pack: packText }));
ws.close();
chrome.kill("SIGKILL");
process.exit(0);
