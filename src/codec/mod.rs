//! Typed values over a socket: the [`Codec`] trait (how values become messages and back) and
//! [`Untyped`] are at the crate root with [`Typed`](crate::Typed) and the `json` feature's
//! `Json`; here besides is the `codee` feature's bridge to any [codee](https://docs.rs/codee)
//! codec: `CodeeCodec`, with its `FromMessage` and `IntoMessage`.

#[cfg(feature = "codee")]
pub(crate) mod codee;
#[cfg(feature = "io")]
pub(crate) mod io;
#[cfg(feature = "json")]
pub(crate) mod json;
pub(crate) mod requests;
pub(crate) mod typed;

#[cfg(feature = "codee")]
pub use codee::{CodeeCodec, FromMessage, IntoMessage};
pub use requests::WithIds;

use crate::error::Error;
use crate::message::Message;

/// Turns the values a socket sends into [`Message`]s, and the messages it receives into values,
/// for [`Typed`](crate::Typed) sockets and the framework hooks. The two types may differ: a
/// client→server enum out, a server→client enum in.
///
/// ```
/// use wasm_websocket::{Codec, Error, Message};
///
/// /// Numbers out as decimal text; their lengths back.
/// struct Lengths;
///
/// impl Codec for Lengths {
///     type Outgoing = i64;
///     type Incoming = usize;
///     fn encode(&self, value: &i64) -> Result<Message, Error> {
///         Ok(Message::Text(value.to_string()))
///     }
///     fn decode(&self, message: Message) -> Result<usize, Error> {
///         match message {
///             Message::Text(t) => Ok(t.len()),
///             _ => Err(Error::Decode { message: "expected text".into() }),
///         }
///     }
/// }
/// assert_eq!(Lengths.encode(&42), Ok(Message::Text("42".into())));
/// assert_eq!(Lengths.decode(Message::Text("four".into())), Ok(4));
/// ```
pub trait Codec {
    /// What is sent.
    type Outgoing;
    /// What is received.
    type Incoming;

    /// Encodes a value to send.
    ///
    /// # Errors
    /// [`Error::Encode`] when the value cannot be represented.
    fn encode(&self, value: &Self::Outgoing) -> Result<Message, Error>;

    /// Decodes a received message. A failure is one error item in the stream, which goes on.
    ///
    /// # Errors
    /// [`Error::Decode`] when the message is not a valid value.
    fn decode(&self, message: Message) -> Result<Self::Incoming, Error>;

    /// Gives an outgoing request the id `id`, for request/response
    /// ([`Requester`](crate::reconnect::Requester)): codecs whose values carry ids
    /// ([`JsonRpc`](crate::JsonRpc), [`GraphqlWs`](crate::GraphqlWs)) write it in, and
    /// [`WithIds`] does it with a function. The default has nowhere to write it.
    ///
    /// # Errors
    /// [`Error::Encode`] when the value cannot carry an id (the default, always).
    ///
    /// ```
    /// use wasm_websocket::{Codec, Untyped, Message};
    /// assert!(Untyped.stamp(&mut Message::Text("no id".into()), 7).is_err());
    /// ```
    fn stamp(&self, request: &mut Self::Outgoing, id: u64) -> Result<(), Error> {
        let _ = (request, id);
        Err(Error::Encode {
            message: "this codec gives requests no ids".into(),
        })
    }

    /// The id of the request `incoming` answers, if it is an answer: it then goes to that
    /// request, not to the message stream, while the request waits. The default: none is.
    ///
    /// ```
    /// use wasm_websocket::{Codec, Untyped, Message};
    /// assert_eq!(Untyped.answers(&Message::Text("7".into())), None);
    /// ```
    fn answers(&self, incoming: &Self::Incoming) -> Option<u64> {
        let _ = incoming;
        None
    }
}

/// The codec whose values are the messages themselves: for APIs generic over a [`Codec`] (the
/// Yew and Leptos hooks) when no typing is wanted.
///
/// ```
/// use wasm_websocket::{Codec, Message, Untyped};
/// let m = Message::Text("as is".into());
/// assert_eq!(Untyped.decode(m.clone()), Ok(m.clone()));
/// assert_eq!(Untyped.encode(&m), Ok(m));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Untyped;

impl Codec for Untyped {
    type Outgoing = Message;
    type Incoming = Message;

    fn encode(&self, value: &Message) -> Result<Message, Error> {
        Ok(value.clone())
    }

    fn decode(&self, message: Message) -> Result<Message, Error> {
        Ok(message)
    }
}
