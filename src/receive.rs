//! The ordered receive queue: one FIFO for everything the socket dispatched, so that no message
//! (text included) overtakes a Blob that is still being read, and the close comes last. It also
//! holds the receive limits: a message over them is refused before a byte of it is copied.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::Call;
use crate::fault::Fault;
use crate::{BinaryType, CloseEvent, Error, Message, MessageKind};

#[derive(Debug)]
enum Entry {
    Ready(Result<Message, Error>),
    /// A Blob being read into an `ArrayBuffer`; the read runs in the browser whether or not
    /// anyone polls, polling only collects it.
    Reading(JsFuture),
}

/// The head of the queue, once it is ready.
#[derive(Debug)]
pub(crate) enum Item {
    Message(Result<Message, Error>),
    /// The connection closed and every message dispatched before it has been yielded.
    Closed(CloseEvent),
}

#[derive(Debug, Default)]
pub(crate) struct ReceiveQueue {
    entries: VecDeque<Entry>,
    closed: Option<CloseEvent>,
    /// At most this many received messages wait in Rust; one more is refused.
    limit: Option<usize>,
    /// What is left of `limit` here when a reconnecting socket holds some of the unread messages
    /// itself, so that the two together never hold more than the limit.
    room: Option<usize>,
    max_message_size: Option<u64>,
}

impl ReceiveQueue {
    pub(crate) fn new(limit: Option<usize>, max_message_size: Option<u64>) -> ReceiveQueue {
        ReceiveQueue {
            limit,
            max_message_size,
            ..ReceiveQueue::default()
        }
    }

    /// Takes a message event's data unless it is over a limit; returns its kind, or `None` for
    /// data of an unknown type (which becomes an error item in its place).
    pub(crate) fn accept(
        &mut self,
        data: JsValue,
        mode: BinaryType,
    ) -> Result<Option<MessageKind>, Fault> {
        let full = |cap: usize| self.entries.len() >= cap;
        if let Some(limit) = self
            .limit
            .filter(|l| full(*l) || self.room.is_some_and(full))
        {
            return Err(Fault::ReceiveBufferFull { limit });
        }
        // Measured only when a limit is set: sizing costs type checks on every message.
        if let Some(limit) = self.max_message_size {
            let size = message_size(&data);
            if size > limit {
                return Err(Fault::MessageTooLarge { size, limit });
            }
        }
        Ok(self.push_data(data, mode))
    }

    fn push_data(&mut self, data: JsValue, mode: BinaryType) -> Option<MessageKind> {
        let (entry, kind) = if let Some(text) = data.as_string() {
            (
                Entry::Ready(Ok(Message::Text(text))),
                Some(MessageKind::Text),
            )
        } else if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
            let bytes = Uint8Array::new(buffer).to_vec();
            (
                Entry::Ready(Ok(Message::Binary(bytes))),
                Some(MessageKind::Binary),
            )
        } else if let Ok(blob) = data.dyn_into::<web_sys::Blob>() {
            // The browser picked Blob from binaryType at dispatch; raw or read is the crate's
            // mode at the same moment.
            let entry = match mode {
                BinaryType::RawBlob => Entry::Ready(Ok(Message::Blob(blob))),
                _ => Entry::Reading(JsFuture::from(blob.array_buffer())),
            };
            (entry, Some(MessageKind::Binary))
        } else {
            (Entry::Ready(Err(Error::UnsupportedData)), None)
        };
        self.entries.push_back(entry);
        kind
    }

    /// Leaves room for only `room` more unread messages here (at most the limit).
    pub(crate) fn set_room(&mut self, room: usize) {
        self.room = Some(room);
    }

    pub(crate) fn limit(&self) -> Option<usize> {
        self.limit
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn push_close(&mut self, ev: CloseEvent) {
        self.closed = Some(ev);
    }

    /// The next item in wire order. `Pending` when the queue is empty (the caller keeps the
    /// waker for the next event) or when its head is a Blob still being read (the read wakes).
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Item> {
        match self.entries.pop_front() {
            Some(Entry::Ready(item)) => Poll::Ready(Item::Message(item)),
            Some(Entry::Reading(mut read)) => match Pin::new(&mut read).poll(cx) {
                Poll::Ready(result) => Poll::Ready(Item::Message(bytes_of(result))),
                Poll::Pending => {
                    self.entries.push_front(Entry::Reading(read));
                    Poll::Pending
                }
            },
            None => match &self.closed {
                Some(ev) => Poll::Ready(Item::Closed(ev.clone())),
                None => Poll::Pending,
            },
        }
    }
}

/// A message's size before it is copied: bytes for binary data, UTF-16 code units for text (a
/// lower bound of its UTF-8 length, known without converting it).
fn message_size(data: &JsValue) -> u64 {
    if let Some(text) = data.dyn_ref::<js_sys::JsString>() {
        u64::from(text.length())
    } else if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
        u64::from(buffer.byte_length())
    } else if let Some(blob) = data.dyn_ref::<web_sys::Blob>() {
        blob.size() as u64
    } else {
        0
    }
}

fn bytes_of(read: Result<JsValue, JsValue>) -> Result<Message, Error> {
    match read {
        Ok(buffer) => match buffer.dyn_into::<ArrayBuffer>() {
            Ok(buffer) => Ok(Message::Binary(Uint8Array::new(&buffer).to_vec())),
            Err(_) => Err(Error::UnsupportedData),
        },
        Err(thrown) => Err(Error::from_js(&thrown, Call::Other)),
    }
}
