//! Each contender adapted to the common message types, and the loop that runs them all.

use futures::future::ready;
use futures::{SinkExt, StreamExt};
use wasm_websocket::{BinaryType, Message, WebSocket};

use crate::workload::{self, In, Out, Received, Workload};
use crate::{raw_js, raw_sys};

#[derive(Clone, Copy, Debug)]
enum Contender {
    RawJs,
    /// Raw JS over `WebSocketStream` (Chromium): where any transport over it starts from.
    RawJsStream,
    RawWebSys,
    Crate(BinaryType),
    /// The crate's `send_text` instead of its Sink (W3 only): the two paths side by side.
    CrateSendText,
    GlooNet,
    WsStreamWasm,
    WebsocketWeb(websocket_web::Interface),
}

use Workload::*;

impl Contender {
    fn name(self) -> &'static str {
        match self {
            Contender::RawJs => "raw JS",
            Contender::RawJsStream => "raw JS (WebSocketStream)",
            Contender::RawWebSys => "raw web-sys",
            Contender::Crate(BinaryType::ArrayBuffer) => "wasm-websocket (arraybuffer)",
            Contender::Crate(BinaryType::Blob) => "wasm-websocket (blob)",
            Contender::Crate(_) => "wasm-websocket (raw blob, no read)",
            Contender::CrateSendText => "wasm-websocket (send_text)",
            Contender::GlooNet => "gloo-net 0.7",
            Contender::WsStreamWasm => "ws_stream_wasm 0.7",
            Contender::WebsocketWeb(websocket_web::Interface::Stream) => {
                "websocket-web 0.1 (stream)"
            }
            Contender::WebsocketWeb(_) => "websocket-web 0.1 (standard)",
        }
    }

    /// Blob mode is W5 for those that have it; the peers force arraybuffer.
    fn workloads(self) -> &'static [Workload] {
        match self {
            Contender::RawJs => &[W1, W2, W3, W4, W5],
            Contender::Crate(BinaryType::ArrayBuffer) => &[W1, W2, W3, W4],
            Contender::Crate(_) => &[W5],
            Contender::CrateSendText => &[W3],
            _ => &[W1, W2, W3, W4],
        }
    }

    async fn run_once(self, url: &str, workload: Workload) -> Result<(f64, Vec<f64>), String> {
        match self {
            Contender::RawJs => raw_js::run(url, workload, false).await,
            Contender::RawJsStream => raw_js::run(url, workload, true).await,
            Contender::RawWebSys => {
                let socket = raw_sys::RawSocket::connect(url).await?;
                let (mut sink, mut stream) = socket.split();
                workload::run(workload, &mut sink, &mut stream, now).await
            }
            Contender::Crate(mode) => {
                let ws = WebSocket::builder(url)
                    .binary_type(mode)
                    .connect()
                    .await
                    .map_err(|e| e.to_string())?;
                let (sink, stream) = ws.split();
                let mut sink = sink.sink_map_err(|e| e.to_string()).with(|out| {
                    ready(Ok::<_, String>(match out {
                        Out::Text(t) => Message::Text(t),
                        Out::Binary(b) => Message::Binary(b),
                    }))
                });
                let mut stream = stream.map(|item| -> Received {
                    match item.map_err(|e| e.to_string())? {
                        Message::Text(t) => Ok(In::Text(t)),
                        Message::Binary(b) => Ok(In::Binary(b)),
                        Message::Blob(b) => Ok(In::BlobSize(b.size() as usize)),
                    }
                });
                workload::run(workload, &mut sink, &mut stream, now).await
            }
            Contender::CrateSendText => {
                let mut ws = WebSocket::connect(url).await.map_err(|e| e.to_string())?;
                let (n, size, _) = W3.shape();
                let outgoing: Vec<String> =
                    (0..n).map(|i| workload::text_message(i, size)).collect();
                let mut round_trips = Vec::with_capacity(n);
                let started = now();
                for (i, text) in outgoing.iter().enumerate() {
                    let round_trip = now();
                    ws.send_text(text).await.map_err(|e| e.to_string())?;
                    let got = match ws.next().await {
                        Some(Ok(Message::Text(t))) => Ok(In::Text(t)),
                        Some(Ok(_)) => Err(format!("message {i}: not text")),
                        Some(Err(e)) => Err(e.to_string()),
                        None => Err(format!("stream ended after {i}")),
                    };
                    workload::check(W3, i, got)?;
                    round_trips.push(now() - round_trip);
                }
                Ok((now() - started, round_trips))
            }
            Contender::GlooNet => {
                use gloo_net::websocket::{futures::WebSocket, Message};
                let ws = WebSocket::open(url).map_err(|e| e.to_string())?;
                let (sink, stream) = ws.split();
                let mut sink = sink.sink_map_err(|e| e.to_string()).with(|out| {
                    ready(Ok::<_, String>(match out {
                        Out::Text(t) => Message::Text(t),
                        Out::Binary(b) => Message::Bytes(b),
                    }))
                });
                let mut stream = stream.map(|item| -> Received {
                    match item.map_err(|e| e.to_string())? {
                        Message::Text(t) => Ok(In::Text(t)),
                        Message::Bytes(b) => Ok(In::Binary(b)),
                    }
                });
                workload::run(workload, &mut sink, &mut stream, now).await
            }
            Contender::WsStreamWasm => {
                use ws_stream_wasm::{WsMessage, WsMeta};
                let (_meta, ws) = WsMeta::connect(url, None)
                    .await
                    .map_err(|e| e.to_string())?;
                let (sink, stream) = ws.split();
                let mut sink = sink.sink_map_err(|e| e.to_string()).with(|out| {
                    ready(Ok::<_, String>(match out {
                        Out::Text(t) => WsMessage::Text(t),
                        Out::Binary(b) => WsMessage::Binary(b),
                    }))
                });
                let mut stream = stream.map(|item| -> Received {
                    match item {
                        WsMessage::Text(t) => Ok(In::Text(t)),
                        WsMessage::Binary(b) => Ok(In::Binary(b)),
                    }
                });
                workload::run(workload, &mut sink, &mut stream, now).await
            }
            Contender::WebsocketWeb(interface) => {
                use websocket_web::{Msg, WebSocketBuilder};
                let mut builder = WebSocketBuilder::new(url);
                builder.set_interface(interface);
                let ws = builder.connect().await.map_err(|e| e.to_string())?;
                let (sink, stream) = ws.split();
                let mut sink = SinkExt::<Msg>::sink_map_err(sink, |e| e.to_string()).with(|out| {
                    ready(Ok::<_, String>(match out {
                        Out::Text(t) => Msg::Text(t),
                        Out::Binary(b) => Msg::Binary(b),
                    }))
                });
                let mut stream = stream.map(|item| -> Received {
                    match item.map_err(|e| e.to_string())? {
                        Msg::Text(t) => Ok(In::Text(t)),
                        Msg::Binary(b) => Ok(In::Binary(b)),
                    }
                });
                workload::run(workload, &mut sink, &mut stream, now).await
            }
        }
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn print(line: &str) {
    web_sys::console::log_1(&line.into());
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn percentile_99(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64) * 0.99).ceil() as usize;
    values.get(i.saturating_sub(1)).copied().unwrap_or(f64::NAN)
}

/// Runs every contender's workloads three times (interleaved) against `echo_url` and prints one line each:
/// `BENCH <tab> contender <tab> workload <tab> ok|failed <tab> ms,ms,ms <tab> rtt median,p99 <tab> error`.
pub async fn run_all(echo_url: &str) {
    let mut contenders = vec![
        Contender::RawJs,
        Contender::RawWebSys,
        Contender::Crate(BinaryType::ArrayBuffer),
        Contender::Crate(BinaryType::Blob),
        Contender::Crate(BinaryType::RawBlob),
        Contender::CrateSendText,
        Contender::GlooNet,
        Contender::WsStreamWasm,
        Contender::WebsocketWeb(websocket_web::Interface::Standard),
    ];
    // websocket-web's check is whether the global `WebSocketStream` exists.
    if websocket_web::Interface::Stream.is_supported() {
        contenders.insert(1, Contender::RawJsStream);
        contenders.push(Contender::WebsocketWeb(websocket_web::Interface::Stream));
    } else {
        print("BENCH-NOTE\traw JS (WebSocketStream), websocket-web 0.1 (stream)\tWebSocketStream is not available in this browser");
    }
    // While iterating, `BENCH_ONLY="raw JS,gloo-net 0.7;W1,W3"` at build time runs only the named
    // contenders (and workloads), and `BENCH_ROUNDS=5` that many rounds.
    let only = option_env!("BENCH_ONLY").map(|o| o.split_once(';').unwrap_or((o, "")));
    let cases: Vec<(Contender, Workload)> = contenders
        .iter()
        .flat_map(|c| c.workloads().iter().map(move |w| (*c, *w)))
        .filter(|(c, w)| {
            only.is_none_or(|(names, workloads)| {
                names.split(',').any(|n| n == c.name())
                    && (workloads.is_empty() || workloads.split(',').any(|n| n == w.name()))
            })
        })
        .collect();
    let rounds = option_env!("BENCH_ROUNDS")
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut times = vec![Vec::new(); cases.len()];
    let mut round_trips = vec![Vec::new(); cases.len()];
    let mut errors = vec![String::new(); cases.len()];
    // Rounds are interleaved (every contender once, then again) so that the machine's drift
    // spreads over all contenders instead of landing on one.
    for _round in 0..rounds {
        for (i, (contender, workload)) in cases.iter().enumerate() {
            if !errors[i].is_empty() {
                continue;
            }
            match contender.run_once(echo_url, *workload).await {
                Ok((ms, rtts)) => {
                    times[i].push(ms);
                    round_trips[i].extend(rtts);
                }
                Err(e) => errors[i] = e,
            }
        }
    }
    for (i, (contender, workload)) in cases.iter().enumerate() {
        let status = if errors[i].is_empty() { "ok" } else { "failed" };
        let shown: Vec<String> = times[i].iter().map(|t| format!("{t:.1}")).collect();
        let rtt = if round_trips[i].is_empty() {
            String::new()
        } else {
            let m = median(&mut round_trips[i]);
            format!("{m:.3},{:.3}", percentile_99(&mut round_trips[i]))
        };
        print(&format!(
            "BENCH\t{}\t{}\t{status}\t{}\t{rtt}\t{}",
            contender.name(),
            workload.name(),
            shown.join(","),
            errors[i]
        ));
    }
}
