// Baton's chat widget for any web site: one script tag puts a launcher button on the page that
// opens the customer chat (/chat on the Baton server the script came from) in a panel.
//
//   <script src="https://support.example.com/widget.js" async
//           data-language="zh"            zh or en (default: the chat page's own choice)
//           data-color="#0a7c55"          the launcher's and the chat's accent colour (#rgb or #rrggbb)
//           data-position="left"          left or right (default right)
//           data-external-id="u-123"      the site's signed-in user, with
//           data-user-hash="…"            hex HMAC-SHA256 of that id under BATON_IDENTITY_SECRET
//           data-name="Ann" data-email="ann@example.com"></script>
//
// window.Baton.open() / .close() / .toggle() drive it from the page. Nothing here reads the host
// page; the chat itself runs in the frame, on the Baton server's origin.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.Baton) return;
  var d = script.dataset;
  var origin = new URL(script.src, location.href).origin;
  var lang = d.language === "zh" || d.language === "en" ? d.language : "";
  var color = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(d.color || "") ? d.color : "#2f5bea";
  var left = d.position === "left";
  var zh = (lang || navigator.language || "").toLowerCase().indexOf("zh") === 0;
  var label = { open: zh ? "联系客服" : "Chat with us", close: zh ? "关闭对话" : "Close chat" };

  var params = new URLSearchParams();
  if (lang) params.set("lang", lang);
  params.set("color", color);
  params.set("embed", "1");
  if (d.externalId && d.userHash) {
    params.set("external_id", d.externalId);
    params.set("user_hash", d.userHash);
    if (d.name) params.set("name", d.name);
    if (d.email) params.set("email", d.email);
  }

  var side = left ? "left" : "right";
  var button = document.createElement("button");
  button.type = "button";
  button.id = "baton-launcher";
  button.setAttribute("aria-label", label.open);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "baton-panel");
  button.textContent = "💬";
  var bs = button.style;
  bs.position = "fixed";
  bs.bottom = "20px";
  bs[side] = "20px";
  bs.zIndex = "2147483000";
  bs.width = bs.height = "56px";
  bs.border = "none";
  bs.borderRadius = "50%";
  bs.background = color;
  bs.color = "#fff";
  bs.fontSize = "26px";
  bs.cursor = "pointer";
  bs.boxShadow = "0 4px 14px rgba(0,0,0,.25)";

  var panel = document.createElement("div");
  panel.id = "baton-panel";
  panel.hidden = true;
  var ps = panel.style;
  ps.position = "fixed";
  ps.bottom = "88px";
  ps[side] = "20px";
  ps.zIndex = "2147483000";
  ps.width = "min(380px, calc(100vw - 40px))";
  ps.height = "min(600px, calc(100vh - 108px))";
  ps.borderRadius = "12px";
  ps.overflow = "hidden";
  ps.boxShadow = "0 8px 30px rgba(0,0,0,.3)";
  ps.background = "#fff";

  var frame = null; // made on first open, so a page that never opens the chat loads nothing more

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.title = label.open;
      frame.src = origin + "/chat?" + params.toString();
      frame.setAttribute("allow", "clipboard-write");
      frame.style.cssText = "border:0;width:100%;height:100%;display:block";
      panel.appendChild(frame);
    }
    panel.hidden = false;
    panel.style.display = "block";
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", label.close);
    button.textContent = "✕";
    frame.focus();
  }
  function close() {
    panel.hidden = true;
    panel.style.display = "none";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", label.open);
    button.textContent = "💬";
  }
  function toggle() {
    if (panel.hidden) open();
    else close();
  }
  button.addEventListener("click", toggle);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) {
      close();
      button.focus();
    }
  });
  // Escape pressed inside the chat frame (the chat page posts it); only from Baton's own origin.
  window.addEventListener("message", function (e) {
    if (e.origin === origin && e.source === (frame && frame.contentWindow) && e.data && e.data.baton === "close" && !panel.hidden) {
      close();
      button.focus();
    }
  });
  panel.style.display = "none";

  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
  window.Baton = { open: open, close: close, toggle: toggle };
})();
