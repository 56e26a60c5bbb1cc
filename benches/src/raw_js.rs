//! The limit no wrapper can beat: the same workloads driven entirely from JS.

use wasm_bindgen::prelude::*;

use crate::workload::Workload;

#[wasm_bindgen(inline_js = r#"
// The messages of a workload, and the check of reply `i` (an ArrayBuffer or a view, or a string).
function messages(isText, n, size) {
  const outgoing = [];
  for (let i = 0; i < n; i++) {
    if (isText) { outgoing.push(String(i).padStart(size, "0")); continue; }
    const b = new Uint8Array(size);
    for (let k = 0; k < size; k++) b[k] = (k * 7 + i) & 255;
    new DataView(b.buffer).setUint32(0, i, true);
    outgoing.push(b);
  }
  return outgoing;
}

function check(isText, size, i, data) {
  if (isText) {
    if (typeof data !== "string" || data.length !== size || parseInt(data, 10) !== i) throw new Error(`message ${i}: wrong`);
    return;
  }
  const b = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  if (b.length !== size || new DataView(b.buffer, b.byteOffset).getUint32(0, true) !== i) throw new Error(`message ${i}: wrong`);
  const step = Math.max(1, Math.floor(size / 64));
  for (let k = 4; k < size; k += step) if (b[k] !== ((k * 7 + i) & 255)) throw new Error(`message ${i}: content`);
}

export function js_bench(url, name, n, size, inFlight, blobMode) {
  const isText = name === "W1" || name === "W3";
  const outgoing = messages(isText, n, size);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = blobMode ? "blob" : "arraybuffer";
    let started = 0, sent = 0, received = 0, roundTrip = 0, chain = Promise.resolve();
    const rtts = [];
    const fail = (e) => { ws.close(); reject(e); };
    const pump = () => {
      roundTrip = performance.now();
      while (sent < n && sent - received < inFlight) ws.send(outgoing[sent++]);
    };
    const handle = (data) => {
      check(isText, size, received, data);
      if (name === "W3") rtts.push(performance.now() - roundTrip);
      received++;
      if (received === n) {
        const ms = performance.now() - started;
        ws.close();
        resolve([ms, ...rtts]);
      } else {
        pump();
      }
    };
    ws.onopen = () => { started = performance.now(); pump(); };
    ws.onmessage = (e) => {
      if (e.data instanceof Blob) {
        // Reads start at once, results are handled in arrival order (the crate's scheme).
        const read = e.data.arrayBuffer();
        chain = chain.then(() => read).then(handle).catch(fail);
      } else {
        try { handle(e.data); } catch (err) { fail(err); }
      }
    };
    ws.onclose = (e) => { if (received < n) reject(new Error(`closed early: ${e.code}`)); };
  });
}

// The same loop over `WebSocketStream` (Chromium): what any stream transport is bounded by.
export async function js_bench_stream(url, name, n, size, inFlight) {
  const isText = name === "W1" || name === "W3";
  const outgoing = messages(isText, n, size);
  const ws = new WebSocketStream(url);
  const { readable, writable } = await ws.opened;
  const reader = readable.getReader(), writer = writable.getWriter();
  let failed = null;
  const started = performance.now();
  let sent = 0, received = 0, roundTrip = 0;
  const rtts = [];
  try {
    while (received < n) {
      roundTrip = performance.now();
      while (sent < n && sent - received < inFlight) writer.write(outgoing[sent++]).catch((e) => { failed = e; });
      const { value, done } = await reader.read();
      if (failed) throw failed;
      if (done) throw new Error(`closed early after ${received}`);
      check(isText, size, received, value);
      if (name === "W3") rtts.push(performance.now() - roundTrip);
      received++;
    }
    return [performance.now() - started, ...rtts];
  } finally {
    ws.close();
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn js_bench(
        url: &str,
        name: &str,
        n: u32,
        size: u32,
        in_flight: u32,
        blob: bool,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch)]
    async fn js_bench_stream(
        url: &str,
        name: &str,
        n: u32,
        size: u32,
        in_flight: u32,
    ) -> Result<JsValue, JsValue>;
}

/// Elapsed ms and, for W3, each round trip's; over `WebSocketStream` if `stream`.
pub async fn run(url: &str, workload: Workload, stream: bool) -> Result<(f64, Vec<f64>), String> {
    let (n, size, in_flight) = workload.shape();
    let (name, n, size, in_flight) = (workload.name(), n as u32, size as u32, in_flight as u32);
    let result = if stream {
        js_bench_stream(url, name, n, size, in_flight).await
    } else {
        js_bench(url, name, n, size, in_flight, workload == Workload::W5).await
    }
    .map_err(|e| format!("{e:?}"))?;
    let values: Vec<f64> = js_sys::Array::from(&result)
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    let (ms, rtts) = values.split_first().ok_or("no result")?;
    Ok((*ms, rtts.to_vec()))
}
