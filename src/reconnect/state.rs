//! `SessionState`: what a reconnecting socket's handles and its driver share, behind named
//! methods (the fields are this file's alone).

use std::task::{Context, Poll, Waker};

use super::event_log::{EventLog, Logged};
use super::inbox::Inbox;
use super::send_queue::SendQueue;
use super::ReconnectStatus;
use crate::close::CloseEvent;
use crate::error::{Error, GiveUpReason};
use crate::message::ReadyState;
use crate::platform::remember;
use crate::socket::websocket::WebSocket;

/// What the user last asked the socket to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    Connected,
    /// Started idle, or after `disconnect()`: no connection, no attempt, until `connect()`.
    Idle,
    /// `close()` or dropped: for good.
    Closed {
        dropped: bool,
    },
}

#[derive(Debug)]
pub(super) struct SessionState {
    /// The open connection sends go to (a second handle; the driver reads its own).
    connection: Option<WebSocket>,
    queue: SendQueue,
    inbox: Inbox,
    events: Option<EventLog>,
    /// Tasks waiting to send or flush: woken when the queue drains or the connection changes.
    writers: Vec<Waker>,
    driver: Option<Waker>,
    status: ReconnectStatus,
    wanted: Wanted,
    /// The close the user sent on the connection (`close`, `disconnect`, `reconnect`), which the
    /// driver then ends the connection with, without waiting for the browser's.
    user_close: Option<CloseEvent>,
    /// An attempt is wanted now: the browser came back online, or the user asked.
    attempt_now: bool,
    /// `reconnect()` was called while connected: connect again at once, whatever the close
    /// policy and the backoff say.
    replace_connection: bool,
    /// The network changed under an open connection: check the peer now.
    ping_now: bool,
    /// Set once, when the driver has finished.
    ended: Option<GiveUpReason>,
}

impl SessionState {
    pub(super) fn new(queue: SendQueue, record_events: bool, connect: bool) -> SessionState {
        SessionState {
            connection: None,
            queue,
            inbox: Inbox::default(),
            events: record_events.then(EventLog::default),
            writers: Vec::new(),
            driver: None,
            status: if connect {
                ReconnectStatus::Connecting { attempt: 1 }
            } else {
                ReconnectStatus::Idle
            },
            wanted: if connect {
                Wanted::Connected
            } else {
                Wanted::Idle
            },
            user_close: None,
            attempt_now: false,
            replace_connection: false,
            ping_now: false,
            ended: None,
        }
    }

    /// The connection, if there is one and it is open.
    pub(super) fn open_connection(&self) -> Option<WebSocket> {
        self.connection
            .as_ref()
            .filter(|ws| ws.ready_state() == ReadyState::Open)
            .map(WebSocket::link)
    }

    /// The connection, open or closing.
    pub(super) fn connection(&self) -> Option<&WebSocket> {
        self.connection.as_ref()
    }

    pub(super) fn set_connection(&mut self, ws: Option<WebSocket>) {
        self.inbox
            .set_limit(ws.as_ref().and_then(WebSocket::receive_limit));
        self.connection = ws;
        self.sync_receive_room();
    }

    /// Gives the connection what is left of the receive limit after what waits in the inbox.
    fn sync_receive_room(&self) {
        if let (Some(ws), Some(room)) = (&self.connection, self.inbox.room_left()) {
            ws.set_receive_room(room);
        }
    }

    /// Why nothing more can be sent, once that is so.
    pub(super) fn refusal(&self) -> Option<Error> {
        match (&self.ended, self.wanted) {
            (Some(GiveUpReason::Closed { .. }), _) | (None, Wanted::Closed { .. }) => {
                Some(Error::NotOpen(ReadyState::Closed))
            }
            (Some(reason), _) => Some(Error::GaveUp(reason.clone())),
            (None, _) => None,
        }
    }

    pub(super) fn queue(&mut self) -> &mut SendQueue {
        &mut self.queue
    }

    pub(super) fn queue_len(&self) -> usize {
        self.queue.len()
    }

    pub(super) fn wait_to_write(&mut self, cx: &Context<'_>) {
        remember(&mut self.writers, cx);
    }

    pub(super) fn take_writers(&mut self) -> Vec<Waker> {
        std::mem::take(&mut self.writers)
    }

    pub(super) fn set_driver(&mut self, cx: &Context<'_>) {
        self.driver = Some(cx.waker().clone());
    }

    pub(super) fn take_driver(&mut self) -> Option<Waker> {
        self.driver.take()
    }

    pub(super) fn status(&self) -> &ReconnectStatus {
        &self.status
    }

    pub(super) fn set_status(&mut self, status: ReconnectStatus) {
        self.status = status;
    }

    pub(super) fn wanted(&self) -> Wanted {
        self.wanted
    }

    pub(super) fn set_wanted(&mut self, wanted: Wanted) {
        // Closed is for good; dropped stays dropped.
        self.wanted = match (self.wanted, wanted) {
            (Wanted::Closed { dropped: was }, Wanted::Closed { dropped }) => Wanted::Closed {
                dropped: was || dropped,
            },
            (closed @ Wanted::Closed { .. }, _) => closed,
            (_, wanted) => wanted,
        };
    }

    pub(super) fn ended(&self) -> Option<&GiveUpReason> {
        self.ended.as_ref()
    }

    pub(super) fn set_ended(&mut self, reason: GiveUpReason) -> [Option<Waker>; 2] {
        self.ended = Some(reason);
        self.set_connection(None);
        [
            self.inbox.take_reader(),
            self.events.as_mut().and_then(EventLog::take_reader),
        ]
    }

    pub(super) fn set_user_close(&mut self, close: CloseEvent) {
        self.user_close = Some(close);
    }

    pub(super) fn take_user_close(&mut self) -> Option<CloseEvent> {
        self.user_close.take()
    }

    pub(super) fn flag_attempt_now(&mut self) {
        self.attempt_now = true;
    }

    pub(super) fn take_attempt_now(&mut self) -> bool {
        std::mem::take(&mut self.attempt_now)
    }

    pub(super) fn flag_replace_connection(&mut self) {
        self.replace_connection = true;
    }

    pub(super) fn take_replace_connection(&mut self) -> bool {
        std::mem::take(&mut self.replace_connection)
    }

    pub(super) fn flag_ping_now(&mut self) {
        self.ping_now = true;
    }

    pub(super) fn take_ping_now(&mut self) -> bool {
        std::mem::take(&mut self.ping_now)
    }

    pub(super) fn inbox(&mut self) -> &mut Inbox {
        &mut self.inbox
    }

    /// Received messages waiting unread, here and in the connection.
    pub(super) fn unread(&self) -> usize {
        let in_connection = self.connection.as_ref().map_or(0, WebSocket::unread);
        self.inbox.messages().saturating_add(in_connection)
    }

    /// Adds a received item; returns the reader to wake.
    pub(super) fn deliver(
        &mut self,
        item: Result<crate::message::Message, Error>,
    ) -> Option<Waker> {
        let before_event = self.events.as_ref().map_or(0, EventLog::pushed);
        let reader = self.inbox.push(item, before_event);
        self.sync_receive_room();
        reader
    }

    /// The next received item for the reader.
    pub(super) fn poll_received(
        &mut self,
        cx: &Context<'_>,
    ) -> Poll<Option<Result<crate::message::Message, Error>>> {
        let ended = self.ended.is_some();
        let polled = self.inbox.poll_pop(ended, cx);
        if polled.is_ready() {
            self.sync_receive_room();
        }
        polled
    }

    pub(super) fn events(&mut self) -> Option<&mut EventLog> {
        self.events.as_mut()
    }

    /// The current connection's ready state; `Connecting` between connections.
    pub(super) fn ready_state(&self) -> ReadyState {
        if matches!(self.status, ReconnectStatus::GaveUp(_)) {
            return ReadyState::Closed;
        }
        match (&self.ended, &self.connection, &self.wanted) {
            (Some(_), _, _) => ReadyState::Closed,
            (None, Some(ws), _) => ws.ready_state(),
            (None, None, Wanted::Closed { .. }) => ReadyState::Closing,
            (None, None, Wanted::Idle) => ReadyState::Closed,
            (None, None, Wanted::Connected) => ReadyState::Connecting,
        }
    }

    /// The next received item or recorded event, whichever happened first (an item is received
    /// before the events recorded after it); `None` once the socket has ended and both are read.
    pub(super) fn poll_next_happened(&mut self, cx: &Context<'_>) -> Poll<Option<Happened>> {
        let Some(log) = self.events.as_mut() else {
            return self
                .poll_received(cx)
                .map(|item| item.map(Happened::Received));
        };
        let event_first = match (log.next_number(), self.inbox.front_before_event()) {
            (Some(event), Some(before)) => event < before,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if event_first {
            return Poll::Ready(log.pop().map(Happened::Recorded));
        }
        if !self.inbox.is_empty() {
            return self
                .poll_received(cx)
                .map(|item| item.map(Happened::Received));
        }
        if self.ended.is_some() {
            return Poll::Ready(None);
        }
        log.wait(cx);
        self.inbox.wait(cx);
        Poll::Pending
    }
}

/// What happened next to a reconnecting socket: an item received or an event recorded.
#[derive(Debug)]
pub(super) enum Happened {
    Received(Result<crate::message::Message, Error>),
    Recorded(Logged),
}
