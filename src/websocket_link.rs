//! What the reconnecting layer may ask of a [`WebSocket`] beyond its public API: crate-private
//! methods, so that `reconnect/` never reaches into the socket's shared state.

use std::task::{Context, Poll};

use crate::drain::BufferWait;
use crate::{CloseCode, CloseEvent, Error, Message, WebSocket};

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
