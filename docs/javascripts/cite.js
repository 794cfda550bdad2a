/* Copy buttons for the "引用本页 / Cite this page" block: one beside the label of each .cb-copy.
 * Their text is a pair of lang-marked halves, shown by the language view (casebook.css). */
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http (a training room's local server): the older selection-based copy.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  function say(node, zh, en) {
    var a = document.createElement("span"), b = document.createElement("span");
    a.lang = "zh"; a.textContent = zh; b.lang = "en"; b.textContent = en;
    node.replaceChildren(a, " ", b);
  }
  function addButtons() {
    var targets = document.querySelectorAll(".cb-cite .cb-copy");
    Array.prototype.forEach.call(targets, function (target) {
      var label = target.parentNode.querySelector("b");
      var button = document.createElement("button");
      var name = label ? " " + label.textContent.trim() : "";
      button.type = "button";
      button.className = "cb-copy-btn";
      say(button, "复制", "Copy");
      button.setAttribute("aria-label", "复制 / Copy" + name);
      button.setAttribute("data-cb-zh", "复制" + name);  // casebook.js writes the view's one into aria-label
      button.setAttribute("data-cb-en", "Copy" + name);
      // A link with data-cb-fetch (the BibTeX entry, a file under data/cite/) copies the file's text: fetched
      // when the pointer or focus reaches the button, so that the click finds it ready.
      var fetched = null;
      function text() {
        if (!target.hasAttribute("data-cb-fetch")) return Promise.resolve(target.innerText.trim());
        if (!fetched) {
          fetched = fetch(target.href).then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); });
          fetched.catch(function () { fetched = null; });
        }
        return fetched.then(function (t) { return t.trim(); });
      }
      if (target.hasAttribute("data-cb-fetch")) {
        button.addEventListener("pointerenter", text);
        button.addEventListener("focus", text);
      }
      button.addEventListener("click", function () {
        text().then(copyText).then(function () {
          say(button, "已复制", "Copied");
        }, function () {
          say(button, "请选中后手动复制", "Select and copy");
        });
        window.setTimeout(function () { say(button, "复制", "Copy"); }, 2500);
      });
      if (label) {
        label.insertAdjacentElement("afterend", button);
      } else {
        target.insertAdjacentElement("beforebegin", button);
      }
    });
    if (window.casebookView) window.casebookView.refresh();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
