//! The browser's [WebSocket](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket) as typed,
//! async Rust: received messages are a [`Stream`](futures::Stream), sending is a
//! [`Sink`](futures::Sink), and nothing is lost, reordered or silently dropped.
//!
//! ```no_run
//! use futures::{SinkExt, StreamExt};
//! use wasm_websocket::{Message, WebSocket};
//!
//! async fn run() -> Result<(), wasm_websocket::Error> {
//!     let ws = WebSocket::connect("/ws").await?;
//!     let closer = ws.close_handle();
//!     let (mut sink, mut stream) = ws.split();
//!     sink.send(Message::Text("hello".into())).await?;
//!     sink.send(Message::Binary(vec![1, 2, 3])).await?;
//!     while let Some(msg) = stream.next().await {
//!         match msg? {
//!             Message::Text(text) if text == "bye" => closer.close()?,
//!             other => println!("{other:?}"),
//!         }
//!     }
//!     println!("closed: {}", closer.closed().await);
//!     Ok(())
//! }
//! ```
//!
//! # Opening
//! [`WebSocket::connect`] waits until the socket is open and fails with [`Error::ConnectFailed`]
//! (carrying the browser's [`CloseEvent`]) or [`Error::Timeout`]; [`WebSocket::open`] returns at
//! once. URLs and subprotocols are checked in Rust first, the same way in every browser: `http(s)`
//! maps to `ws(s)`, relative URLs resolve against the page, a fragment is refused. If subprotocols
//! were requested and the server selects none, the connection fails in every browser (Firefox
//! would open it; the crate closes it and reports [`Error::ProtocolNotNegotiated`]).
//!
//! A page can send no header with the handshake, so a token goes in the URL's query:
//! [`Builder::query`] encodes it. No text the crate makes holds it: errors, statuses, events and
//! `Debug` show a URL's scheme, host, port and path and its query's keys, each value elided
//! (`?token=…`), never its user info; the browsers' own messages are cleaned the same way.
//!
//! # Receiving
//! Listeners are attached when the socket is created and everything is queued in Rust, so a
//! consumer that starts polling late misses nothing. Messages come out in wire order, whatever
//! the [`BinaryType`]. A clean close ends the stream with `None` ([`WebSocket::closed`] gives the
//! [`CloseEvent`]); an abnormal one yields a single [`Error::Closed`] first. The stream is fused.
//! Browsers drop messages that arrive after the client called `close()`; no wrapper can drain them.
//! A message over [`Builder::max_message_size`] (64 MiB by default, UTF-8 bytes for text) closes
//! the socket with 4903 before it is copied; [`Builder::receive_limit`] bounds what waits unread.
//!
//! # Binary messages
//! - [`BinaryType::ArrayBuffer`] (default): one copy from the JS buffer into a `Vec<u8>`.
//! - [`BinaryType::Blob`]: the browser hands a `Blob`, read with `Blob.arrayBuffer()` then copied
//!   once. Reads run in parallel but are emitted in order: a text behind an 8 MiB Blob waits.
//! - [`BinaryType::RawBlob`]: the `Blob` itself as [`Message::Blob`], no copy.
//!
//! What each path copies:
//!
//! | path | copies made by the crate |
//! | --- | --- |
//! | receive text | one: the JS string is transcoded (UTF-16 to UTF-8) into a `String` |
//! | receive binary, `ArrayBuffer` | one: the buffer into a `Vec<u8>` |
//! | receive binary, `Blob` | one, after the browser's own read of the Blob into an `ArrayBuffer` |
//! | receive binary, `RawBlob` | none |
//! | send text | one: `&str` transcoded into a JS string by wasm-bindgen |
//! | send bytes (`Message::Binary`, `send_binary`) | none in Rust: the browser reads a view of wasm memory; with shared memory (`+atomics`), one into a fresh `Uint8Array`, since browsers refuse views of a `SharedArrayBuffer` |
//! | send `Blob`, `ArrayBuffer`, typed array | none |
//!
//! # Sending and backpressure
//! Sends wait while the socket is connecting and fail with [`Error::NotOpen`] once it is closing
//! or closed: the browser would discard the data silently. They also wait while more than the
//! [high-water mark](Builder::high_water_mark) (4 MiB by default) is queued in the browser, so a
//! fast producer cannot grow the page's memory without bound. The browser has no "drained"
//! event: a waiting sender re-reads `bufferedAmount` every 1–4 ms, and only while it waits (in a
//! hidden page on a dedicated worker's messages: see [Background tabs](#background-tabs)).
//! Sends reach the wire in the order they started, from any number of tasks: a sender that
//! has to wait, or finds others waiting, waits its turn.
//! Reads across the JS boundary are kept to what the rules need: each send reads `readyState`
//! right before it (a send in CLOSING would be discarded silently), while `bufferedAmount` is read
//! only when its last reading plus the bytes sent since could be over a mark.
//! [`SinkExt::send`](futures::SinkExt::send) completes once the buffer is at or below the
//! [low-water mark](Builder::low_water_mark) (by default the high one); [`WebSocket::drained`] waits
//! for an empty buffer. [`Builder::receive_limit`] bounds the messages waiting unread.
//!
//! # Background tabs
//! Browsers throttle timers in hidden tabs: Firefox runs them at least 1 s apart; Chrome aligns
//! them to once a second and, once a page that has finished loading has been hidden for a minute
//! (5 minutes if hidden while loading) and silent for 30 s, wakes chained timers (5 deep or
//! more) once a minute; an open WebSocket exempts neither. A sender waiting on the high-water
//! mark does not depend on them: in a hidden page it re-reads `bufferedAmount` on the messages
//! of a tiny dedicated worker (a `data:` URL, running only while someone waits), with the page's
//! timer a second later as a backstop, so uploads keep their speed. A sender inside a dedicated
//! worker uses that worker's timers. A [`ReconnectingSocket`]'s backoff waits and heartbeat
//! pings stretch in a hidden tab; a heartbeat deadline met late is never taken as a dead peer
//! (the pong may be queued behind the late timer), so throttling delays detection and never
//! drops a live connection.
//!
//! A Content-Security-Policy that does not allow `data:` workers (`worker-src 'self'`, or a
//! `script-src` or `default-src` without `data:` and no `worker-src`) refuses that worker: the
//! browser logs a violation (and sends a report where the policy names an endpoint), once per
//! page, and hidden uploads go on the throttled timer. Such a page serves the worker's one line
//! from its own origin and names it with [`socket::set_ticker_worker`] and
//! [`TickerWorker::Url`](socket::TickerWorker::Url), which keeps both the speed and a quiet
//! console, or turns the worker off; the crate ships the line as
//! `assets/wasm-websocket-ticker.js`. [`socket::TickerWorker`] says what each policy costs.
//!
//! # Closing
//! [`WebSocket::close_with`] checks the code (1000 or 3000–4999, see [`CloseCode`]) and the
//! reason (at most 123 UTF-8 bytes) before the browser sees them. Dropping the last handle closes
//! with 1000.
//!
//! # Events
//! With [`Builder::record_events`], [`WebSocket::events`] yields open, message, error and close
//! in dispatch order, beside the message stream.
//!
//! # Reconnecting, heartbeat, codecs
//! [`ReconnectingSocket`] reconnects with exponential backoff ([`Backoff`]: a minimum delay,
//! full, equal or no [`Jitter`](reconnect::Jitter)),
//! asks a close policy, queues what is sent while disconnected ([`QueuePolicy`](reconnect::QueuePolicy)), can watch the
//! peer with an application-level [`Heartbeat`], and acts at once when the page may have slept:
//! after `online`, the page becoming visible again, a `pageshow` from the back/forward cache and
//! `resume`, a waiting attempt starts and an open connection's peer is pinged.
//! [`WebSocket::typed`] sends and receives values through a [`Codec`] (one type out, another
//! in, if need be); the `json` feature adds a `Json` codec (serde_json), the `codee` feature
//! `CodeeCodec`, which takes any [codee](https://docs.rs/codee) codec (msgpack, bincode,
//! postcard, prost, …). The `io` feature adds `WebSocket::into_io`: a byte stream
//! (`futures::io::AsyncRead`, `AsyncBufRead`, `AsyncWrite`) over binary messages.
//!
//! # Errors
//! One [`Error`] enum of plain Rust data; browser exceptions are mapped by `DOMException` name.
//!
//! # Threads and targets
//! Types are `!Send`: JS objects belong to the thread that made them. On targets without a
//! browser (a native build for server-side rendering) everything compiles and opening returns
//! [`Error::Unsupported`]; [`WebSocket::is_supported`] tells in advance.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs, missing_debug_implementations)]
#![warn(
    rust_2018_idioms,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used
)]
// Tests may unwrap; the library may not.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod close;
pub mod codec;
mod error;
mod message;
mod platform;
pub mod reconnect;
pub mod socket;
mod text;
pub mod view;

pub use close::{CloseCode, CloseEvent, ClosedBy};
#[cfg(feature = "io")]
pub use codec::io::ByteStream;
#[cfg(feature = "json")]
pub use codec::json::{GraphqlWs, Json, JsonRpc};
pub use codec::typed::Typed;
pub use codec::{Codec, Untyped};
pub use error::{Error, GiveUpReason, TrySendError};
pub use message::{BinaryType, Message, ReadyState};
pub use reconnect::{
    Backoff, Handshake, HandshakeIo, Heartbeat, ReconnectBuilder, ReconnectEvent, ReconnectEvents,
    ReconnectHandle, ReconnectStatus, ReconnectingSocket,
};
pub use socket::builder::Builder;
pub use socket::websocket::WebSocket;

#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use platform::live::live_callbacks;
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use platform::running::{drivers_down_to, running_drivers};
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use platform::ticker::act_hidden;
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use platform::wake::force_online;
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use socket::events::recorded_events;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// The README's example is compiled with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
