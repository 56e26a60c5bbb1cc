//! The limit no wrapper can beat: the same workloads driven entirely from JS.

use wasm_bindgen::prelude::*;

use crate::workload::Workload;

#[wasm_bindgen(inline_js = r#"
export function js_bench(url, name, n, size, inFlight, blobMode) {
  const isText = name === "W1" || name === "W3";
  const make = (i) => {
    if (isText) return String(i).padStart(size, "0");
    const b = new Uint8Array(size);
    for (let k = 0; k < size; k++) b[k] = (k * 7 + i) & 255;
    new DataView(b.buffer).setUint32(0, i, true);
    return b;
  };
  const check = (i, data) => {
    if (isText) {
      if (typeof data !== "string" || data.length !== size || parseInt(data, 10) !== i) throw new Error(`message ${i}: wrong`);
      return;
    }
    const b = new Uint8Array(data);
    if (b.length !== size || new DataView(data).getUint32(0, true) !== i) throw new Error(`message ${i}: wrong`);
    const step = Math.max(1, Math.floor(size / 64));
    for (let k = 4; k < size; k += step) if (b[k] !== ((k * 7 + i) & 255)) throw new Error(`message ${i}: content`);
  };
  const outgoing = [];
  for (let i = 0; i < n; i++) outgoing.push(make(i));
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
      check(received, data);
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
}

/// Elapsed ms and, for W3, each round trip's.
pub async fn run(url: &str, workload: Workload) -> Result<(f64, Vec<f64>), String> {
    let (n, size, in_flight) = workload.shape();
    let blob = workload == Workload::W5;
    let result = js_bench(
        url,
        workload.name(),
        n as u32,
        size as u32,
        in_flight as u32,
        blob,
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let values: Vec<f64> = js_sys::Array::from(&result)
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    let (ms, rtts) = values.split_first().ok_or("no result")?;
    Ok((*ms, rtts.to_vec()))
}
