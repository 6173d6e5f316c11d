/*
 * The clinic's chat widget, in one line of HTML on any page:
 *   <script src="https://ASSISTANT-HOST/chat/widget.js" defer></script>
 * Optional attributes: data-title, data-subtitle, data-storage ("session", the default, or
 * "local").
 *
 * It loads rasa-webchat and our stylesheet from the same host as this file (never a CDN), talks
 * to that host's socket.io channel, keeps the conversation in the browser so it survives page
 * reloads and moves between the clinic's pages, makes the quick replies keyboard-usable, names
 * every control, reads each new reply out to screen readers, shows the latest reply from its
 * first line, and lets tap-to-call links in alerts open the phone's dialler in place.
 * By default it is kept in sessionStorage: closing the tab forgets it, so a health conversation
 * does not stay on a shared computer. "local" keeps it until the browser data is cleared.
 * What continues the conversation is the session secret the server confirmed to this browser
 * (rasa-webchat keeps it as `session_id` and offers it again on the next page load); it is not
 * the conversation id staff see, and a session id another client offers gets a new conversation.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = new URL(".", script.src); // .../chat/
  var assistantOrigin = assets.origin;
  var title = script.getAttribute("data-title") || "Hip and groin pain assistant";
  var subtitle = script.getAttribute("data-subtitle") || "General information, not a diagnosis";
  var storage = script.getAttribute("data-storage") === "local" ? "local" : "session";

  function addStylesheet() {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("widget.css", assets).href;
    document.head.appendChild(link);
  }

  // Fixes to what rasa-webchat renders, applied as it renders (see each part below).
  function adjustRenderedWidget(mount, announcer) {
    new MutationObserver(function (changes) {
      nameControls(mount);
      makeQuickRepliesKeyboardReady(mount);
      openCallLinksInPlace(mount);
      announceNewReplies(mount, announcer);
      if (changes.some(changesMessages)) showLatestReplyFromItsStart(mount);
    }).observe(mount, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["target"],
    });
  }

  // Whether a change is to the messages (or shows them: the chat opening).
  function changesMessages(change) {
    if (change.type !== "childList") return false;
    if (change.target.closest(".rw-messages-container")) return true;
    return Array.prototype.some.call(change.addedNodes, function (node) {
      return (
        node.nodeType === Node.ELEMENT_NODE &&
        (node.matches(".rw-messages-container") || node.querySelector(".rw-messages-container"))
      );
    });
  }

  // Every control has a name a screen reader can say: rasa-webchat's send button has none, the
  // launcher keeps one image label whether it opens or closes the chat, and the header's
  // buttons are named by their images' alt texts ("close", "toggle fullscreen").
  function nameControls(mount) {
    var open = mount.querySelector(".rw-conversation-container") !== null;
    mount.querySelectorAll(".rw-launcher").forEach(function (launcher) {
      launcher.setAttribute("aria-label", open ? "Close the chat" : "Open the chat");
      launcher.setAttribute("aria-expanded", open ? "true" : "false");
    });
    mount.querySelectorAll(".rw-close-button").forEach(function (button) {
      button.setAttribute("aria-label", "Close the chat");
    });
    mount.querySelectorAll(".rw-toggle-fullscreen-button").forEach(function (button) {
      var fullScreen = button.querySelector(".rw-fullScreenExitImage") !== null;
      button.setAttribute("aria-label", "Full screen");
      button.setAttribute("aria-pressed", fullScreen ? "true" : "false");
    });
    mount.querySelectorAll(".rw-send").forEach(function (button) {
      button.setAttribute("aria-label", "Send");
    });
    mount.querySelectorAll(".rw-send svg, .rw-launcher img, .rw-header-buttons img").forEach(
      function (icon) {
        icon.setAttribute("aria-hidden", "true");
      }
    );
    mount.querySelectorAll(".rw-new-message").forEach(function (input) {
      input.setAttribute("aria-label", "Your message");
    });
    // The widget's title is an <h4>; on the page it is a section of its own, under the h1.
    mount.querySelectorAll(".rw-title").forEach(function (heading) {
      heading.setAttribute("aria-level", "2");
    });
  }

  // Quick replies are plain <div>s: give them a role, a tab stop and Enter/Space, so people
  // who use a keyboard or a screen reader can answer with them.
  function makeQuickRepliesKeyboardReady(mount) {
    mount.querySelectorAll(".rw-reply").forEach(function (reply) {
      if (reply.dataset.keyboardReady) return;
      reply.dataset.keyboardReady = "1";
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
      reply.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    });
  }

  // rasa-webchat opens every link in a new tab; a tap-to-call link would leave an empty tab
  // behind. Without a target the phone's dialler opens and the page stays as it is.
  function openCallLinksInPlace(mount) {
    mount.querySelectorAll('a[href^="tel:"][target]').forEach(function (link) {
      link.removeAttribute("target");
    });
  }

  // Screen readers are told each new reply: its text goes into an off-screen live region.
  // Replies already there when the chat opens (a conversation carried over) are not read out
  // again; the typing indicator is not a reply.
  var KEPT_ANNOUNCEMENTS = 5;
  function announceNewReplies(mount, announcer) {
    var messages = mount.querySelector(".rw-messages-container");
    if (!messages) return;
    var replies = messages.querySelectorAll(".rw-response");
    var opening = !messages.dataset.seen;
    messages.dataset.seen = "1";
    replies.forEach(function (reply) {
      if (reply.dataset.announced || reply.closest(".rw-typing-indication")) return;
      reply.dataset.announced = "1";
      if (opening) return;
      var line = document.createElement("p");
      var urgent = reply.matches(".clinic-alert:not(.clinic-alert-continued)");
      line.textContent = (urgent ? "Urgent: " : "") + reply.innerText.trim();
      announcer.appendChild(line);
    });
    while (announcer.childElementCount > KEPT_ANNOUNCEMENTS) {
      announcer.removeChild(announcer.firstElementChild);
    }
  }

  // rasa-webchat scrolls to the very bottom whenever the messages change, so a long reply
  // (on opening: the disclaimer) starts above the visible area, under the header. Show the
  // latest reply from its first line instead; a reply that fits still ends at the bottom.
  var REPLY_TOP_MARGIN = 8;
  function showLatestReplyFromItsStart(mount) {
    var messages = mount.querySelector(".rw-messages-container");
    var groups = messages ? messages.querySelectorAll(".rw-group-message") : [];
    var latest = groups[groups.length - 1];
    if (!latest || !latest.classList.contains("rw-from-response")) return;
    var replyTop =
      messages.scrollTop +
      latest.getBoundingClientRect().top -
      messages.getBoundingClientRect().top -
      REPLY_TOP_MARGIN;
    var bottom = messages.scrollHeight - messages.clientHeight;
    messages.scrollTop = Math.max(0, Math.min(replyTop, bottom));
  }

  function start() {
    // A landmark of its own, so the widget is not stray content outside the page's regions;
    // the live region is outside what rasa-webchat renders, so React leaves it alone.
    var root = document.createElement("div");
    root.id = "iliopsoas-assistant";
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", title);
    var announcer = document.createElement("div");
    announcer.className = "clinic-announcer";
    announcer.setAttribute("aria-live", "polite");
    var mount = document.createElement("div");
    root.appendChild(mount);
    root.appendChild(announcer);
    document.body.appendChild(root);
    adjustRenderedWidget(mount, announcer);
    window.WebChat.default(
      {
        // A new conversation starts the session: the disclaimer and the topic menu.
        initPayload: "/session_start",
        socketUrl: assistantOrigin,
        socketPath: "/socket.io/",
        title: title,
        subtitle: subtitle,
        inputTextFieldHint: "Type your question...",
        params: { storage: storage },
        showFullScreenButton: true,
        displayUnreadCount: true,
        // The typing indicator shows for this long before each reply: short, but visible.
        customMessageDelay: function (message) {
          return Math.min(1200, Math.max(400, message.length * 8));
        },
      },
      mount
    );
  }

  addStylesheet();
  var bundle = document.createElement("script");
  bundle.src = new URL("webchat.js", assets).href;
  bundle.onload = start;
  document.head.appendChild(bundle);
})();
