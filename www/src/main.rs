//! The demo page: every WebSocket feature of the crate behind a small form, a state panel and an
//! event log. The page's structure and style are in `index.html`; this file wires its controls to
//! one task that runs a connection at a time.

mod connection;
mod image;
mod reconnecting;
mod throttle;
mod ui;

use std::rc::Rc;

use futures::channel::mpsc::{self, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, ErrorEvent, FileList, PromiseRejectionEvent};

use crate::ui::{show_fatal, Kind, Ui};

/// What the controls ask the connection task to do.
pub enum Command {
    Connect,
    Close,
    SendText,
    SendFile(web_sys::File),
    Throttle,
}

fn main() {
    std::panic::set_hook(Box::new(|info| show_fatal(&format!("panic: {info}"))));
    let ui = match Ui::new() {
        Ok(ui) => Rc::new(ui),
        Err(e) => return show_fatal(&e),
    };
    let (commands, receiver) = mpsc::unbounded();
    let mut listeners = controls(&ui, &commands);
    listeners.extend(error_reporting());
    if let Some(body) = web_sys::window().and_then(|w| w.document()?.body()) {
        // The end-to-end tests wait for this before they touch the page.
        let _ = body.set_attribute("data-ready", "");
    }
    wasm_bindgen_futures::spawn_local(async move {
        // The listeners live as long as the page, owned by the task that serves them.
        let _listeners = listeners;
        run(ui, receiver).await;
    });
}

/// One connection at a time, plain or reconnecting, as the form says.
async fn run(ui: Rc<Ui>, mut commands: UnboundedReceiver<Command>) {
    while let Some(command) = commands.next().await {
        // Every other control is disabled while nothing is connected.
        if let Command::Connect = command {
            let settings = ui.settings();
            if settings.reconnect {
                reconnecting::run(&ui, settings, &mut commands).await;
            } else {
                connection::run(&ui, settings, &mut commands).await;
            }
        }
    }
}

fn controls(ui: &Rc<Ui>, commands: &UnboundedSender<Command>) -> Vec<EventListener> {
    // Each command is sent on a channel the task owns for the page's life, so a send never fails.
    let submit = |target: &web_sys::HtmlElement, command: fn() -> Command| {
        let commands = commands.clone();
        let options = EventListenerOptions::enable_prevent_default();
        EventListener::new_with_options(target, "submit", options, move |event| {
            event.prevent_default();
            let _ = commands.unbounded_send(command());
        })
    };
    let click = |target: &web_sys::HtmlElement, command: fn() -> Command| {
        let commands = commands.clone();
        EventListener::new(target, "click", move |_| {
            let _ = commands.unbounded_send(command());
        })
    };
    let send_files = {
        let commands = commands.clone();
        move |files: Option<FileList>| {
            let files = files
                .iter()
                .flat_map(|list| (0..list.length()).filter_map(|i| list.get(i)));
            for file in files {
                let _ = commands.unbounded_send(Command::SendFile(file));
            }
        }
    };
    let mut listeners = vec![
        submit(&ui.connect_form, || Command::Connect),
        submit(&ui.text_form, || Command::SendText),
        click(&ui.close, || Command::Close),
        click(&ui.throttle, || Command::Throttle),
    ];
    let picker = ui.file.clone();
    let picked = send_files.clone();
    listeners.push(EventListener::new(&ui.file, "change", move |_| {
        picked(picker.files());
        // The same file can be picked again.
        picker.set_value("");
    }));
    let options = EventListenerOptions::enable_prevent_default();
    let zone = ui.drop_zone.clone();
    listeners.push(EventListener::new_with_options(
        &ui.drop_zone,
        "dragover",
        options,
        move |event| {
            event.prevent_default();
            let _ = zone.class_list().add_1("over");
        },
    ));
    let zone = ui.drop_zone.clone();
    listeners.push(EventListener::new(&ui.drop_zone, "dragleave", move |_| {
        let _ = zone.class_list().remove_1("over");
    }));
    let zone = ui.drop_zone.clone();
    let ui_for_drop = ui.clone();
    listeners.push(EventListener::new_with_options(
        &ui.drop_zone,
        "drop",
        options,
        move |event| {
            event.prevent_default();
            let _ = zone.class_list().remove_1("over");
            if ui_for_drop.can_send() {
                let files = event
                    .dyn_ref::<DragEvent>()
                    .and_then(|e| e.data_transfer()?.files());
                send_files(files);
            } else {
                ui_for_drop.log(
                    Kind::Note,
                    "dropped",
                    "connect first, then drop the file again",
                );
            }
        },
    ));
    // A file dropped next to the zone would otherwise replace the page.
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        for name in ["dragover", "drop"] {
            listeners.push(EventListener::new_with_options(
                &document,
                name,
                options,
                |event| {
                    event.prevent_default();
                },
            ));
        }
    }
    listeners
}

/// Uncaught exceptions and rejected promises go to the error banner too.
fn error_reporting() -> Vec<EventListener> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    vec![
        EventListener::new(&window, "error", |event| {
            let message = event.dyn_ref::<ErrorEvent>().map(ErrorEvent::message);
            show_fatal(&format!("uncaught error: {}", message.unwrap_or_default()));
        }),
        EventListener::new(&window, "unhandledrejection", |event| {
            let reason = event.dyn_ref::<PromiseRejectionEvent>().map(|e| e.reason());
            show_fatal(&format!("unhandled rejection: {reason:?}"));
        }),
    ]
}
