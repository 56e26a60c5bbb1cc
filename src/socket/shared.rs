//! The state every handle of one socket shares, and the four listeners that feed it.
//!
//! The listeners are attached in the same task as the constructor, so no event can be missed, and
//! they hold only a `Weak` to the state: the last handle dropped closes the socket, then drops the
//! listeners, which removes them from the JS object before their closures are freed.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};

use crate::close::{validate_close, CloseCode, CloseEvent};
use crate::error::{Call, Error};
use crate::message::{BinaryType, Message, ReadyState};
use crate::platform::live::Live;
use crate::platform::remember;
use crate::socket::events::{Event, EventQueue};
use crate::socket::fault::Fault;
use crate::socket::receive::{read_blob, Item, ReceiveOptions, ReceiveQueue};
use crate::socket::url::Subprotocols;

/// What the socket keeps of its [`Builder`](crate::Builder).
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) protocols: Vec<String>,
    /// Set with the protocols.
    pub(crate) subprotocols: Option<&'static Subprotocols>,
    pub(crate) binary_type: BinaryType,
    pub(crate) record_events: bool,
    pub(crate) high_water_mark: u32,
    /// `None`: the high-water mark.
    pub(crate) low_water_mark: Option<u32>,
    pub(crate) receive: ReceiveOptions,
}

impl Options {
    /// The low-water mark in force: the one set, capped at the high-water mark, or that mark.
    pub(crate) fn low_water_mark(&self) -> u32 {
        self.low_water_mark
            .map_or(self.high_water_mark, |low| low.min(self.high_water_mark))
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) socket: web_sys::WebSocket,
    /// Senders wait while `bufferedAmount` is above this.
    pub(crate) high_water_mark: u32,
    /// A flush is complete once `bufferedAmount` is at or below this.
    pub(crate) low_water_mark: u32,
    /// At least the browser's `bufferedAmount`: its last reading plus every byte sent since.
    /// The amount only grows by sends (all of the crate's go through [`Shared::send_js`]) and
    /// otherwise drains, so a bound within a mark proves the amount is too, without a read across
    /// the JS boundary; it is read again only when the bound is over the mark.
    buffered_bound: Cell<u32>,
    /// The senders waiting for their turn (see `socket/send.rs`).
    pub(crate) line: RefCell<SendLine>,
    state: RefCell<SocketState>,
    _listeners: [Live<EventListener>; 4],
}

/// The senders of one socket that had to wait, in the order they started: each holds a number,
/// and may hand the browser its message only once every number before it has sent or given up.
#[derive(Debug, Default)]
pub(crate) struct SendLine {
    /// The number the next sender to wait gets.
    next: u64,
    /// The number whose turn it is.
    serving: u64,
    /// Numbers given up before their turn, skipped when it comes.
    given_up: Vec<u64>,
    /// The tasks waiting for their turn, all woken when it passes (each checks its own number).
    waiters: Vec<Waker>,
}

impl SendLine {
    pub(crate) fn is_empty(&self) -> bool {
        self.serving == self.next
    }

    /// A number at the end of the line.
    pub(crate) fn join(&mut self) -> u64 {
        let number = self.next;
        self.next = number.wrapping_add(1);
        number
    }

    /// Whether it is `number`'s turn; if not, its task is woken when the turn passes.
    pub(crate) fn is_turn(&mut self, number: u64, cx: &Context<'_>) -> bool {
        let turn = number == self.serving;
        if !turn {
            remember(&mut self.waiters, cx);
        }
        turn
    }

    /// Leaves the line; returns the tasks to wake if the turn passed.
    pub(crate) fn leave(&mut self, number: u64) -> Vec<Waker> {
        if number != self.serving {
            self.given_up.push(number);
            return Vec::new();
        }
        self.serving = number.wrapping_add(1);
        while let Some(i) = self.given_up.iter().position(|n| *n == self.serving) {
            self.given_up.swap_remove(i);
            self.serving = self.serving.wrapping_add(1);
        }
        std::mem::take(&mut self.waiters)
    }
}

#[derive(Debug)]
struct SocketState {
    queue: ReceiveQueue,
    /// The task reading messages.
    reader: Option<Waker>,
    /// Tasks waiting for open or close: senders, `connect`, `closed()`.
    waiters: Vec<Waker>,
    opened: bool,
    closed: Option<CloseEvent>,
    /// Why the crate closed the connection itself (subprotocol refused, receive limit, message
    /// too large): the stream's last item once what came before has been yielded.
    fault: Option<Fault>,
    /// The code and reason of that close, for a close event the peer may never send.
    fault_close: Option<(CloseCode, &'static str)>,
    /// The message stream has yielded its last item.
    terminated: bool,
    mode: BinaryType,
    requested_protocols: Vec<String>,
    subprotocols: Option<&'static Subprotocols>,
    events: Option<EventQueue>,
}

impl Shared {
    pub(crate) fn new(socket: web_sys::WebSocket, options: Options) -> Rc<Shared> {
        let mode = options.binary_type;
        socket.set_binary_type(mode.to_js());
        Rc::new_cyclic(|weak: &Weak<Shared>| {
            let listen = |name: &'static str, on: fn(&Shared, &web_sys::Event)| {
                let weak = weak.clone();
                Live::listen(&socket, name, move |event| {
                    if let Some(shared) = weak.upgrade() {
                        on(&shared, event);
                    }
                })
            };
            Shared {
                _listeners: [
                    listen("open", Shared::on_open),
                    listen("message", Shared::on_message),
                    listen("error", Shared::on_error),
                    listen("close", Shared::on_close),
                ],
                socket: socket.clone(),
                high_water_mark: options.high_water_mark,
                low_water_mark: options.low_water_mark(),
                buffered_bound: Cell::new(0),
                line: RefCell::default(),
                state: RefCell::new(SocketState {
                    mode,
                    queue: ReceiveQueue::new(options.receive),
                    requested_protocols: options.protocols,
                    subprotocols: options.subprotocols,
                    events: options.record_events.then(EventQueue::default),
                    // Each field named: `..SocketState::default()` would build, then drop, the
                    // ones named here.
                    reader: None,
                    waiters: Vec::new(),
                    opened: false,
                    closed: None,
                    fault: None,
                    fault_close: None,
                    terminated: false,
                }),
            }
        })
    }

    /// Applies `f` to the state, then wakes whoever `f` returned, after the borrow has ended so a
    /// woken task that polls at once cannot meet a `BorrowMutError`.
    fn update(&self, f: impl FnOnce(&mut SocketState) -> Vec<Waker>) {
        let wakers = match self.state.try_borrow_mut() {
            Ok(mut state) => {
                let mut wakers = f(&mut state);
                wakers.extend(state.events.as_mut().and_then(EventQueue::take_waker));
                wakers
            }
            // Only reachable if a listener ran inside a borrow, which browsers never do (events are
            // separate tasks); dropping the event is better than a panic in a callback.
            Err(_) => return,
        };
        wakers.into_iter().for_each(Waker::wake);
    }

    fn on_open(&self, _: &web_sys::Event) {
        let mut refused = false;
        self.update(|state| {
            state.record(Event::Open);
            let requested = &state.requested_protocols;
            if state
                .subprotocols
                .is_some_and(|s| (s.refusal)(&self.socket, requested).is_some())
            {
                state.fault = Some(Fault::NotNegotiated);
                refused = true;
            } else {
                state.opened = true;
            }
            state.wake_all()
        });
        if refused {
            self.close_for_fault(Fault::NotNegotiated);
        }
    }

    /// Closes because of `state.fault`; the browser cannot refuse these codes and reasons.
    fn close_for_fault(&self, fault: Fault) {
        let (code, reason) = fault.close();
        if let Ok(mut state) = self.state.try_borrow_mut() {
            state.fault_close = Some((code, reason));
        }
        let _ = self
            .socket
            .close_with_code_and_reason(code.as_u16(), reason);
    }

    fn on_message(&self, event: &web_sys::Event) {
        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        let data = event.data();
        let mut close = None;
        self.update(|state| {
            if state.fault.is_some() {
                return Vec::new();
            }
            match state.queue.accept(data, state.mode) {
                Ok(Some(kind)) => state.record(Event::Message(kind)),
                Ok(None) => {}
                Err(fault) => {
                    state.fault = Some(fault);
                    close = Some(fault);
                }
            }
            state.reader.take().into_iter().collect()
        });
        if let Some(fault) = close {
            self.close_for_fault(fault);
        }
    }

    fn on_error(&self, _: &web_sys::Event) {
        self.update(|state| {
            state.record(Event::Error);
            Vec::new()
        });
    }

    fn on_close(&self, event: &web_sys::Event) {
        let Some(event) = event.dyn_ref::<web_sys::CloseEvent>() else {
            return;
        };
        let ev = CloseEvent::from_js(event);
        self.update(|state| {
            state.record(Event::Close(ev.clone()));
            state.queue.push_close(ev.clone());
            state.closed = Some(ev);
            state.wake_all()
        });
    }

    /// `fault` as the error it is reported as.
    fn fault_error(&self, state: &SocketState, fault: Fault) -> Error {
        fault.error(|| {
            let refusal = state.subprotocols.map(|s| s.refusal);
            refusal.and_then(|refusal| refusal(&self.socket, &state.requested_protocols))
        })
    }

    pub(crate) fn ready_state(&self) -> ReadyState {
        ReadyState::from(self.socket.ready_state())
    }

    pub(crate) fn binary_type(&self) -> BinaryType {
        self.state.borrow().mode
    }

    pub(crate) fn set_binary_type(&self, mode: BinaryType) {
        let mut state = self.state.borrow_mut();
        state.mode = mode;
        state.queue.set_read_blob(read_blob);
        drop(state);
        self.socket.set_binary_type(mode.to_js());
    }

    /// Ready once the connection is open (with an accepted subprotocol); fails once it can no
    /// longer open.
    pub(crate) fn poll_opened(&self, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        let mut state = self.state.borrow_mut();
        if let Some(fault) = state.fault {
            return Poll::Ready(Err(self.fault_error(&state, fault)));
        }
        if state.opened {
            return Poll::Ready(Ok(()));
        }
        if let Some(ev) = &state.closed {
            return Poll::Ready(Err(Error::ConnectFailed(ev.clone())));
        }
        remember(&mut state.waiters, cx);
        Poll::Pending
    }

    /// Ready when a message can be handed to the browser: pending while connecting, an error once
    /// the socket is known to be closing or closed (the browser would silently discard the data).
    /// A closing handshake the server started has no event: the send's own check catches it.
    pub(crate) fn poll_writable(&self, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        // Opened and no close event yet: the state the send itself reads decides (a closing
        // handshake the server started has no event), so this costs no read across the boundary.
        {
            let state = self.state.borrow();
            if state.opened && state.closed.is_none() {
                return Poll::Ready(
                    state
                        .fault
                        .map_or(Ok(()), |f| Err(self.fault_error(&state, f))),
                );
            }
        }
        match self.ready_state() {
            ReadyState::Connecting => {
                let mut state = self.state.borrow_mut();
                remember(&mut state.waiters, cx);
                Poll::Pending
            }
            ReadyState::Open => {
                let state = self.state.borrow();
                Poll::Ready(
                    state
                        .fault
                        .map_or(Ok(()), |f| Err(self.fault_error(&state, f))),
                )
            }
            closing_or_closed => Poll::Ready(Err(Error::NotOpen(closing_or_closed))),
        }
    }

    /// Whether `bufferedAmount` is at most `mark`, read only when the bound does not prove it.
    pub(crate) fn buffered_at_most(&self, mark: u32) -> bool {
        self.buffered_bound.get() <= mark || self.read_buffered_amount() <= mark
    }

    /// `bufferedAmount`, which also resets the bound to it.
    pub(crate) fn read_buffered_amount(&self) -> u32 {
        let amount = self.socket.buffered_amount();
        self.buffered_bound.set(amount);
        amount
    }

    pub(crate) fn poll_closed(&self, cx: &Context<'_>) -> Poll<CloseEvent> {
        let mut state = self.state.borrow_mut();
        match &state.closed {
            Some(ev) => Poll::Ready(ev.clone()),
            None => {
                remember(&mut state.waiters, cx);
                Poll::Pending
            }
        }
    }

    /// Hands a message to the browser now.
    pub(crate) fn send(&self, message: &Message) -> Result<(), Error> {
        match message {
            Message::Text(text) => {
                self.send_js(byte_len(text.len()), |socket| socket.send_with_str(text))
            }
            Message::Binary(bytes) => self.send_js(byte_len(bytes.len()), |socket| {
                crate::platform::wasm_memory::send_bytes(socket, bytes)
            }),
            Message::Blob(blob) => self.send_js(None, |socket| socket.send_with_blob(blob)),
        }
    }

    /// Sends through `send` if the socket is open (read here, right before: a send in CLOSING or
    /// CLOSED would be discarded silently). `bytes` is what the send adds to `bufferedAmount`
    /// (UTF-8 bytes for text), `None` when unknown without a read, which voids the bound.
    pub(crate) fn send_js(
        &self,
        bytes: Option<u32>,
        send: impl FnOnce(&web_sys::WebSocket) -> Result<(), JsValue>,
    ) -> Result<(), Error> {
        match self.ready_state() {
            ReadyState::Open => {
                send(&self.socket).map_err(|thrown| {
                    Error::from_js(
                        &thrown,
                        Call::Send {
                            state: self.ready_state(),
                        },
                    )
                })?;
                let bound = bytes.map_or(u32::MAX, |n| self.buffered_bound.get().saturating_add(n));
                self.buffered_bound.set(bound);
                Ok(())
            }
            state => Err(Error::NotOpen(state)),
        }
    }

    pub(crate) fn close(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let code = code.as_u16();
        self.socket
            .close_with_code_and_reason(code, reason)
            .map_err(|thrown| Error::from_js(&thrown, Call::Close { code, reason }))
    }

    /// The next message in wire order; `None` after a clean close, one error then `None` after an
    /// abnormal one.
    pub(crate) fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Option<Result<Message, Error>>> {
        let mut state = self.state.borrow_mut();
        if state.terminated {
            return Poll::Ready(None);
        }
        match state.queue.poll_next(cx) {
            // Everything received before the fault has been yielded: the error comes now, not
            // after the closing handshake.
            Poll::Pending if state.fault.is_some() && state.queue.is_empty() => {
                state.terminated = true;
                Poll::Ready(state.fault.map(|f| Err(self.fault_error(&state, f))))
            }
            Poll::Pending => {
                state.reader = Some(cx.waker().clone());
                Poll::Pending
            }
            Poll::Ready(Item::Message(item)) => Poll::Ready(Some(item)),
            Poll::Ready(Item::Closed(ev)) => {
                state.terminated = true;
                let last = if let Some(fault) = state.fault {
                    Some(Err(self.fault_error(&state, fault)))
                } else if !state.opened {
                    Some(Err(Error::ConnectFailed(ev)))
                } else if !ev.was_clean {
                    Some(Err(Error::Closed(ev)))
                } else {
                    None
                };
                Poll::Ready(last)
            }
        }
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.state.borrow().terminated
    }

    /// Received messages not yet yielded (Blobs still being read among them).
    pub(crate) fn unread(&self) -> usize {
        self.state.borrow().queue.len()
    }

    /// See [`ReceiveQueue::set_room`].
    pub(crate) fn set_receive_room(&self, room: usize) {
        self.state.borrow_mut().queue.set_room(room);
    }

    pub(crate) fn receive_limit(&self) -> Option<usize> {
        self.state.borrow().queue.limit()
    }

    /// The browser's close event, once it has come.
    pub(crate) fn close_event(&self) -> Option<CloseEvent> {
        self.state.borrow().closed.clone()
    }

    /// The code and reason the crate closed the connection with because of a fault, if it did.
    pub(crate) fn fault_close(&self) -> Option<(CloseCode, &'static str)> {
        self.state.borrow().fault_close
    }

    pub(crate) fn records_events(&self) -> bool {
        self.state.borrow().events.is_some()
    }

    pub(crate) fn poll_event(&self, cx: &Context<'_>) -> Poll<Option<Event>> {
        match self.state.borrow_mut().events.as_mut() {
            Some(events) => events.poll_next(cx),
            None => Poll::Ready(None),
        }
    }

    pub(crate) fn events_terminated(&self) -> bool {
        self.state
            .borrow()
            .events
            .as_ref()
            .is_none_or(EventQueue::is_terminated)
    }
}

/// A length as what it adds to `bufferedAmount` (a `u32` in the browser).
pub(crate) fn byte_len(len: usize) -> Option<u32> {
    Some(u32::try_from(len).unwrap_or(u32::MAX))
}

impl SocketState {
    fn record(&mut self, event: Event) {
        if let Some(events) = self.events.as_mut() {
            events.record(event);
        }
    }

    fn wake_all(&mut self) -> Vec<Waker> {
        let mut wakers = std::mem::take(&mut self.waiters);
        wakers.extend(self.reader.take());
        wakers
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Close with 1000 so the server sees a normal closure rather than the 1005 of a bare
        // close(); in CONNECTING this abandons the handshake. The listeners are removed right after.
        if matches!(
            self.ready_state(),
            ReadyState::Connecting | ReadyState::Open
        ) {
            let _ = self.socket.close_with_code(1000);
        }
    }
}
