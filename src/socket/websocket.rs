//! [`WebSocket`]: the `Stream + Sink` users hold, its getters, send helpers and close, the
//! [`Events`] stream, and the crate-private methods the reconnecting layer uses (so that `reconnect/` never reaches into
//! the socket's shared state).

use std::future::poll_fn;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::{Sink, Stream};

use crate::close::{CloseCode, CloseEvent};
use crate::error::Error;
use crate::message::{BinaryType, Message, ReadyState};
use crate::socket::close_handle::CloseHandle;
use crate::socket::events::Event;
use crate::socket::send::{self, BufferWait, Turn};
use crate::socket::shared::{byte_len, Shared};

/// A browser WebSocket as a [`Stream`] of received messages and a [`Sink`] of messages to send.
///
/// Open one with [`WebSocket::connect`] (waits until open) or [`WebSocket::open`] (returns at once,
/// in [`ReadyState::Connecting`]); [`WebSocket::builder`] sets protocols, binary type and connect
/// timeout. Every event listener is attached when the socket is created, so nothing is lost
/// however late the stream is first polled.
///
/// **Receiving**: messages come out in wire order. A clean close ends the stream with `None`
/// ([`WebSocket::closed`] has the [`CloseEvent`]); an abnormal close yields one
/// [`Error::Closed`] first; a connection that never opened yields one [`Error::ConnectFailed`].
///
/// **Sending**: while connecting, sends wait; once closing or closed they fail with
/// [`Error::NotOpen`] instead of being silently discarded as the browser would. While more than
/// the [high-water mark](crate::Builder::high_water_mark) is queued in the browser, sends wait too
/// (backpressure); a flush waits for the [low-water mark](crate::Builder::low_water_mark), and
/// [`WebSocket::drained`] for an empty buffer.
/// [`SinkExt::close`](futures::SinkExt::close) closes with 1000 and waits for the close event
/// (call it as `SinkExt::close(&mut ws)`: the inherent [`WebSocket::close`] takes precedence).
///
/// **Dropping** the last handle (this, its split halves, every [`CloseHandle`]) closes the
/// connection with code 1000 and removes every listener.
///
/// Not `Send`: a JS object belongs to the thread that made it.
///
/// ```no_run
/// use futures::{SinkExt, StreamExt};
/// use wasm_websocket::{Message, WebSocket};
///
/// async fn run() -> Result<(), wasm_websocket::Error> {
///     let mut ws = WebSocket::connect("wss://example.com/chat").await?;
///     ws.send(Message::Text("hello".into())).await?;
///     if let Some(reply) = ws.next().await {
///         println!("{:?}", reply?);
///     }
///     ws.close()?;
///     let ev = ws.closed().await;
///     println!("closed: {ev}");
///     Ok(())
/// }
/// ```
#[must_use = "a WebSocket is closed when dropped"]
#[derive(Debug)]
pub struct WebSocket {
    pub(crate) shared: Rc<Shared>,
    /// The Sink's wait for `bufferedAmount` to drop. The Sink needs no place in the send line:
    /// it takes `&mut self`, so while it is in use nothing else sends on this socket.
    pub(crate) buffer_wait: BufferWait,
}

impl WebSocket {
    /// Whether this runtime has a `WebSocket`: false on native targets (a server-side
    /// rendering build) and in JS environments without one. Never calls into JS off the web.
    ///
    /// ```
    /// if !wasm_websocket::WebSocket::is_supported() {
    ///     // render without live updates
    /// }
    /// ```
    pub fn is_supported() -> bool {
        crate::platform::is_supported()
    }

    /// The connection state.
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// use wasm_websocket::ReadyState;
    /// assert_eq!(ws.ready_state(), ReadyState::Connecting);
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.shared.ready_state()
    }

    /// The absolute URL the socket connected to (`http` already mapped to `ws`).
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("http://127.0.0.1:9001/echo")?;
    /// assert_eq!(ws.url(), "ws://127.0.0.1:9001/echo");
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn url(&self) -> String {
        self.shared.socket.url()
    }

    /// The subprotocol the server selected; empty before open or when none was requested.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// let ws = wasm_websocket::WebSocket::builder("/ws").protocols(["chat"]).connect().await?;
    /// assert_eq!(ws.protocol(), "chat");
    /// # Ok(()) }
    /// ```
    pub fn protocol(&self) -> String {
        self.shared.socket.protocol()
    }

    /// The extensions the server selected (browsers may negotiate `permessage-deflate`).
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// println!("extensions: {}", ws.extensions());
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn extensions(&self) -> String {
        self.shared.socket.extensions()
    }

    /// Bytes handed to the browser that have not been transmitted yet.
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// assert_eq!(ws.buffered_amount(), 0);
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.shared.read_buffered_amount()
    }

    /// How binary messages are being received.
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// assert_eq!(ws.binary_type(), wasm_websocket::BinaryType::ArrayBuffer);
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn binary_type(&self) -> BinaryType {
        self.shared.binary_type()
    }

    /// Changes how binary messages are received from now on. Messages already dispatched keep the
    /// form they arrived in; the order of the stream is kept either way.
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// ws.set_binary_type(wasm_websocket::BinaryType::RawBlob);
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn set_binary_type(&self, binary_type: BinaryType) {
        self.shared.set_binary_type(binary_type);
    }

    /// Sends a text message, waiting while the socket is connecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket is closing or closed, or failed to open while this waited
    /// (the stream and [`WebSocket::closed`] say why).
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) -> Result<(), wasm_websocket::Error> {
    /// ws.send_text("hello").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_text(&self, text: &str) -> Result<(), Error> {
        self.send_with(byte_len(text.len()), |socket| socket.send_with_str(text))
            .await
    }

    /// Sends bytes as a binary message, waiting while the socket is connecting. The browser
    /// copies them straight out of wasm memory (unless memory is shared, see the crate docs).
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket is closing or closed.
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) -> Result<(), wasm_websocket::Error> {
    /// ws.send_binary(&[1, 2, 3]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_binary(&self, bytes: &[u8]) -> Result<(), Error> {
        self.send_with(byte_len(bytes.len()), |socket| {
            crate::platform::wasm_memory::send_bytes(socket, bytes)
        })
        .await
    }

    /// Sends a `Blob` (a file, a canvas export) without copying it through wasm memory.
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket is closing or closed.
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket, blob: &web_sys::Blob) -> Result<(), wasm_websocket::Error> {
    /// ws.send_blob(blob).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_blob(&self, blob: &web_sys::Blob) -> Result<(), Error> {
        self.send_with(None, |socket| socket.send_with_blob(blob))
            .await
    }

    /// Sends a JS `ArrayBuffer` without copying it through wasm memory.
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket is closing or closed.
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) -> Result<(), wasm_websocket::Error> {
    /// ws.send_array_buffer(&js_sys::ArrayBuffer::new(16)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_array_buffer(&self, buffer: &js_sys::ArrayBuffer) -> Result<(), Error> {
        self.send_with(None, |socket| socket.send_with_array_buffer(buffer))
            .await
    }

    /// Sends a JS typed array or `DataView` (only its viewed bytes) without copying it through
    /// wasm memory.
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket is closing or closed.
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) -> Result<(), wasm_websocket::Error> {
    /// let view = js_sys::Uint8Array::new_with_length(8);
    /// ws.send_array_buffer_view(&view).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_array_buffer_view(&self, view: &js_sys::Object) -> Result<(), Error> {
        self.send_with(None, |socket| socket.send_with_array_buffer_view(view))
            .await
    }

    /// Waits for its turn (the sends started before it made, the socket open and below its
    /// high-water mark), then calls `send` on it.
    async fn send_with(
        &self,
        bytes: Option<u32>,
        send: impl FnOnce(&web_sys::WebSocket) -> Result<(), wasm_bindgen::JsValue>,
    ) -> Result<(), Error> {
        let mut turn = Turn::default();
        poll_fn(|cx| turn.poll(&self.shared, cx)).await?;
        // `turn` leaves the line once the send is made, at the end of this scope.
        self.shared.send_js(bytes, send)
    }

    /// Resolves once every byte handed to the browser has been transmitted (`bufferedAmount`
    /// is 0): "everything has left" before closing or navigating away. Polls on a short timer
    /// while it waits, as backpressure does.
    ///
    /// # Errors
    /// [`Error::NotOpen`]: the socket closed with data still buffered (the browser discards it).
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) -> Result<(), wasm_websocket::Error> {
    /// ws.send_binary(&vec![0; 10 << 20]).await?;
    /// ws.drained().await?;
    /// ws.close()?;
    /// # Ok(()) }
    /// ```
    pub async fn drained(&self) -> Result<(), Error> {
        let mut wait = BufferWait::default();
        poll_fn(|cx| wait.poll_at_most(&self.shared, 0, cx)).await
    }

    /// Starts the closing handshake with code 1000 (the server sees 1000, never 1005). Messages
    /// already handed to the browser are still sent; messages still arriving are dropped by the
    /// browser. A no-op once closing or closed.
    ///
    /// To wait for the close, use [`WebSocket::closed`] or [`SinkExt::close`](futures::SinkExt::close).
    ///
    /// # Errors
    /// None in practice; an unexpected browser exception would be [`Error::Js`].
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// ws.close()?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.shared.close(CloseCode::NORMAL, "")
    }

    /// Starts the closing handshake with a code and reason, checked before the browser sees them.
    ///
    /// # Errors
    /// - [`Error::InvalidCloseCode`]: `code` is not 1000 or 3000–4999.
    /// - [`Error::ReasonTooLong`]: `reason` is over 123 UTF-8 bytes.
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// use wasm_websocket::CloseCode;
    /// ws.close_with(CloseCode::from(4001), "logged out")?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.shared.close(code, reason)
    }

    /// Resolves with the [`CloseEvent`] once the socket is closed, whoever closed it.
    ///
    /// ```no_run
    /// # async fn run(ws: &wasm_websocket::WebSocket) {
    /// let ev = ws.closed().await;
    /// println!("closed: {ev}");
    /// # }
    /// ```
    pub async fn closed(&self) -> CloseEvent {
        poll_fn(|cx| self.shared.poll_closed(cx)).await
    }

    /// A cloneable handle that can close the socket and watch its state after the socket has been
    /// split into a sender and a receiver (see [`StreamExt::split`](futures::StreamExt::split)).
    /// The handle keeps the socket open while it lives, like the halves do.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// use futures::StreamExt;
    /// let ws = wasm_websocket::WebSocket::connect("/ws").await?;
    /// let handle = ws.close_handle();
    /// let (sink, stream) = ws.split();
    /// handle.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close_handle(&self) -> CloseHandle {
        CloseHandle {
            shared: self.shared.clone(),
        }
    }

    /// The lifecycle events in dispatch order, if [`Builder::record_events`](crate::Builder::record_events) was set; `None`
    /// otherwise. Each call returns a stream over the same queue: read it from one task.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// use futures::StreamExt;
    /// let ws = wasm_websocket::WebSocket::builder("/ws").record_events(true).open()?;
    /// let mut events = ws.events().expect("recording");
    /// while let Some(event) = events.next().await {
    ///     println!("{event:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(&self) -> Option<Events> {
        self.shared.records_events().then(|| Events {
            shared: self.shared.clone(),
        })
    }

    /// The underlying `web_sys::WebSocket`, for what this crate does not wrap. Replacing its
    /// `on*` handlers is harmless; removing the crate's listeners is not possible from outside.
    /// Data sent on it directly is not counted toward the marks until the crate next reads
    /// `bufferedAmount` ([`buffered_amount`](Self::buffered_amount) reads it): send through the
    /// crate where backpressure matters. Choose the binary type through the crate too: on a
    /// socket that never chose one (and so reads no Blobs), a Blob that a `binaryType` set here
    /// brings comes out as a [`Message::Blob`].
    ///
    /// ```no_run
    /// # let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// let raw: &web_sys::WebSocket = ws.as_raw();
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn as_raw(&self) -> &web_sys::WebSocket {
        &self.shared.socket
    }
}

/// The [`Event`]s of one socket in dispatch order, ending after [`Event::Close`]. Made by
/// [`WebSocket::events`](crate::WebSocket::events); keeps the socket open while it lives.
///
/// ```no_run
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// use wasm_websocket::socket::Event;
/// use wasm_websocket::WebSocket;
/// let ws = WebSocket::builder("/ws").record_events(true).open()?;
/// let mut events = ws.events().expect("recording");
/// assert_eq!(events.next().await, Some(Event::Open));
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct Events {
    pub(crate) shared: Rc<Shared>,
}

impl Stream for Events {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.shared.poll_event(cx)
    }
}

impl FusedStream for Events {
    fn is_terminated(&self) -> bool {
        self.shared.events_terminated()
    }
}

impl Stream for WebSocket {
    type Item = Result<Message, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.shared.poll_next(cx)
    }
}

impl FusedStream for WebSocket {
    fn is_terminated(&self) -> bool {
        self.shared.is_terminated()
    }
}

impl Sink<Message> for WebSocket {
    type Error = Error;

    /// Pending while connecting or above the high-water mark; an error once closing or closed.
    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        send::poll_sendable(&this.shared, &mut this.buffer_wait, cx)
    }

    /// Hands the message to the browser at once.
    fn start_send(self: Pin<&mut Self>, message: Message) -> Result<(), Error> {
        self.shared.send(&message)
    }

    /// Every message is with the browser as soon as it is sent; a flush waits until the
    /// browser's buffer is at or below the low-water mark, so `send().await` in a loop runs at
    /// full speed until the network, not a timer, is the limit.
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        let mark = this.shared.low_water_mark;
        this.buffer_wait.poll_at_most(&this.shared, mark, cx)
    }

    /// Closes with 1000 and resolves when the close event has arrived.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if matches!(
            self.ready_state(),
            ReadyState::Connecting | ReadyState::Open
        ) {
            self.shared.close(CloseCode::NORMAL, "")?;
        }
        self.shared.poll_closed(cx).map(|_| Ok(()))
    }
}

impl WebSocket {
    /// A second handle to the same connection, for sending from the socket's other handles while
    /// the driver reads this one. It does not read: messages stay with the reader.
    pub(crate) fn link(&self) -> WebSocket {
        WebSocket {
            shared: self.shared.clone(),
            buffer_wait: BufferWait::default(),
        }
    }

    /// Hands a message to the browser now, if the connection is open.
    pub(crate) fn send_now(&self, message: &Message) -> Result<(), Error> {
        self.shared.send(message)
    }

    pub(crate) fn high_water_mark(&self) -> u32 {
        self.shared.high_water_mark
    }

    pub(crate) fn low_water_mark(&self) -> u32 {
        self.shared.low_water_mark
    }

    /// Whether `bufferedAmount` is at most `mark` (read only when the bound does not prove it).
    pub(crate) fn buffered_at_most(&self, mark: u32) -> bool {
        self.shared.buffered_at_most(mark)
    }

    /// Ready once `bufferedAmount` is at most `mark`; an error once the connection is closing.
    pub(crate) fn poll_buffered_at_most(
        &self,
        wait: &mut BufferWait,
        mark: u32,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        wait.poll_at_most(&self.shared, mark, cx)
    }

    /// Received messages not yet yielded.
    pub(crate) fn unread(&self) -> usize {
        self.shared.unread()
    }

    /// Lets this connection hold only `room` more unread messages before its receive limit
    /// refuses one (the reconnecting socket holds the rest of the limit).
    pub(crate) fn set_receive_room(&self, room: usize) {
        self.shared.set_receive_room(room);
    }

    pub(crate) fn receive_limit(&self) -> Option<usize> {
        self.shared.receive_limit()
    }

    /// The browser's close event, once it has come.
    pub(crate) fn close_event(&self) -> Option<CloseEvent> {
        self.shared.close_event()
    }

    /// The code and reason the socket closed itself with (a receive limit, a message too large).
    pub(crate) fn fault_close(&self) -> Option<(CloseCode, &'static str)> {
        self.shared.fault_close()
    }
}
