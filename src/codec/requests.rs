//! Request/response on a socket: how values carry request ids ([`WithIds`], or a codec's own
//! [`Codec::stamp`] and [`Codec::answers`]), and the table of the requests that wait for an
//! answer ([`Pending`]), which the socket fills as answers arrive, before anyone reads them,
//! and the end of their connection empties.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::codec::Codec;
use crate::error::Error;
use crate::message::Message;

/// A codec whose values carry request ids through two functions the app gives: one writes an
/// id into an outgoing value, the other reads the id an incoming value answers.
///
/// ```
/// use wasm_websocket::codec::WithIds;
/// use wasm_websocket::{Codec, Untyped, Message};
///
/// // "<id>:<body>" out, and answers "<id>=<body>" in.
/// let codec = WithIds::new(
///     Untyped,
///     |m: &mut Message, id| {
///         if let Message::Text(t) = m {
///             *t = format!("{id}:{t}");
///         }
///     },
///     |m: &Message| match m {
///         Message::Text(t) => t.split_once('=')?.0.parse().ok(),
///         _ => None,
///     },
/// );
/// let mut ask = Message::Text("time?".into());
/// codec.stamp(&mut ask, 7).unwrap();
/// assert_eq!(ask, Message::Text("7:time?".into()));
/// assert_eq!(codec.answers(&Message::Text("7=noon".into())), Some(7));
/// assert_eq!(codec.answers(&Message::Text("news".into())), None);
/// ```
#[derive(Clone, Copy)]
pub struct WithIds<C: Codec> {
    codec: C,
    stamp: fn(&mut C::Outgoing, u64),
    answers: fn(&C::Incoming) -> Option<u64>,
}

impl<C: Codec> WithIds<C> {
    /// `codec`, with `stamp` writing an id into a request and `answers` reading the id an
    /// incoming value answers (`None` for an ordinary message).
    ///
    /// ```
    /// # use wasm_websocket::{codec::WithIds, Message, Untyped};
    /// let codec = WithIds::new(Untyped, |_: &mut Message, _| {}, |_: &Message| None);
    /// ```
    pub fn new(
        codec: C,
        stamp: fn(&mut C::Outgoing, u64),
        answers: fn(&C::Incoming) -> Option<u64>,
    ) -> WithIds<C> {
        WithIds {
            codec,
            stamp,
            answers,
        }
    }
}

impl<C: Codec + fmt::Debug> fmt::Debug for WithIds<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithIds")
            .field("codec", &self.codec)
            .finish_non_exhaustive()
    }
}

impl<C: Codec> Codec for WithIds<C> {
    type Outgoing = C::Outgoing;
    type Incoming = C::Incoming;

    fn encode(&self, value: &C::Outgoing) -> Result<Message, Error> {
        self.codec.encode(value)
    }

    fn decode(&self, message: Message) -> Result<C::Incoming, Error> {
        self.codec.decode(message)
    }

    fn stamp(&self, request: &mut C::Outgoing, id: u64) -> Result<(), Error> {
        (self.stamp)(request, id);
        Ok(())
    }

    fn answers(&self, incoming: &C::Incoming) -> Option<u64> {
        (self.answers)(incoming)
    }
}

/// One request waiting: on which connection it went out, and its answer once it came.
struct Waiting {
    connection: u64,
    answer: Option<Result<Box<dyn Any>, Error>>,
    waker: Option<Waker>,
}

/// The requests of one socket that wait for an answer, by id, with the codec that finds their
/// answers among the messages. Answers are kept as `dyn Any`: the socket underneath is
/// untyped, and the request that awaits one knows its type.
pub(crate) struct Pending {
    waiting: HashMap<u64, Waiting>,
    next_id: u64,
    limit: usize,
    /// Decodes a message and gives it to the request it answers, or gives it back.
    finder: Option<Finder>,
}

/// See [`Pending::find_answers_with`].
type Finder = Rc<dyn Fn(&mut Pending, Message) -> Option<Message>>;

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("waiting", &self.waiting.len())
            .field("limit", &self.limit)
            .finish()
    }
}

impl Pending {
    pub(crate) fn new(limit: usize) -> Pending {
        Pending {
            waiting: HashMap::new(),
            next_id: 1,
            limit,
            finder: None,
        }
    }

    /// A new id for a request going out on `connection`.
    ///
    /// # Errors
    /// [`Error::TooManyRequests`] when `limit` requests wait already.
    pub(crate) fn reserve(&mut self, connection: u64) -> Result<u64, Error> {
        if self.waiting.len() >= self.limit {
            return Err(Error::TooManyRequests { limit: self.limit });
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        self.waiting.insert(
            id,
            Waiting {
                connection,
                answer: None,
                waker: None,
            },
        );
        Ok(id)
    }

    /// Finds answers with `codec` from now on (the requester's: one codec per socket).
    pub(crate) fn find_answers_with<C: Codec + 'static>(&mut self, codec: Rc<C>)
    where
        C::Incoming: 'static,
    {
        self.finder = Some(Rc::new(move |pending, message| {
            // Decoded twice when it is not an answer (here, and by the reader): only while a
            // request waits, which is when this runs.
            let Ok(value) = codec.decode(message.clone()) else {
                return Some(message);
            };
            match codec.answers(&value) {
                Some(id) if pending.waits_for(id) => {
                    pending.answer(id, Box::new(value));
                    None
                }
                _ => Some(message),
            }
        }));
    }

    /// Gives `message` to the request it answers, if one waits; gives it back otherwise, for
    /// the message stream.
    pub(crate) fn take_answer(&mut self, message: Message) -> Option<Message> {
        if self.waiting.is_empty() {
            return Some(message);
        }
        match self.finder.clone() {
            Some(finder) => finder(self, message),
            None => Some(message),
        }
    }

    /// Whether request `id` waits for its answer: an incoming value that answers it goes to it
    /// ([`Pending::answer`]), not to the message stream; one that came late, or answers an id
    /// nobody asked, is an ordinary message.
    pub(crate) fn waits_for(&self, id: u64) -> bool {
        self.waiting
            .get(&id)
            .is_some_and(|waiting| waiting.answer.is_none())
    }

    /// Gives `answer` to request `id`, which [waits for it](Pending::waits_for).
    pub(crate) fn answer(&mut self, id: u64, answer: Box<dyn Any>) {
        if let Some(waiting) = self.waiting.get_mut(&id) {
            waiting.answer = Some(Ok(answer));
            if let Some(waker) = waiting.waker.take() {
                waker.wake();
            }
        }
    }

    /// Fails every request that went out on `connection` (or on any, with `None`) and still
    /// waits, with `error`.
    pub(crate) fn fail(&mut self, connection: Option<u64>, error: &Error) {
        for waiting in self.waiting.values_mut() {
            if waiting.answer.is_none() && connection.is_none_or(|c| c == waiting.connection) {
                waiting.answer = Some(Err(error.clone()));
                if let Some(waker) = waiting.waker.take() {
                    waker.wake();
                }
            }
        }
    }

    /// Request `id`'s answer, once it has one (the request is then done); woken when it does.
    pub(crate) fn poll_answer(
        &mut self,
        id: u64,
        cx: &Context<'_>,
    ) -> Poll<Result<Box<dyn Any>, Error>> {
        let Some(waiting) = self.waiting.get_mut(&id) else {
            return Poll::Ready(Err(Error::NotOpen(crate::message::ReadyState::Closed)));
        };
        match waiting.answer.take() {
            Some(answer) => {
                self.waiting.remove(&id);
                Poll::Ready(answer)
            }
            None => {
                waiting.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// Request `id` is given up (timed out, or its caller dropped it).
    pub(crate) fn forget(&mut self, id: u64) {
        self.waiting.remove(&id);
    }

    /// How many requests wait.
    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn cx() -> Context<'static> {
        Context::from_waker(Waker::noop())
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_answer_goes_to_its_request_once_and_a_stray_one_is_given_back() {
        let mut p = Pending::new(10);
        let (a, b) = (p.reserve(1).unwrap(), p.reserve(1).unwrap());
        assert!(p.waits_for(b));
        p.answer(b, Box::new("for b"));
        assert!(!p.waits_for(b), "answered once");
        assert!(!p.waits_for(99), "nobody's");
        assert!(p.poll_answer(a, &cx()).is_pending());
        match p.poll_answer(b, &cx()) {
            Poll::Ready(Ok(answer)) => assert_eq!(answer.downcast_ref(), Some(&"for b")),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.len(), 1);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn past_the_limit_a_request_is_refused_with_a_typed_error() {
        let mut p = Pending::new(2);
        let first = p.reserve(1).unwrap();
        p.reserve(1).unwrap();
        assert_eq!(p.reserve(1), Err(Error::TooManyRequests { limit: 2 }));
        p.forget(first);
        assert!(p.reserve(1).is_ok(), "room again");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_connection_that_ends_fails_only_its_own_requests() {
        let mut p = Pending::new(10);
        let (old, new) = (p.reserve(1).unwrap(), p.reserve(2).unwrap());
        let gone = Error::NotOpen(crate::message::ReadyState::Closed);
        p.fail(Some(1), &gone);
        assert!(matches!(p.poll_answer(old, &cx()), Poll::Ready(Err(e)) if e == gone));
        assert!(p.poll_answer(new, &cx()).is_pending());
        p.fail(None, &gone);
        assert!(p.poll_answer(new, &cx()).is_ready());
    }
}
