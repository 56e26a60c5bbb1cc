//! The hooks: one reconnecting socket per mounted component and URL, read by one task.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use wasm_websocket::{
    CloseEvent, Codec, Error, Message, ReconnectEvent, ReconnectEvents, ReconnectHandle,
    ReconnectStatus, ReconnectingSocket,
};
use yew::prelude::*;

use crate::handle::{Encode, Listeners};
use crate::options::MakeBuilder;
use crate::view::SocketView;
use crate::{UseWebSocketHandle, UseWebSocketOptions};

/// What the component gave on its latest render: the socket's task reads it at each use, so
/// callbacks and the builder never go stale after a re-render.
pub(crate) struct Latest<T> {
    on_message: Option<Callback<T>>,
    on_open: Option<Callback<()>>,
    on_close: Option<Callback<CloseEvent>>,
    on_error: Option<Callback<Error>>,
    on_unsent: Option<Callback<Vec<Message>>>,
    socket: MakeBuilder,
}

impl<T> Latest<T> {
    fn of<C: Codec<Incoming = T>>(options: &UseWebSocketOptions<C>) -> Latest<T> {
        Latest {
            on_message: options.on_message.clone(),
            on_open: options.on_open.clone(),
            on_close: options.on_close.clone(),
            on_error: options.on_error.clone(),
            on_unsent: options.on_unsent.clone(),
            socket: options.socket.clone(),
        }
    }
}

type LatestRef<T> = Rc<RefCell<Latest<T>>>;

/// A callback of the latest render, cloned out so that no borrow is held while it runs.
fn pick<T, R>(latest: &LatestRef<T>, callback: impl FnOnce(&Latest<T>) -> Option<R>) -> Option<R> {
    latest.try_borrow().ok().and_then(|l| callback(&l))
}

/// Connects to `url` while the component is mounted, with the core's default reconnection, and
/// keeps the last 100 messages. See [`use_websocket_with`] for the options.
///
/// ```no_run
/// # use yew::prelude::*;
/// #[function_component]
/// fn Ticker() -> Html {
///     let ws = wasm_websocket_yew::use_websocket("/ticks");
///     html! { <p>{ ws.received() }{ " ticks" }</p> }
/// }
/// ```
#[hook]
pub fn use_websocket(url: &str) -> UseWebSocketHandle<Message> {
    use_websocket_with(UseWebSocketOptions::new(url.to_owned()))
}

/// Connects as `options` say while the component is mounted. The connection opens after the
/// first render; a new URL closes the old connection (1000) and opens a new one, starting the
/// state over; unmounting closes with 1000 and removes every listener and timer.
///
/// ```no_run
/// # use yew::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_yew::{use_websocket_with, UseWebSocketOptions};
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { from: String, text: String }
///
/// #[function_component]
/// fn Chat() -> Html {
///     let chat = use_websocket_with(UseWebSocketOptions::typed("/chat", Json::<Line>::new()).history(500));
///     html! { <div>{ for chat.messages().iter().map(|l| html! { <p key={l.seq}>{ &l.from }{ ": " }{ &l.text }</p> }) }</div> }
/// }
/// ```
#[hook]
pub fn use_websocket_with<C>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocketHandle<C::Incoming, C::Outgoing>
where
    C: Codec + Clone + 'static,
    C::Incoming: Clone + 'static,
{
    let history = options.history;
    let enabled = options.enabled;
    let view = use_mut_ref(move || SocketView::new(history, enabled));
    let render = use_force_update();
    let sender = use_mut_ref(|| None::<ReconnectHandle>);
    let listeners: Listeners<C::Incoming> = use_mut_ref(Vec::new);
    let codec = options.codec.clone();
    let encode: Encode<C::Outgoing> = Rc::new(move |value| codec.encode(value));
    let latest: LatestRef<C::Incoming> = use_mut_ref(|| Latest::of(&options));
    *latest.borrow_mut() = Latest::of(&options);
    {
        let sender = sender.clone();
        let task = Task {
            latest: latest.clone(),
            listeners: listeners.clone(),
            view: view.clone(),
            render: render.clone(),
        };
        use_effect_with(options.url.clone(), move |url| {
            // As `enabled` is now: the effect below follows its later changes.
            let enabled = options.enabled;
            if let Ok(mut view) = task.view.try_borrow_mut() {
                view.reset(enabled);
            }
            task.render.force_update();
            let latest = task.latest.clone();
            let abort = start(url.to_string(), options, &sender, task);
            move || {
                // What `send` accepted and the socket did not send ends with it: handed over.
                let socket = sender.borrow_mut().take();
                let unsent = socket.map(|s| s.take_unsent()).unwrap_or_default();
                if let Some(abort) = abort {
                    abort.abort();
                }
                if !unsent.is_empty() {
                    if let Some(on_unsent) = pick(&latest, |l| l.on_unsent.clone()) {
                        on_unsent.emit(unsent);
                    }
                }
            }
        });
    }
    {
        let sender = sender.clone();
        let view = view.clone();
        let render = render.clone();
        // Runs after the effect above (which it then agrees with), and whenever `enabled` changes.
        use_effect_with(enabled, move |&enabled| {
            if let Some(sender) = sender.borrow().clone() {
                let done = if enabled {
                    sender.connect()
                } else {
                    sender.disconnect()
                };
                if let Err(error) = done {
                    if let Ok(mut view) = view.try_borrow_mut() {
                        view.error(error);
                    }
                    render.force_update();
                }
            }
        });
    }
    let version = view.borrow().version;
    UseWebSocketHandle {
        view,
        sender,
        encode,
        listeners,
        version,
    }
}

/// What the socket's task hands its events to.
struct Task<T: 'static> {
    latest: LatestRef<T>,
    listeners: Listeners<T>,
    view: Rc<RefCell<SocketView<T>>>,
    render: UseForceUpdateHandle,
}

/// Starts the socket and the task that reads it; the handle stops the task, which drops the
/// socket (closing it with 1000). `None` where there is no WebSocket (the error is shown).
fn start<C>(
    url: String,
    options: UseWebSocketOptions<C>,
    sender: &Rc<RefCell<Option<ReconnectHandle>>>,
    task: Task<C::Incoming>,
) -> Option<AbortHandle>
where
    C: Codec + 'static,
    C::Incoming: Clone + 'static,
{
    let make = task.latest.clone();
    let first = options.socket.clone();
    let builder = ReconnectingSocket::builder_async(move || {
        // The latest render's builder; the first one's while a render writes it.
        let socket = make
            .try_borrow()
            .map_or_else(|_| first.clone(), |l| l.socket.clone());
        socket(&url)
    });
    let socket = match (options.reconnect)(builder)
        .connect_on_start(options.enabled)
        .start()
    {
        Ok(socket) => socket,
        Err(error) => {
            if let Ok(mut view) = task.view.try_borrow_mut() {
                view.error(error);
            }
            task.render.force_update();
            return None;
        }
    };
    *sender.borrow_mut() = Some(socket.handle());
    let events = socket.events(options.codec);
    let (abort, registration) = AbortHandle::new_pair();
    let relay = Abortable::new(relay(events, task), registration);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = relay.await;
    });
    Some(abort)
}

/// Hands every event to the callbacks and the view at once, in order, and renders the
/// component once per frame, until the socket ends.
async fn relay<C>(events: ReconnectEvents<C>, task: Task<C::Incoming>)
where
    C: Codec,
    C::Incoming: Clone + 'static,
{
    let Task {
        latest,
        listeners,
        view,
        render,
    } = task;
    let apply = |event: ReconnectEvent<C::Incoming>| {
        // Callbacks are cloned out before they are called, and called with no borrow held: one
        // may re-render (which writes `latest`), add a listener or read the view.
        match &event {
            ReconnectEvent::Message(value) => {
                let own = pick(&latest, |l| l.on_message.clone());
                let added = listeners
                    .try_borrow()
                    .map(|l| l.clone())
                    .unwrap_or_default();
                for callback in own.iter().chain(&added) {
                    callback.emit(value.clone());
                }
            }
            ReconnectEvent::Error(error) => {
                if let Some(on_error) = pick(&latest, |l| l.on_error.clone()) {
                    on_error.emit(error.clone());
                }
            }
            ReconnectEvent::Status(ReconnectStatus::Open) => {
                if let Some(on_open) = pick(&latest, |l| l.on_open.clone()) {
                    on_open.emit(());
                }
            }
            ReconnectEvent::Disconnected { close, .. } => {
                if let Some(on_close) = pick(&latest, |l| l.on_close.clone()) {
                    on_close.emit(close.clone());
                }
            }
            _ => {}
        }
        // Never borrowed elsewhere while this runs: renders and getters borrow it only briefly.
        if let Ok(mut view) = view.try_borrow_mut() {
            view.apply(event);
        }
    };
    events.relay(apply, || render.force_update()).await;
}
