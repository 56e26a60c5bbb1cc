//! A plain [`WebSocket`]: connect, then read, send and close until the close event.

use std::rc::Rc;

use futures::channel::mpsc::{self, UnboundedReceiver};
use futures::stream::{self, SplitSink};
use futures::{pin_mut, select, FutureExt, SinkExt, StreamExt};
use gloo_timers::future::IntervalStream;
use wasm_websocket::socket::{CloseHandle, Event};
use wasm_websocket::{CloseCode, Error, Message, WebSocket};

use crate::ui::{Kind, Settings, Ui};
use crate::{image, throttle, Command};

/// How often the state panel reads `readyState` and `bufferedAmount`.
const PANEL_MS: u32 = 100;

/// What the writer task sends, in order.
enum Job {
    Send(Message),
    Throttle { count: u32, size: usize },
}

pub async fn run(ui: &Rc<Ui>, settings: Settings, commands: &mut UnboundedReceiver<Command>) {
    ui.connecting(&settings);
    let connect = WebSocket::builder(settings.url.as_str())
        .protocols(&settings.protocols)
        .binary_type(settings.binary_type)
        .record_events(true)
        .connect()
        .fuse();
    pin_mut!(connect);
    let connected = loop {
        select! {
            result = connect => break result,
            command = commands.next() => if let Some(Command::Close) | None = command {
                // Dropping the attempt closes the socket the browser is opening.
                ui.log(Kind::Note, "cancelled", "closed while connecting");
                return ui.finished();
            },
        }
    };
    let ws = match connected {
        Ok(ws) => ws,
        Err(error) => {
            ui.form_error(&error);
            ui.log(Kind::Error, "failed", &error.to_string());
            return ui.finished();
        }
    };
    ui.opened_socket(&ws.url(), &ws.protocol(), &ws.extensions());
    let mut events = stream::iter(ws.events()).flatten().fuse();
    let handle = ws.close_handle();
    // The Sink goes to a writer polled beside the reading, so a long throttled run never
    // stops the reading.
    let (sink, messages) = ws.split();
    let mut messages = messages.fuse();
    let (jobs, pending) = mpsc::unbounded();
    let writer = writer(ui.clone(), sink, pending, handle.clone()).fuse();
    pin_mut!(writer);
    let mut panel = IntervalStream::new(PANEL_MS).fuse();
    loop {
        select! {
            event = events.next() => log_event(ui, event),
            message = messages.next() => match message {
                Some(Ok(message)) => {
                    ui.received(&message);
                    image::show_if_image(ui, message);
                }
                // The event stream reports an abnormal close, with its close event.
                Some(Err(Error::Closed(_))) => {}
                Some(Err(error)) => ui.log(Kind::Error, "error", &error.to_string()),
                None => break,
            },
            command = commands.next() => {
                let job = match command {
                    Some(Command::Close) => {
                        if close(ui, |code, reason| handle.close_with(code, reason)) {
                            ui.set_ready_state(handle.ready_state());
                        }
                        continue;
                    }
                    Some(Command::SendText) => Job::Send(Message::Text(ui.text())),
                    Some(Command::SendFile(file)) => Job::Send(Message::Blob(file.into())),
                    Some(Command::Throttle) => match ui.throttle_request() {
                        Ok((count, size)) => Job::Throttle { count, size },
                        Err(problem) => {
                            ui.log(Kind::Note, "throttle", &problem);
                            continue;
                        }
                    },
                    Some(Command::Connect) => continue,
                    None => break,
                };
                // The writer lives until `jobs` is dropped below.
                let _ = jobs.unbounded_send(job);
            },
            () = writer => {}
            _ = panel.next() => {
                ui.set_ready_state(handle.ready_state());
                ui.set_buffered(handle.buffered_amount());
            },
        }
    }
    // The writer fails fast now that the socket is closed; the last events (close) follow.
    drop(jobs);
    writer.await;
    while let Some(event) = events.next().await {
        log_event(ui, Some(event));
    }
    ui.set_buffered(handle.buffered_amount());
    ui.finished();
}

fn log_event(ui: &Ui, event: Option<Event>) {
    match event {
        Some(Event::Open) => ui.log(Kind::Open, "open", ""),
        Some(Event::Error) => ui.log(Kind::Error, "error", "the connection failed"),
        Some(Event::Close(event)) => ui.log(Kind::Close, "close", &event.to_string()),
        // Messages are logged from the message stream, with their content; events added later
        // are not shown.
        Some(_) | None => {}
    }
}

/// Closes with the form's code and reason through `close_with`; the crate's validation errors are
/// shown inline. Whether closing started.
pub fn close(ui: &Ui, close_with: impl FnOnce(CloseCode, &str) -> Result<(), Error>) -> bool {
    let (code, reason) = match ui.close_request() {
        Ok(request) => request,
        Err(problem) => {
            ui.close_error(&problem);
            return false;
        }
    };
    match close_with(code, &reason) {
        Ok(()) => {
            ui.close_error("");
            ui.log(
                Kind::Note,
                "closing",
                &format!("code {code}, reason {reason:?}"),
            );
            true
        }
        Err(error) => {
            ui.form_error(&error);
            false
        }
    }
}

/// Sends each job in turn through the socket's backpressure-aware Sink.
async fn writer(
    ui: Rc<Ui>,
    mut sink: SplitSink<WebSocket, Message>,
    mut jobs: UnboundedReceiver<Job>,
    handle: CloseHandle,
) {
    while let Some(job) = jobs.next().await {
        match job {
            Job::Send(message) => match sink.send(message.clone()).await {
                Ok(()) => ui.sent(&message),
                Err(error) => ui.log(Kind::Error, "not sent", &error.to_string()),
            },
            Job::Throttle { count, size } => {
                throttle::run(&ui, &mut sink, &handle, count, size).await;
            }
        }
    }
}
