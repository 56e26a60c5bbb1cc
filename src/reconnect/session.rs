//! `Session`: everything a reconnecting socket's handles share with its driver, whole: the
//! [`State`] (the send queue, the received messages and lifecycle changes not read yet), the
//! [`Command`]s the handles give the driver, and the transitions both make, sends among them.
//!
//! How messages leave a reconnecting socket: a message goes straight to the browser only when a
//! connection is open, nothing waits before it, and the browser holds no more than the
//! connection's high-water mark; otherwise it waits in the queue, which the driver hands to the
//! connection in order, under the same mark. So the browser never holds more than the mark plus
//! one message, connected or not.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll, Waker};

use super::events::{Lifecycle, ReconnectStatus};
use crate::close::{validate_close, CloseCode, CloseEvent};
use crate::codec::requests::Pending;
use crate::error::{Error, GiveUpReason, TrySendError};
use crate::message::{Message, ReadyState};
use crate::platform::remember;
use crate::socket::send::BufferWait;
use crate::socket::shared::SendLine;
use crate::socket::websocket::WebSocket;

pub(super) struct Session {
    state: RefCell<State>,
    /// The requests waiting for answers: `deliver` hands them their answers, the end of their
    /// connection (or of the socket) fails them.
    pub(super) requests: RefCell<Pending>,
}

/// What the socket's handles ask its driver to do, in the one line they reach it through. What
/// the user wants the socket to be (connected, idle, closed) is [`Wanted`], a state, not a
/// command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Command {
    /// Start the next attempt now: the browser is back online, or the user asked.
    AttemptNow,
    /// Check the open connection's peer now: the network may have changed under it.
    CheckPeer,
    /// End the open connection: the user closed it with `close` (`None`: the peer had begun to
    /// close it), and if `again`, connect again at once whatever the policy and the backoff say.
    EndConnection {
        close: Option<CloseEvent>,
        again: bool,
    },
}

/// What the user wants done to the open connection, as its driver sees it.
pub(super) enum UserAction {
    /// End it, with this close if it was closed for the user; then connect again at once if
    /// `again`.
    End {
        close: Option<CloseEvent>,
        again: bool,
    },
    /// Dropped the socket.
    Dropped,
}

/// How a wait that the user can cut short ended.
pub(super) enum Outcome<T> {
    Done(T),
    /// `disconnect()`: back to idle.
    Paused,
    /// `close()` or dropped: for good.
    Stopped,
}

impl Session {
    pub(super) fn new(queue: SendQueue, connect: bool, max_requests: usize) -> Rc<Session> {
        Rc::new(Session {
            state: RefCell::new(State::new(queue, connect)),
            requests: RefCell::new(Pending::new(max_requests)),
        })
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.borrow_mut())
    }

    /// Records `change` for the reader; a status becomes the socket's.
    pub(super) fn record(&self, change: Lifecycle) {
        let waker = self.with(|s| {
            if let Lifecycle::Status(status) = &change {
                s.status = status.clone();
            }
            s.events.push(change)
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(super) fn set_status(&self, status: ReconnectStatus) {
        self.record(Lifecycle::Status(status));
    }

    pub(super) fn deliver(&self, item: Result<Message, Error>) {
        // An answer goes to the request waiting for it, not to the reader.
        let item = match item {
            Ok(message) => match self.requests.try_borrow_mut() {
                Ok(mut requests) => match requests.take_answer(message) {
                    Some(message) => Ok(message),
                    None => return,
                },
                Err(_) => Ok(message),
            },
            Err(error) => Err(error),
        };
        if let Some(w) = self.with(|s| s.deliver(item)) {
            w.wake();
        }
    }

    /// What the user wants done to the open connection; the driver is woken when that changes.
    pub(super) fn poll_user(&self, cx: &Context<'_>) -> Option<UserAction> {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            if let Some(Command::EndConnection { close, again }) =
                s.take_command(|c| matches!(c, Command::EndConnection { .. }))
            {
                return Some(UserAction::End { close, again });
            }
            match s.wanted {
                Wanted::Connected => None,
                Wanted::Closed { dropped: true } => Some(UserAction::Dropped),
                // Asked while the connection was not open (the peer had begun to close it).
                _ => Some(UserAction::End {
                    close: Some(CloseEvent::sent(CloseCode::NORMAL, "")),
                    again: false,
                }),
            }
        })
    }

    /// Hands the driver `command` and wakes it.
    pub(super) fn command(&self, command: Command) {
        self.with(|s| s.push_command(command));
        self.wake_driver();
    }

    /// Takes `command` if it was given; the driver is woken when it is.
    pub(super) fn take_command(&self, command: &Command, cx: &Context<'_>) -> bool {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            s.take_command(|c| c == command).is_some()
        })
    }

    /// Lets go of `command`, given before what the driver now starts answers it.
    pub(super) fn answered(&self, command: &Command) {
        self.with(|s| s.take_command(|c| c == command));
    }

    /// What cuts the driver's waits short now, if anything; the driver is woken when it changes.
    pub(super) fn interruption(&self, cx: &Context<'_>) -> Option<Outcome<()>> {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            match s.wanted {
                Wanted::Connected => None,
                Wanted::Idle => Some(Outcome::Paused),
                Wanted::Closed { .. } => Some(Outcome::Stopped),
            }
        })
    }

    /// Runs `future` until it completes, or the user disconnects or closes the socket.
    pub(super) async fn unless_interrupted<F: Future + Unpin>(
        &self,
        mut future: F,
    ) -> Outcome<F::Output> {
        poll_fn(|cx| match self.interruption(cx) {
            Some(Outcome::Paused) => Poll::Ready(Outcome::Paused),
            Some(_) => Poll::Ready(Outcome::Stopped),
            None => Pin::new(&mut future).poll(cx).map(Outcome::Done),
        })
        .await
    }

    /// Asks for `wanted` and wakes the driver to act on it.
    pub(super) fn want(&self, wanted: Wanted) {
        self.with(|s| s.set_wanted(wanted));
        self.wake_driver();
        self.wake_writers();
    }

    pub(super) fn wake_driver(&self) {
        if let Some(w) = self.with(|s| s.driver.take()) {
            w.wake();
        }
    }

    pub(super) fn wake_writers(&self) {
        let writers = self.with(|s| std::mem::take(&mut s.writers));
        writers.into_iter().for_each(Waker::wake);
    }

    /// The page may have slept (`platform::wake`): the network may have changed, or the peer
    /// gone, under an open connection, so its peer is checked at once; a waiting attempt starts
    /// at once.
    pub(super) fn woke_up(&self) {
        self.command(Command::AttemptNow);
        self.command(Command::CheckPeer);
    }

    /// Makes `ws` the connection to send on; the driver then flushes the queue onto it. What
    /// was asked of an earlier connection does not carry over to it.
    pub(super) fn connected(&self, ws: &WebSocket) {
        self.with(|s| {
            s.commands.retain(|c| *c == Command::AttemptNow);
            s.set_connection(Some(ws.link()));
            s.connections = s.connections.wrapping_add(1);
        });
        self.wake_writers();
    }

    /// The connection that opened last has ended, with `close`: the requests sent on it will
    /// get no answer.
    pub(super) fn connection_ended(&self, close: &CloseEvent) {
        let connection = self.with(|s| s.connections);
        // Never borrowed across a call out: the borrow cannot fail here.
        if let Ok(mut requests) = self.requests.try_borrow_mut() {
            requests.fail(Some(connection), &Error::Closed(close.clone()));
        }
    }

    pub(super) fn disconnected(&self) {
        self.with(|s| s.set_connection(None));
        self.wake_writers();
    }

    /// The end: no connection, no attempt. Unless its user closed it, the message stream's last
    /// item says why; then both streams end and waiting writers learn it.
    pub(super) fn end(&self, reason: GiveUpReason) {
        if !matches!(reason, GiveUpReason::Closed { .. }) {
            self.deliver(Err(Error::GaveUp(reason.clone())));
        }
        self.set_status(ReconnectStatus::GaveUp(reason.clone()));
        let wakers = self.with(|s| s.set_ended(reason));
        wakers.into_iter().flatten().for_each(Waker::wake);
        if let Some(refused) = self.with(|s| s.refusal()) {
            if let Ok(mut requests) = self.requests.try_borrow_mut() {
                requests.fail(None, &refused);
            }
        }
        self.wake_writers();
    }
}

/// The steering, shared by the socket and its handles.
impl Session {
    /// Closes the open connection, if any, for the user; the driver then ends it with this close
    /// rather than wait for the browser's, and connects again at once if `again`.
    fn end_connection(&self, code: CloseCode, reason: &str, again: bool) -> Result<(), Error> {
        let close = match self.with(|s| s.open_connection()) {
            Some(ws) => {
                ws.close_with(code, reason)?;
                Some(CloseEvent::sent(code, reason))
            }
            None => None,
        };
        if close.is_some() || again {
            self.command(Command::EndConnection { close, again });
        }
        Ok(())
    }

    fn refusal(&self) -> Result<(), Error> {
        self.with(|s| s.refusal()).map_or(Ok(()), Err)
    }

    pub(super) fn reconnect(&self) -> Result<(), Error> {
        self.refusal()?;
        // What the user asked last decides idle: the status follows the driver, a turn later.
        if self.with(|s| s.wanted) == Wanted::Idle {
            return self.connect();
        }
        match self.with(|s| s.status.clone()) {
            ReconnectStatus::Connecting { .. } => Ok(()),
            ReconnectStatus::Open => self.end_connection(CloseCode::NORMAL, "reconnecting", true),
            _ => {
                self.command(Command::AttemptNow);
                Ok(())
            }
        }
    }

    pub(super) fn connect(&self) -> Result<(), Error> {
        self.refusal()?;
        if self.with(|s| s.wanted) == Wanted::Idle {
            self.want(Wanted::Connected);
        }
        Ok(())
    }

    pub(super) fn disconnect_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        self.refusal()?;
        if self.with(|s| s.wanted) == Wanted::Connected {
            self.end_connection(code, reason, false)?;
            self.want(Wanted::Idle);
        }
        Ok(())
    }

    pub(super) fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        self.end_connection(code, reason, false)?;
        self.want(Wanted::Closed { dropped: false });
        Ok(())
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

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
pub(super) struct State {
    /// The open connection sends go to (a second handle; the driver reads its own).
    pub(super) connection: Option<WebSocket>,
    pub(super) queue: SendQueue,
    pub(super) inbox: Inbox,
    pub(super) events: EventLog,
    /// Tasks waiting to send or flush: woken when the queue drains or the connection changes.
    pub(super) writers: Vec<Waker>,
    pub(super) driver: Option<Waker>,
    pub(super) status: ReconnectStatus,
    pub(super) wanted: Wanted,
    /// What the handles asked the driver to do, not done yet; each command once.
    pub(super) commands: Vec<Command>,
    /// Set once, when the driver has finished.
    pub(super) ended: Option<GiveUpReason>,
    /// How many connections have opened: the number of the open one, if one is.
    pub(super) connections: u64,
    /// What each new connection sends again first.
    pub(super) resends: Resends,
    /// The last connection was closed because the reader fell behind: no new one until at
    /// most this many messages wait unread.
    pub(super) reader_behind: Option<usize>,
}

impl State {
    pub(super) fn new(queue: SendQueue, connect: bool) -> State {
        State {
            connection: None,
            queue,
            inbox: Inbox::default(),
            events: EventLog::default(),
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
            commands: Vec::new(),
            ended: None,
            connections: 0,
            resends: Resends::default(),
            reader_behind: None,
        }
    }

    /// The connection, if there is one and it is open.
    pub(super) fn open_connection(&self) -> Option<WebSocket> {
        self.connection
            .as_ref()
            .filter(|ws| ws.ready_state() == ReadyState::Open)
            .map(WebSocket::link)
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

    /// Adds `command`, once: given twice before the driver took it, it is one command (two
    /// ends of the connection are one, connecting again if either asked).
    pub(super) fn push_command(&mut self, command: Command) {
        let given = self
            .commands
            .iter_mut()
            .find(|c| std::mem::discriminant(*c) == std::mem::discriminant(&command));
        match (given, command) {
            (
                Some(Command::EndConnection { close, again }),
                Command::EndConnection {
                    close: later,
                    again: again_later,
                },
            ) => {
                *close = close.take().or(later);
                *again |= again_later;
            }
            (Some(_), _) => {}
            (None, command) => self.commands.push(command),
        }
    }

    /// Takes the first command `pick` chooses.
    pub(super) fn take_command(&mut self, pick: impl Fn(&Command) -> bool) -> Option<Command> {
        let at = self.commands.iter().position(pick)?;
        Some(self.commands.remove(at))
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

    pub(super) fn set_ended(&mut self, reason: GiveUpReason) -> [Option<Waker>; 2] {
        self.ended = Some(reason);
        self.set_connection(None);
        [self.inbox.take_reader(), self.events.take_reader()]
    }

    /// The connection was closed because the reader fell behind its receive `limit`: no new one
    /// until it has read down to half of it. Only while it is behind: a reader that already
    /// read down would not read again to say so.
    pub(super) fn reader_fell_behind(&mut self, limit: Option<usize>) {
        let unread = self.inbox.messages();
        self.reader_behind = limit.map(|limit| limit / 2).filter(|until| unread > *until);
    }

    /// Received messages waiting unread, here and in the connection.
    pub(super) fn unread(&self) -> usize {
        let in_connection = self.connection.as_ref().map_or(0, WebSocket::unread);
        self.inbox.messages().saturating_add(in_connection)
    }

    /// Adds a received item; returns the reader to wake.
    pub(super) fn deliver(&mut self, item: Result<Message, Error>) -> Option<Waker> {
        let before_event = self.events.pushed();
        let reader = self.inbox.push(item, before_event);
        self.sync_receive_room();
        reader
    }

    /// The next received item for the reader.
    pub(super) fn poll_received(
        &mut self,
        cx: &Context<'_>,
    ) -> Poll<Option<Result<Message, Error>>> {
        let ended = self.ended.is_some();
        let polled = self.inbox.poll_pop(ended, cx);
        if polled.is_ready() {
            self.sync_receive_room();
            if self
                .reader_behind
                .is_some_and(|until| self.inbox.messages() <= until)
            {
                self.reader_behind = None;
                if let Some(driver) = self.driver.take() {
                    driver.wake();
                }
            }
        }
        polled
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

    /// The next received item or lifecycle change, whichever happened first (an item is
    /// received before the changes recorded after it), with how many changes were let go
    /// before it; `None` once the socket has ended and both are read.
    pub(super) fn poll_next_happened(&mut self, cx: &Context<'_>) -> Poll<Option<Happened>> {
        let change_first = match (self.events.next_number(), self.inbox.front_before_event()) {
            (Some(change), Some(before)) => change < before,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if change_first {
            let skipped = self.events.take_skipped();
            if skipped > 0 {
                return Poll::Ready(Some(Happened::Lagged(skipped)));
            }
            return Poll::Ready(self.events.pop().map(Happened::Recorded));
        }
        if !self.inbox.is_empty() || self.ended.is_some() {
            return self
                .poll_received(cx)
                .map(|item| item.map(Happened::Received));
        }
        self.events.wait(cx);
        self.inbox.wait(cx);
        Poll::Pending
    }
}

/// What happened next to a reconnecting socket: an item received, a lifecycle change recorded,
/// or changes let go unread.
#[derive(Debug)]
pub(super) enum Happened {
    Received(Result<Message, Error>),
    Recorded(Lifecycle),
    Lagged(u64),
}

impl State {
    /// Where a writer stands: an error once nothing more can be sent; the open connection once
    /// the driver has handed it the whole queue (pending until then); `None` while disconnected.
    fn poll_queue_handed_over(
        &mut self,
        cx: &Context<'_>,
    ) -> Poll<Result<Option<WebSocket>, Error>> {
        if let Some(refused) = self.refusal() {
            return Poll::Ready(Err(refused));
        }
        match self.open_connection() {
            Some(_) if !self.queue.is_empty() => {
                remember(&mut self.writers, cx);
                Poll::Pending
            }
            open => Poll::Ready(Ok(open)),
        }
    }
}

impl State {
    /// Hands `message` to the browser if nothing is queued before it and the open connection
    /// is at or below its mark; queues it otherwise. The number it was queued with, if it was.
    fn send_or_queue(&mut self, message: Message) -> Result<Option<u64>, TrySendError> {
        if self.queue.is_empty() {
            if let Some(ws) = self.open_connection() {
                if ws.buffered_at_most(ws.high_water_mark()) {
                    return match ws.send_now(&message) {
                        Ok(()) => Ok(None),
                        Err(error) => Err(TrySendError::new(error, message)),
                    };
                }
            }
        }
        self.queue.push(message).map(Some)
    }

    /// Ready once `message` is sent or queued: at once if nobody waits for room and the queue
    /// has some, else when its turn (`number`, taken here) comes and it has.
    fn poll_queue(
        &mut self,
        message: &mut Option<Message>,
        number: &mut Option<u64>,
        cx: &Context<'_>,
    ) -> Poll<Result<Option<u64>, Error>> {
        if let Some(refused) = self.refusal() {
            return Poll::Ready(Err(refused));
        }
        let first = match *number {
            Some(n) => self.queue.room.is_turn(n, cx),
            None => self.queue.room.is_empty(),
        };
        if first && self.queue.has_room() {
            let Some(message) = message.take() else {
                return Poll::Ready(Ok(None));
            };
            return Poll::Ready(self.send_or_queue(message).map_err(Error::from));
        }
        if number.is_none() {
            let n = self.queue.room.join();
            *number = Some(n);
            if !self.queue.room.is_turn(n, cx) {
                return Poll::Pending;
            }
        }
        // First in line, and the queue is full: woken when it drains.
        remember(&mut self.writers, cx);
        Poll::Pending
    }

    /// Ready once queued message `number` has left for the browser, or the socket is between
    /// connections (the message waits in the queue for the next); an error once nothing more can
    /// be sent (the message stays queued, for `take_unsent`).
    fn poll_left(&mut self, number: u64, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        if self.queue.has_left(number) {
            return Poll::Ready(Ok(()));
        }
        if let Some(refused) = self.refusal() {
            return Poll::Ready(Err(refused));
        }
        if self.open_connection().is_none() {
            return Poll::Ready(Ok(()));
        }
        remember(&mut self.writers, cx);
        Poll::Pending
    }
}

/// A send's number in the line of sends waiting for room; leaving it (dropped) lets the next go.
struct RoomTurn<'a> {
    session: &'a Session,
    number: Option<u64>,
}

impl Drop for RoomTurn<'_> {
    fn drop(&mut self) {
        let Some(number) = self.number else { return };
        let Ok(mut state) = self.session.state.try_borrow_mut() else {
            return;
        };
        let mut next = state.queue.room.leave(number);
        // A Sink waits among the writers for the line to empty.
        next.append(&mut state.writers);
        drop(state);
        next.into_iter().for_each(Waker::wake);
    }
}

/// A queued message whose send is still waiting for it to leave: given up (dropped), the
/// message is taken back out of the queue, unsent.
struct QueuedSend<'a> {
    session: &'a Session,
    number: Option<u64>,
}

impl Drop for QueuedSend<'_> {
    fn drop(&mut self) {
        if let (Some(number), Ok(mut state)) = (self.number, self.session.state.try_borrow_mut()) {
            state.queue.remove(number);
        }
    }
}

impl Session {
    /// Sends now if nothing waits before it and it may; queues otherwise. Never waits: refused
    /// with [`Error::QueueFull`] while sends wait for room, since they started first.
    pub(super) fn send(&self, message: Message) -> Result<(), TrySendError> {
        self.send_numbered(message).map(drop)
    }

    /// [`Session::send`], telling the message's number in the queue if it had to wait there.
    pub(super) fn send_numbered(&self, message: Message) -> Result<Option<u64>, TrySendError> {
        let sent = self.with(|s| {
            if let Some(refused) = s.refusal() {
                return Err(TrySendError::new(refused, message));
            }
            if !s.queue.room.is_empty() {
                return Err(TrySendError::new(s.queue.full(), message));
            }
            s.send_or_queue(message)
        });
        // The driver flushes what was queued while connected.
        self.wake_driver();
        sent
    }

    /// Ready when [`Session::send`] will not have to refuse a message for a full queue, nor hand
    /// the browser more than the mark: while connected, once the queue is empty and the buffer at
    /// or below the high-water mark; while disconnected, once the queue has room (always, with
    /// [`QueuePolicy::DropOldest`](super::QueuePolicy::DropOldest)).
    pub(super) fn poll_ready(
        &self,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        self.with(|s| {
            // Sends waiting for room started first.
            if !s.queue.room.is_empty() && s.refusal().is_none() {
                remember(&mut s.writers, cx);
                return Poll::Pending;
            }
            if let Some(ws) = ready!(s.poll_queue_handed_over(cx))? {
                match ws.poll_buffered_at_most(wait, ws.high_water_mark(), cx) {
                    Poll::Ready(Ok(())) => return Poll::Ready(Ok(())),
                    Poll::Pending => {
                        remember(&mut s.writers, cx);
                        return Poll::Pending;
                    }
                    // Closing under our feet: the message will wait in the queue.
                    Poll::Ready(Err(_)) => {}
                }
            }
            if s.queue.has_room() {
                Poll::Ready(Ok(()))
            } else {
                remember(&mut s.writers, cx);
                Poll::Pending
            }
        })
    }

    /// Joins the line at once (waiting first for room in a full queue, after the sends that
    /// waited before it), then, while connected, waits until its message has been handed to the
    /// browser, which the driver does in order while the buffer is at or below the mark. Given
    /// up (dropped) before that, its message is not sent.
    pub(super) async fn send_when_ready(&self, message: Message) -> Result<(), Error> {
        let mut message = Some(message);
        let mut waiting_for_room = RoomTurn {
            session: self,
            number: None,
        };
        let queued = poll_fn(|cx| {
            self.with(|s| s.poll_queue(&mut message, &mut waiting_for_room.number, cx))
        })
        .await;
        drop(waiting_for_room);
        self.wake_driver();
        let Some(number) = queued? else {
            return Ok(());
        };
        let mut queued = QueuedSend {
            session: self,
            number: Some(number),
        };
        let sent = poll_fn(|cx| self.with(|s| s.poll_left(number, cx))).await;
        queued.number = None;
        sent
    }

    /// Ready once every message is with the browser at or below the low-water mark, or, while
    /// disconnected, waiting in the queue for the next connection.
    pub(super) fn poll_flushed(
        &self,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        self.with(|s| {
            let Some(ws) = ready!(s.poll_queue_handed_over(cx))? else {
                return Poll::Ready(Ok(()));
            };
            match ws.poll_buffered_at_most(wait, ws.low_water_mark(), cx) {
                Poll::Pending => {
                    remember(&mut s.writers, cx);
                    Poll::Pending
                }
                // A connection that closes with bytes buffered loses them; the socket goes on.
                Poll::Ready(_) => Poll::Ready(Ok(())),
            }
        })
    }

    /// Ready once the socket has ended.
    pub(super) fn poll_ended(&self, cx: &Context<'_>) -> Poll<()> {
        self.with(|s| {
            if s.ended.is_some() {
                Poll::Ready(())
            } else {
                remember(&mut s.writers, cx);
                Poll::Pending
            }
        })
    }

    /// The driver's half: hands queued messages to `ws` in order while the browser's buffer
    /// is at or below the mark. Ready when the queue is empty; an error when the browser threw
    /// on a send (the message is back at the head of the queue).
    pub(super) fn poll_flush_queue(
        &self,
        ws: &WebSocket,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        let mut sent_any = false;
        let flushed = self.with(|s| loop {
            if s.queue.is_empty() {
                break Poll::Ready(Ok(()));
            }
            match ws.poll_buffered_at_most(wait, ws.high_water_mark(), cx) {
                Poll::Ready(Ok(())) => {}
                // Closing: the close event ends this connection, the queue waits for the next.
                Poll::Ready(Err(_)) | Poll::Pending => break Poll::Pending,
            }
            let Some(entry) = s.queue.pop() else {
                break Poll::Ready(Ok(()));
            };
            match ws.send_now(&entry.1) {
                Ok(()) => {}
                // The peer is closing it (no event for that yet): the message waits for the next
                // connection, and the close event ends this one.
                Err(Error::NotOpen(_)) => {
                    s.queue.unpop(entry);
                    break Poll::Pending;
                }
                Err(error) => {
                    s.queue.unpop(entry);
                    break Poll::Ready(Err(error));
                }
            }
            sent_any = true;
        });
        if sent_any {
            self.wake_writers();
        }
        flushed
    }
}

// What each new connection sends again first: the subscriptions (`super::Subscription`).

/// The messages each new connection sends again, in the order they were made.
#[derive(Debug, Default)]
pub(super) struct Resends {
    entries: Vec<Resend>,
    next: u64,
}

#[derive(Debug)]
struct Resend {
    id: u64,
    message: Message,
    /// Its number in the send queue while it waits there to go out on the current connection.
    queued: Option<u64>,
}

impl Resends {
    /// Keeps `message` (with its number in the queue, if it waits there); its id.
    pub(super) fn add(&mut self, message: Message, queued: Option<u64>) -> u64 {
        let id = self.next;
        self.next = id.wrapping_add(1);
        self.entries.push(Resend {
            id,
            message,
            queued,
        });
        id
    }

    pub(super) fn remove(&mut self, id: u64) {
        self.entries.retain(|r| r.id != id);
    }

    /// Each message to send first on a new connection, with the number of a copy still queued
    /// for the connection before (taken: that copy must not go too).
    pub(super) fn for_new_connection(&mut self) -> impl Iterator<Item = (&Message, Option<u64>)> {
        self.entries
            .iter_mut()
            .map(|r| (&r.message, r.queued.take()))
    }
}

// The send queue: the messages waiting for a connection, in the order their sends started, and
// what it does when full (`QueuePolicy`).

/// What a [`ReconnectingSocket`](crate::ReconnectingSocket) does with a message sent while
/// disconnected when its queue is full.
///
/// ```
/// use wasm_websocket::reconnect::QueuePolicy;
/// assert_eq!(QueuePolicy::default(), QueuePolicy::RejectNew);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QueuePolicy {
    /// The new message is refused with [`Error::QueueFull`]; the queue keeps the older ones.
    #[default]
    RejectNew,
    /// The oldest queued message is dropped to make room (for state updates where only the
    /// latest matter).
    DropOldest,
}

/// Messages waiting for a connection, flushed in order when one opens.
/// The messages of a reconnecting socket that wait for a connection, or for room in the
/// browser's buffer: the one line every send joins, so that they reach the wire in the order the
/// sends started.
#[derive(Debug)]
pub(crate) struct SendQueue {
    /// Each message with its number, one more for each message queued: the number at the front
    /// says which have left.
    messages: VecDeque<(u64, Message)>,
    /// The number the next message gets.
    next: u64,
    capacity: usize,
    /// The bytes of the queued messages, and the most there is room at: a queue below it takes
    /// one more message of any size, as the browser's buffer takes one past its mark.
    bytes: usize,
    max_bytes: usize,
    policy: QueuePolicy,
    /// The sends waiting for room in a full queue, in the order they started; nothing is queued
    /// past them.
    pub(crate) room: SendLine,
}

impl SendQueue {
    pub(crate) fn new(capacity: usize, max_bytes: usize, policy: QueuePolicy) -> SendQueue {
        SendQueue {
            messages: VecDeque::new(),
            next: 0,
            capacity,
            bytes: 0,
            max_bytes,
            policy,
            room: SendLine::default(),
        }
    }

    /// Queues `message` (making room by the policy); its number, or the message given back.
    pub(crate) fn push(&mut self, message: Message) -> Result<u64, TrySendError> {
        // DropOldest makes room by dropping the oldest; with none to drop (capacity or bytes
        // 0), the new message is refused rather than silently lost.
        while !self.has_space() {
            if self.policy == QueuePolicy::RejectNew || self.pop().is_none() {
                return Err(TrySendError::new(self.full(), message));
            }
        }
        let number = self.next;
        self.next = number.wrapping_add(1);
        self.bytes = self.bytes.saturating_add(message.byte_len());
        self.messages.push_back((number, message));
        Ok(number)
    }

    /// Below both bounds: one more message fits.
    fn has_space(&self) -> bool {
        self.messages.len() < self.capacity && self.bytes < self.max_bytes
    }

    pub(crate) fn full(&self) -> Error {
        Error::QueueFull {
            capacity: self.capacity,
            max_bytes: self.max_bytes,
        }
    }

    /// Whether message `number` has left the queue (to the browser, or dropped by the policy).
    pub(crate) fn has_left(&self, number: u64) -> bool {
        self.messages
            .front()
            .is_none_or(|(front, _)| *front > number)
    }

    /// Takes message `number` back out, if it has not left: its send was given up.
    pub(crate) fn remove(&mut self, number: u64) -> Option<Message> {
        let i = self.messages.iter().position(|(n, _)| *n == number)?;
        let (_, message) = self.messages.remove(i)?;
        self.bytes = self.bytes.saturating_sub(message.byte_len());
        Some(message)
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub(crate) fn has_room(&self) -> bool {
        self.has_space()
            || (self.policy == QueuePolicy::DropOldest && self.capacity > 0 && self.max_bytes > 0)
    }

    pub(crate) fn pop(&mut self) -> Option<(u64, Message)> {
        let entry = self.messages.pop_front()?;
        self.bytes = self.bytes.saturating_sub(entry.1.byte_len());
        Some(entry)
    }

    /// Puts a message popped by [`SendQueue::pop`] back first, with its number.
    pub(crate) fn unpop(&mut self, entry: (u64, Message)) {
        self.bytes = self.bytes.saturating_add(entry.1.byte_len());
        self.messages.push_front(entry);
    }

    pub(crate) fn take_all(&mut self) -> Vec<Message> {
        self.bytes = 0;
        self.messages
            .drain(..)
            .map(|(_, message)| message)
            .collect()
    }
}

// What the reader has not read yet: the received messages (`Inbox`), bounded together with the
// connection's own queue by the connection's receive limit, and the lifecycle changes
// (`EventLog`). An unread log keeps the newest changes and says how many older ones it let go.
// Each change is numbered and each message stamped with the number of the change after it, so
// that `ReconnectEvents` puts them in the order they happened.

#[derive(Debug, Default)]
pub(super) struct Inbox {
    /// Each item with the number of the first event recorded after it (see
    /// [`EventLog::pushed`](EventLog::pushed)).
    items: VecDeque<(u64, Result<Message, Error>)>,
    /// How many of the items are messages: errors report, they do not count against the limit.
    messages: usize,
    reader: Option<Waker>,
    /// The current connection's [`receive_limit`](crate::Builder::receive_limit): what this
    /// queue and the connection's together may hold unread.
    limit: Option<usize>,
}

impl Inbox {
    /// Adds an item; returns the reader to wake.
    pub(super) fn push(
        &mut self,
        item: Result<Message, Error>,
        before_event: u64,
    ) -> Option<Waker> {
        if item.is_ok() {
            self.messages = self.messages.saturating_add(1);
        }
        self.items.push_back((before_event, item));
        self.reader.take()
    }

    /// The next item; `None` once `ended` and empty.
    pub(super) fn poll_pop(
        &mut self,
        ended: bool,
        cx: &Context<'_>,
    ) -> Poll<Option<Result<Message, Error>>> {
        match self.items.pop_front() {
            Some((_, item)) => {
                if item.is_ok() {
                    self.messages = self.messages.saturating_sub(1);
                }
                Poll::Ready(Some(item))
            }
            None if ended => Poll::Ready(None),
            None => {
                self.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// The number of the first event recorded after the oldest item.
    pub(super) fn front_before_event(&self) -> Option<u64> {
        self.items.front().map(|(before, _)| *before)
    }

    /// Wakes `cx` at the next item.
    pub(super) fn wait(&mut self, cx: &Context<'_>) {
        self.reader = Some(cx.waker().clone());
    }

    pub(super) fn take_reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }

    /// Messages waiting (errors not counted).
    pub(super) fn messages(&self) -> usize {
        self.messages
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(super) fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    /// How many more unread messages the connection may hold: the limit less what waits here.
    pub(super) fn room_left(&self) -> Option<usize> {
        self.limit.map(|limit| limit.saturating_sub(self.messages))
    }
}

/// At most this many lifecycle changes wait unread; past it the oldest go, counted in a
/// [`ReconnectEvent::Lagged`](super::ReconnectEvent::Lagged).
pub(super) const KEPT_EVENTS: usize = 1_024;

/// The lifecycle changes not read yet. Messages are not kept here: a burst of them never
/// pushes an open or a close out.
#[derive(Debug, Default)]
pub(super) struct EventLog {
    events: VecDeque<Lifecycle>,
    /// How many were ever recorded: the next one's number.
    pushed: u64,
    /// How many were let go unread since the reader last looked.
    skipped: u64,
    reader: Option<Waker>,
}

impl EventLog {
    /// Records a change; returns the reader to wake.
    pub(super) fn push(&mut self, change: Lifecycle) -> Option<Waker> {
        if self.events.len() >= KEPT_EVENTS && self.events.pop_front().is_some() {
            self.skipped = self.skipped.saturating_add(1);
        }
        self.events.push_back(change);
        self.pushed = self.pushed.saturating_add(1);
        self.reader.take()
    }

    /// The number the next recorded change will have: a received message stamped with it came
    /// before that change.
    pub(super) fn pushed(&self) -> u64 {
        self.pushed
    }

    /// The number of the oldest unread change, if there is one.
    pub(super) fn next_number(&self) -> Option<u64> {
        let unread = u64::try_from(self.events.len()).unwrap_or(u64::MAX);
        (unread > 0).then(|| self.pushed.saturating_sub(unread))
    }

    /// How many changes were let go since the last call.
    pub(super) fn take_skipped(&mut self) -> u64 {
        std::mem::take(&mut self.skipped)
    }

    pub(super) fn pop(&mut self) -> Option<Lifecycle> {
        self.events.pop_front()
    }

    /// Wakes `cx` at the next change.
    pub(super) fn wait(&mut self, cx: &Context<'_>) {
        self.reader = Some(cx.waker().clone());
    }

    pub(super) fn take_reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }
}

#[cfg(test)]
mod queue_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn text(s: &str) -> Message {
        Message::Text(s.into())
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reject_new_keeps_the_oldest_and_refuses_with_a_typed_error() {
        let mut q = SendQueue::new(2, usize::MAX, QueuePolicy::RejectNew);
        assert_eq!(q.push(text("a")).unwrap(), 0);
        assert_eq!(q.push(text("b")).unwrap(), 1);
        assert!(!q.has_left(0) && !q.has_left(1));
        let refused = q.push(text("c")).unwrap_err();
        assert_eq!(
            refused.into_parts(),
            (
                Error::QueueFull {
                    capacity: 2,
                    max_bytes: usize::MAX
                },
                text("c")
            )
        );
        assert_eq!(q.take_all(), [text("a"), text("b")]);
        assert!(q.take_all().is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn drop_oldest_keeps_the_newest_in_order() {
        let mut q = SendQueue::new(2, usize::MAX, QueuePolicy::DropOldest);
        for s in ["a", "b", "c", "d"] {
            q.push(text(s)).unwrap();
        }
        let c = q.pop().unwrap();
        assert_eq!(c.1, text("c"));
        q.unpop(c);
        assert_eq!(q.take_all(), [text("c"), text("d")]);
        let mut none = SendQueue::new(0, usize::MAX, QueuePolicy::DropOldest);
        let refused = none.push(text("x")).unwrap_err();
        assert_eq!(
            refused.into_inner(),
            text("x"),
            "nothing can wait: given back"
        );
        assert!(!none.has_room());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_message_has_left_once_every_one_before_it_and_itself_have() {
        let mut q = SendQueue::new(4, usize::MAX, QueuePolicy::RejectNew);
        for s in ["a", "b", "c"] {
            q.push(text(s)).unwrap();
        }
        assert_eq!(q.remove(1), Some(text("b")), "given up");
        let a = q.pop().unwrap();
        assert!(q.has_left(0) && q.has_left(1) && !q.has_left(2));
        q.unpop(a);
        assert!(!q.has_left(0), "back at the front: not left");
        assert_eq!(q.take_all(), [text("a"), text("c")]);
        assert!(q.has_left(2));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn below_its_byte_bound_a_queue_takes_one_more_message_of_any_size() {
        let mut q = SendQueue::new(100, 10, QueuePolicy::RejectNew);
        q.push(text("123456789")).unwrap();
        q.push(text("a message past the bound")).unwrap();
        assert!(!q.has_room());
        let refused = q.push(text("x")).unwrap_err();
        assert_eq!(
            refused.error(),
            &Error::QueueFull {
                capacity: 100,
                max_bytes: 10
            }
        );
        q.pop();
        assert!(!q.has_room(), "24 bytes still queued");
        q.pop();
        assert!(q.has_room());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn drop_oldest_drops_until_below_the_byte_bound() {
        let mut q = SendQueue::new(100, 10, QueuePolicy::DropOldest);
        for s in ["aaaa", "bbbb", "cccc", "dddd"] {
            q.push(text(s)).unwrap();
        }
        assert_eq!(q.take_all(), [text("bbbb"), text("cccc"), text("dddd")]);
        let mut none = SendQueue::new(100, 0, QueuePolicy::DropOldest);
        assert_eq!(none.push(text("x")).unwrap_err().into_inner(), text("x"));
    }
}
