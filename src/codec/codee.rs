//! `CodeeCodec`: any [`codee`] codec as a [`Codec`] (feature `codee`).

use std::fmt::Debug;
use std::marker::PhantomData;

use crate::codec::Codec;
use crate::error::Error;
use crate::message::Message;

/// A [`codee`] codec (the format crate leptos-use and others share: JSON, msgpack, bincode,
/// postcard, prost, …) as a [`Codec`] sending `Tx` and receiving `Rx` (by default the same
/// type). Feature `codee`. What a codee codec encodes to says the message kind: a `String` goes
/// out as text, a `Vec<u8>` as binary; it decodes from either (a text message as its UTF-8
/// bytes, a binary one as text only if it is valid UTF-8).
///
/// ```
/// # #[cfg(feature = "codee")] {
/// use codee::string::FromToStringCodec;
/// use wasm_websocket::codec::CodeeCodec;
/// use wasm_websocket::{Codec, Message};
///
/// let codec = CodeeCodec::<FromToStringCodec, u32>::new();
/// assert_eq!(codec.encode(&7), Ok(Message::Text("7".into())));
/// assert_eq!(codec.decode(Message::Binary(b"8".to_vec())), Ok(8));
/// assert!(codec.decode(Message::Text("eight".into())).is_err());
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "codee")))]
pub struct CodeeCodec<C, Tx, Rx = Tx>(PhantomData<Types<C, Tx, Rx>>);

/// Names the types only: no value of them is held, so the codec is `Send` and `Sync`
/// whatever they are.
type Types<C, Tx, Rx> = (fn() -> C, fn(Tx) -> Rx);

impl<C, Tx, Rx> CodeeCodec<C, Tx, Rx> {
    /// The codec sending `Tx` and receiving `Rx` through `C`.
    ///
    /// ```
    /// # #[cfg(feature = "codee")] {
    /// let codec = wasm_websocket::codec::CodeeCodec::<codee::string::FromToStringCodec, u32, String>::new();
    /// # }
    /// ```
    pub fn new() -> Self {
        CodeeCodec(PhantomData)
    }
}

impl<C, Tx, Rx> Default for CodeeCodec<C, Tx, Rx> {
    fn default() -> Self {
        CodeeCodec::new()
    }
}

impl<C, Tx, Rx> Clone for CodeeCodec<C, Tx, Rx> {
    fn clone(&self) -> Self {
        CodeeCodec::new()
    }
}

impl<C, Tx, Rx> std::fmt::Debug for CodeeCodec<C, Tx, Rx> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeeCodec<{}>", std::any::type_name::<C>())
    }
}

impl<C, Tx, Rx> Codec for CodeeCodec<C, Tx, Rx>
where
    C: codee::Encoder<Tx> + codee::Decoder<Rx>,
    <C as codee::Encoder<Tx>>::Encoded: IntoMessage,
    <C as codee::Encoder<Tx>>::Error: Debug,
    <C as codee::Decoder<Rx>>::Encoded: FromMessage,
    <C as codee::Decoder<Rx>>::Error: Debug,
{
    type Outgoing = Tx;
    type Incoming = Rx;

    fn encode(&self, value: &Tx) -> Result<Message, Error> {
        <C as codee::Encoder<Tx>>::encode(value)
            .map(IntoMessage::into_message)
            .map_err(|e| Error::Encode {
                message: format!("{e:?}"),
            })
    }

    fn decode(&self, message: Message) -> Result<Rx, Error> {
        let encoded = <<C as codee::Decoder<Rx>>::Encoded as FromMessage>::view(&message)?;
        // Debug, not Display: some codee codecs' errors are `()`.
        <C as codee::Decoder<Rx>>::decode(encoded).map_err(|e| Error::Decode {
            message: format!("{e:?}"),
        })
    }
}

/// What a codee encoder makes: text (`String`) or bytes (`Vec<u8>`). Sealed.
#[cfg_attr(docsrs, doc(cfg(feature = "codee")))]
pub trait IntoMessage: sealed::Sealed {
    /// The message that carries the encoded value.
    ///
    /// ```
    /// # #[cfg(feature = "codee")] {
    /// use wasm_websocket::codec::IntoMessage;
    /// use wasm_websocket::Message;
    /// assert_eq!(vec![1u8].into_message(), Message::Binary(vec![1]));
    /// assert_eq!("hi".to_owned().into_message(), Message::Text("hi".into()));
    /// # }
    /// ```
    fn into_message(self) -> Message;
}

/// What a codee decoder reads: text (`str`) or bytes (`[u8]`). Sealed.
#[cfg_attr(docsrs, doc(cfg(feature = "codee")))]
pub trait FromMessage: sealed::Sealed {
    /// The encoded value a message carries.
    ///
    /// # Errors
    /// [`Error::Decode`] for binary that is not UTF-8 where text is wanted, and for a raw Blob.
    ///
    /// ```
    /// # #[cfg(feature = "codee")] {
    /// use wasm_websocket::codec::FromMessage;
    /// use wasm_websocket::Message;
    /// let m = Message::Binary(b"hi".to_vec());
    /// assert_eq!(<str as FromMessage>::view(&m), Ok("hi"));
    /// assert_eq!(<[u8] as FromMessage>::view(&m), Ok(&b"hi"[..]));
    /// # }
    /// ```
    fn view(message: &Message) -> Result<&Self, Error>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for String {}
    impl Sealed for str {}
    impl Sealed for Vec<u8> {}
    impl Sealed for [u8] {}
}

fn unreadable_blob() -> Error {
    Error::Decode {
        message: "a raw Blob cannot be decoded synchronously: use BinaryType::Blob".into(),
    }
}

impl IntoMessage for String {
    fn into_message(self) -> Message {
        Message::Text(self)
    }
}

impl IntoMessage for Vec<u8> {
    fn into_message(self) -> Message {
        Message::Binary(self)
    }
}

impl FromMessage for str {
    fn view(message: &Message) -> Result<&str, Error> {
        match message {
            Message::Text(text) => Ok(text),
            Message::Binary(bytes) => std::str::from_utf8(bytes).map_err(|e| Error::Decode {
                message: format!("binary message is not UTF-8 text: {e}"),
            }),
            Message::Blob(_) => Err(unreadable_blob()),
        }
    }
}

impl FromMessage for [u8] {
    fn view(message: &Message) -> Result<&[u8], Error> {
        match message {
            Message::Text(text) => Ok(text.as_bytes()),
            Message::Binary(bytes) => Ok(bytes),
            Message::Blob(_) => Err(unreadable_blob()),
        }
    }
}
