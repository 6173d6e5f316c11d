/*
 * The clinic's chat widget, in one line of HTML on any page:
 *   <script src="https://ASSISTANT-HOST/chat/widget.js" defer></script>
 * Optional attributes: data-title, data-subtitle, data-storage ("session", the default, or
 * "local").
 *
 * It loads rasa-webchat and our stylesheet from the same host as this file (never a CDN), talks
 * to that host's socket.io channel, keeps the conversation in the browser so it survives page
 * reloads and moves between the clinic's pages, makes the quick replies keyboard-usable, and
 * lets tap-to-call links in alerts open the phone's dialler in place.
 * By default it is kept in sessionStorage: closing the tab forgets it, so a health conversation
 * does not stay on a shared computer. "local" keeps it until the browser data is cleared.
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

  // Fixes to what rasa-webchat renders, applied as it renders. Its quick replies are plain
  // <div>s: give them a role, a tab stop and Enter/Space, so people who use a keyboard or a
  // screen reader can answer with them.
  function adjustRenderedWidget(root) {
    function upgrade() {
      root.querySelectorAll(".rw-reply").forEach(function (reply) {
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
      root.querySelectorAll(".rw-launcher").forEach(function (launcher) {
        if (!launcher.getAttribute("aria-label")) launcher.setAttribute("aria-label", "Open the chat");
      });
      root.querySelectorAll(".rw-new-message").forEach(function (input) {
        if (!input.getAttribute("aria-label")) input.setAttribute("aria-label", "Your message");
      });
      // rasa-webchat opens every link in a new tab; a tap-to-call link would leave an empty
      // tab behind. Without a target the phone's dialler opens and the page stays as it is.
      root.querySelectorAll('a[href^="tel:"][target]').forEach(function (link) {
        link.removeAttribute("target");
      });
    }
    new MutationObserver(upgrade).observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["target"],
    });
    upgrade();
  }

  function start() {
    var root = document.createElement("div");
    root.id = "iliopsoas-assistant";
    document.body.appendChild(root);
    adjustRenderedWidget(root);
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
      root
    );
  }

  addStylesheet();
  var bundle = document.createElement("script");
  bundle.src = new URL("webchat.js", assets).href;
  bundle.onload = start;
  document.head.appendChild(bundle);
})();
