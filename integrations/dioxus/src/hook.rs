//! The hooks: one socket view per mounted component and URL, rendered again once per frame.

use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

use dioxus::core::{queue_effect, use_drop, use_hook};
use dioxus::signals::{ReadableExt, Signal, WritableExt};
use wasm_websocket::view::{SocketView, ViewCodec, ViewRun};
use wasm_websocket::Message;

use crate::UseWebSocketOptions;

/// The socket as a component sees it: state to render and a handle to send through, to clone
/// into event handlers. It dereferences to the core's
/// [`SocketView`](wasm_websocket::view::SocketView): `status()`, `messages()`, `received()`,
/// `last_error()`, `send()`, `open()`, `close()`, `reconnect()` and the rest are documented
/// there. `Rx` is what it receives, `Tx` what it sends (the codec's `Incoming` and
/// `Outgoing`). Every component that holds it (the hook's, and each one that reads it from a
/// context) renders again at most once per animation frame while events come.
///
/// ```no_run
/// # fn f(ws: wasm_websocket_dioxus::UseWebSocket<wasm_websocket::Message>) {
/// let line = format!("{} ({} messages)", ws.status(), ws.received());
/// # }
/// ```
pub struct UseWebSocket<Rx: Clone + 'static, Tx: 'static = Rx> {
    view: SocketView<Rx, Tx>,
    /// Counts the frames that changed something: components that read it render again.
    frames: Signal<u64>,
}

impl<Rx: Clone, Tx> Clone for UseWebSocket<Rx, Tx> {
    fn clone(&self) -> Self {
        // The signal is `Copy`; the view shares its state.
        UseWebSocket {
            frames: self.frames,
            view: self.view.clone(),
        }
    }
}

/// Equal for the same socket: as a prop it never makes a child render again by itself (the
/// child reads the frames and renders when the socket changes).
impl<Rx: Clone, Tx> PartialEq for UseWebSocket<Rx, Tx> {
    fn eq(&self, other: &Self) -> bool {
        self.view.same(&other.view)
    }
}

impl<Rx: Clone, Tx> std::fmt::Debug for UseWebSocket<Rx, Tx> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // All it shows is the view's.
        std::fmt::Debug::fmt(&self.view, f)
    }
}

impl<Rx: Clone, Tx> Deref for UseWebSocket<Rx, Tx> {
    type Target = SocketView<Rx, Tx>;

    fn deref(&self) -> &SocketView<Rx, Tx> {
        &self.view
    }
}

impl<Rx: Clone, Tx> UseWebSocket<Rx, Tx> {
    /// Makes the calling component render again whenever the socket's state changes (at most
    /// once per frame): what reading it in a component body does.
    pub(crate) fn track(&self) {
        let _ = self.frames.try_read();
    }
}

/// Connects to `url` while the component is mounted, with the core's default reconnection, and
/// keeps the last 100 messages. See [`use_websocket_with`] for the options.
///
/// ```no_run
/// use dioxus::prelude::*;
/// #[component]
/// fn Ticker() -> Element {
///     let ws = wasm_websocket_dioxus::use_websocket("wss://example.com/ticks");
///     rsx! { p { "{ws.received()} ticks" } }
/// }
/// ```
pub fn use_websocket(url: &str) -> UseWebSocket<Message> {
    use_websocket_with(UseWebSocketOptions::new(url))
}

/// What the component started last: the socket runs until this is dropped.
struct Started {
    url: String,
    enabled: bool,
    run: Option<ViewRun>,
}

/// Connects as `options` say while the component is mounted. The connection opens after the
/// first render (never while rendering on a server); a new URL closes the old connection (1000)
/// and opens a new one, starting the state over; unmounting closes with 1000 and removes every
/// listener and timer. The callbacks and the socket builder are the latest render's.
///
/// ```no_run
/// use dioxus::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_dioxus::{use_websocket_with, UseWebSocketOptions};
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { from: String, text: String }
///
/// #[component]
/// fn Chat() -> Element {
///     let chat = use_websocket_with(UseWebSocketOptions::typed("wss://example.com/chat", Json::<Line>::new()).history(500));
///     rsx! {
///         for line in chat.messages().iter() {
///             p { key: "{line.seq}", "{line.from}: {line.text}" }
///         }
///     }
/// }
/// ```
pub fn use_websocket_with<C: ViewCodec>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocket<C::Incoming, C::Outgoing> {
    let enabled = *options.is_enabled();
    let frames = use_hook(|| Signal::new(0_u64));
    let view = use_hook(|| {
        SocketView::new(&options, enabled, move |_| {
            let mut frames = frames;
            // After unmount the signal is gone, and so is the need to render.
            if let Ok(mut count) = frames.try_write() {
                *count = count.wrapping_add(1);
            };
        })
    });
    view.follow(&options);
    let started: Rc<RefCell<Option<Started>>> = use_hook(Rc::default);
    let (url, now) = (
        options.url().clone(),
        started
            .borrow()
            .as_ref()
            .map(|s| (s.url.clone(), s.enabled)),
    );
    match now {
        Some((was, _)) if was != url => start_after_render(&started, &view, url, options, enabled),
        None => start_after_render(&started, &view, url, options, enabled),
        Some((_, was)) if was != enabled => {
            if let Some(now) = started.borrow_mut().as_mut() {
                now.enabled = enabled;
            }
            let view = view.clone();
            queue_effect(move || view.set_enabled(enabled));
        }
        Some(_) => {}
    }
    {
        let started = started.clone();
        use_drop(move || drop(started.borrow_mut().take()));
    }
    let socket = UseWebSocket { view, frames };
    socket.track();
    socket
}

/// Starts the socket for `url` once this render is on the page: effects never run while
/// rendering on a server, and a component that never mounts never connects.
fn start_after_render<C: ViewCodec>(
    started: &Rc<RefCell<Option<Started>>>,
    view: &SocketView<C::Incoming, C::Outgoing>,
    url: String,
    options: UseWebSocketOptions<C>,
    enabled: bool,
) {
    *started.borrow_mut() = Some(Started {
        url: url.clone(),
        enabled,
        run: None,
    });
    let (started, view) = (started.clone(), view.clone());
    queue_effect(move || {
        // The old socket ends before the new one starts.
        let old = started.borrow_mut().as_mut().and_then(|s| s.run.take());
        drop(old);
        let run = view.start(&url, &options, enabled);
        if let Some(now) = started.borrow_mut().as_mut() {
            now.run = Some(run);
        }
    });
}
