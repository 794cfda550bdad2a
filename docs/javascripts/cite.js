/* Copy buttons for the "引用本页 / Cite this page" block: one beside the label of each .cb-copy. */
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
  function addButtons() {
    var targets = document.querySelectorAll(".cb-cite .cb-copy");
    Array.prototype.forEach.call(targets, function (target) {
      var label = target.parentNode.querySelector("b");
      var button = document.createElement("button");
      var idle = "复制 / Copy";
      button.type = "button";
      button.className = "cb-copy-btn";
      button.textContent = idle;
      button.setAttribute("aria-label", "复制 / Copy " + (label ? label.textContent : ""));
      button.addEventListener("click", function () {
        copyText(target.innerText.trim()).then(function () {
          button.textContent = "已复制 / Copied";
        }, function () {
          button.textContent = "请选中后手动复制 / Select and copy";
        });
        window.setTimeout(function () { button.textContent = idle; }, 2500);
      });
      if (label) {
        label.insertAdjacentElement("afterend", button);
      } else {
        target.insertAdjacentElement("beforebegin", button);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
