//! The throttled sender: N messages through the Sink, which waits whenever the browser's
//! `bufferedAmount` is above the high-water mark, with progress, rate and a bufferedAmount plot.

use std::cell::Cell;

use futures::{select, FutureExt, Sink, SinkExt, StreamExt};
use gloo_timers::future::IntervalStream;
use wasm_websocket::socket::CloseHandle;
use wasm_websocket::{Error, Message};

use crate::ui::{Kind, Ui};

/// How often bufferedAmount is sampled for the plot.
const SAMPLE_MS: u32 = 25;

pub async fn run(
    ui: &Ui,
    sink: &mut (impl Sink<Message, Error = Error> + Unpin),
    handle: &CloseHandle,
    count: u32,
    size: usize,
) {
    ui.throttle_started(count);
    ui.log(
        Kind::Out,
        "throttle",
        &format!("sending {count} × {size} bytes"),
    );
    let started = js_sys::Date::now();
    let elapsed = || js_sys::Date::now() - started;
    // Every message differs in its first bytes, so the echoes can be told apart.
    let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let sent = Cell::new(0u32);
    let sending = async {
        for _ in 0..count {
            sink.send(Message::Binary(payload.clone())).await?;
            sent.set(sent.get() + 1);
            ui.count_out(size as u64);
            ui.throttle_progress(sent.get(), elapsed());
        }
        Ok::<(), Error>(())
    }
    .fuse();
    futures::pin_mut!(sending);
    let mut samples = IntervalStream::new(SAMPLE_MS).fuse();
    ui.plot_sample(0.0, handle.buffered_amount());
    let result = loop {
        select! {
            result = sending => break result,
            _ = samples.next() => ui.plot_sample(elapsed(), handle.buffered_amount()),
        }
    };
    ui.plot_sample(elapsed(), handle.buffered_amount());
    let seconds = elapsed() / 1000.0;
    let outcome = match result {
        Ok(()) => format!(
            "done: {count} messages, {:.1} MB in {seconds:.2} s ({:.0} messages/s)",
            (count as f64 * size as f64) / 1e6,
            f64::from(count) / seconds.max(0.001),
        ),
        Err(error) => format!("stopped after {} of {count}: {error}", sent.get()),
    };
    ui.log(Kind::Out, "throttle", &outcome);
    ui.throttle_finished(
        &outcome,
        handle.ready_state() == wasm_websocket::ReadyState::Open,
    );
}
